"""Entry point: ``streamlit run app.py`` (or ``./dev app``). Navigation, sidebar and theme.

Pages live in ``views/``, not ``pages/``: Streamlit treats a ``pages/`` folder beside the entry
script as a legacy multipage app, and a shared link opened first after a restart then ran the
page alone, without navigation, sidebar or the scenario it names.

In projector mode the sidebar starts collapsed and the navigation moves to the top bar, so the
page gets the whole width of a 1280×720 projector and every page stays one click away; the
sidebar (scenario picker, projector toggle) opens from its arrow at the top left.
"""

import streamlit as st

from store.access import Action, may
from ui import identity, layout

projector = layout.projector_requested()
st.set_page_config(
    page_title="Simulateur NPNRU – équipements publics",
    page_icon=":material/account_balance:",
    layout="wide",
    initial_sidebar_state="collapsed" if projector else "expanded",
)

# The default page is served at "/" only: its own url_path is never routed by Streamlit, so it is
# one nobody types, and the addresses people do type are hidden pages below.
synthese = st.Page(
    "views/synthese.py", title="Synthèse", icon=":material/dashboard:", url_path="page-par-defaut", default=True
)
pages = {
    "Atelier": [
        synthese,
        st.Page("views/arbitrage.py", title="Arbitrage", icon=":material/tune:"),
        st.Page("views/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
        st.Page("views/phasage.py", title="Proposer un phasage", icon=":material/auto_fix_high:"),
    ],
    "Analyses": [
        st.Page("views/calendrier.py", title="Calendrier", icon=":material/calendar_month:"),
        st.Page("views/capacite.py", title="Capacité", icon=":material/groups:"),
        st.Page("views/risques.py", title="Risques", icon=":material/casino:"),
        st.Page("views/comite.py", title="Comité d'engagement", icon=":material/fact_check:"),
    ],
    "Données": [
        st.Page("views/operations.py", title="Opérations", icon=":material/domain:"),
        st.Page("views/scenarios.py", title="Scénarios", icon=":material/folder_open:"),
        st.Page("views/exports.py", title="Exports", icon=":material/download:"),
    ],
    "Suivi": [
        st.Page("views/historique.py", title="Historique", icon=":material/history:"),
        st.Page("views/stabilisation.py", title="Stabilisation", icon=":material/timeline:"),
    ],
}
acting = identity.acting_person()
if may(acting, Action.MANAGE_PEOPLE):  # the page asks the same policy again
    pages["Suivi"].append(
        st.Page("views/personnes.py", title="Personnes et droits", icon=":material/admin_panel_settings:")
    )

# "/synthese" and "/accueil" (typed from a slide or a note, or an older link) show it too, instead
# of Streamlit's English "Page not found".
pages["Atelier"] += [
    st.Page("views/synthese.py", title="Synthèse", url_path=path, visibility="hidden")
    for path in ("synthese", "accueil")
]

# expanded: every page listed (past ten, Streamlit would fold some under an English "View N more").
navigation = st.navigation(pages, position="top" if projector else "sidebar", expanded=True)
try:
    layout.sidebar()
    identity.sidebar_identity()
    layout.apply_theme()
    navigation.run()
except Exception as exc:  # st.stop/st.rerun are not Exceptions and pass through
    layout.show_failure(exc)
