"""The Streamlit pages, one file per page (see ``app.py`` for the navigation)."""
