"""Entry point: ``streamlit run app.py`` (or ``./dev app``). Navigation, sidebar and theme."""

import streamlit as st

from ui import layout

st.set_page_config(
    page_title="Simulateur NPNRU – équipements publics",
    page_icon=":material/account_balance:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = {
    "Atelier": [
        st.Page("pages/synthese.py", title="Synthèse", icon=":material/dashboard:", default=True),
        st.Page("pages/arbitrage.py", title="Arbitrage", icon=":material/tune:"),
        st.Page("pages/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
        st.Page("pages/phasage.py", title="Proposer un phasage", icon=":material/auto_fix_high:"),
    ],
    "Analyses": [
        st.Page("pages/calendrier.py", title="Calendrier", icon=":material/calendar_month:"),
        st.Page("pages/capacite.py", title="Capacité", icon=":material/groups:"),
    ],
    "Données": [
        st.Page("pages/operations.py", title="Opérations", icon=":material/domain:"),
        st.Page("pages/scenarios.py", title="Scénarios", icon=":material/folder_open:"),
        st.Page("pages/exports.py", title="Exports", icon=":material/download:"),
    ],
}

navigation = st.navigation(pages)
layout.sidebar()
layout.apply_theme()
navigation.run()
