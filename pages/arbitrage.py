import streamlit as st

from ui import layout

layout.header("arbitrage")
st.info("En construction.")
