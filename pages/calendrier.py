import streamlit as st

from ui import layout

layout.header("calendrier")
st.info("En construction.")
