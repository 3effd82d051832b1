import streamlit as st

from ui import layout

layout.header("scenarios")
st.info("En construction.")
