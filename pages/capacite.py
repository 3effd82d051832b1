import streamlit as st

from ui import layout

layout.header("capacite")
st.info("En construction.")
