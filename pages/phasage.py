import streamlit as st
from ui import layout
layout.header('phasage')
st.info('En construction.')
