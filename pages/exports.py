import streamlit as st
from ui import layout
layout.header('exports')
st.info('En construction.')
