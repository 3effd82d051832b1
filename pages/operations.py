import streamlit as st

from ui import layout

layout.header("operations")
st.info("En construction.")
