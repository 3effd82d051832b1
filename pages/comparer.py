import streamlit as st

from ui import layout

layout.header("comparer")
st.info("En construction.")
