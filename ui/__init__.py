"""Streamlit glue: session state, cached engine calls, charts and shared widgets."""
