"""Entry point: ``streamlit run app.py`` (or ``./dev app``). Navigation, sidebar and theme.

Pages live in ``views/``, not ``pages/``: Streamlit treats a ``pages/`` folder beside the entry
script as a legacy multipage app, and a shared link opened first after a restart then ran the
page alone, without navigation, sidebar or the scenario it names.
"""

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
        st.Page("views/synthese.py", title="Synthèse", icon=":material/dashboard:", default=True),
        st.Page("views/arbitrage.py", title="Arbitrage", icon=":material/tune:"),
        st.Page("views/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
        st.Page("views/phasage.py", title="Proposer un phasage", icon=":material/auto_fix_high:"),
    ],
    "Analyses": [
        st.Page("views/calendrier.py", title="Calendrier", icon=":material/calendar_month:"),
        st.Page("views/capacite.py", title="Capacité", icon=":material/groups:"),
        st.Page("views/comite.py", title="Comité d'engagement", icon=":material/fact_check:"),
    ],
    "Données": [
        st.Page("views/operations.py", title="Opérations", icon=":material/domain:"),
        st.Page("views/scenarios.py", title="Scénarios", icon=":material/folder_open:"),
        st.Page("views/exports.py", title="Exports", icon=":material/download:"),
    ],
}

navigation = st.navigation(pages)
layout.sidebar()
layout.apply_theme()
navigation.run()
