"""What every page shows the same way: sidebar, header, demo notice, KPI cards, projector theme."""

from __future__ import annotations

import logging

import streamlit as st

from simulation import Result, fr
from simulation.labels import KPI, LOWER_IS_BETTER
from store import StoreError
from store.opening import DatabaseRefused, database_problem, is_database_error
from ui import state
from ui.plain import md

_log = logging.getLogger("simulateur")

SCENARIO_PARAM = state.SCENARIO_PICKER
PROJECTOR_PARAM = "projecteur"
_PENDING = state.PENDING_PICK

DEMO_NOTICE = (
    ":material/info: **Jeu de démonstration** — quartiers réels, opérations et montants illustratifs "
    "(voir data/README.md)."
)

CITY_NOTICE = ":material/verified: **Portefeuille de la Ville** — données saisies par les directions."

_PROJECTOR_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 21px; }
[data-testid="stAppViewContainer"] :is(p, li, label, h1, h2, h3, td, th) { color: #000000; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-primary"] * { color: #ffffff !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { font-size: 1.05rem; color: #222222; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; line-height: 1.45; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; font-weight: 600; white-space: normal; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis { white-space: normal; overflow: visible; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; font-weight: 700; }
[data-testid="stMetricValue"] p { font-size: inherit !important; font-weight: inherit; }
[data-testid="stMetricDelta"] { font-size: 1.25rem !important; }
[data-testid="stMetricDelta"] svg { width: 1.4rem; height: 1.4rem; }
h1 { font-size: 2.6rem !important; }
h2 { font-size: 2.0rem !important; }
h3 { font-size: 1.6rem !important; }
[data-testid="stHeader"], [data-testid="stToolbar"], footer, [data-testid="stDecoration"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1rem; max-width: 100%; }
[data-testid="stDataFrame"] { font-size: 1.1rem; }
label p { font-size: 1.1rem !important; }
</style>
"""

_DESK_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMetricValue"] { font-size: 1.7rem !important; }
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis { white-space: normal; overflow: visible; }
</style>
"""


def sidebar() -> None:
    """Scenario picker (bound to the URL, so a link opens the same saved scenario) and projector toggle."""
    s = state.store()
    names = [info.name for info in s.list_scenarios()]
    reference = s.reference_name()
    if _PENDING in st.session_state:
        st.session_state[SCENARIO_PARAM] = st.session_state.pop(_PENDING)
    if st.session_state.get(SCENARIO_PARAM) not in (None, *names):
        st.session_state[SCENARIO_PARAM] = reference
    with st.sidebar:
        st.selectbox(
            "Scénario ouvert",
            names,
            index=names.index(reference),
            key=SCENARIO_PARAM,
            bind="query-params",
            on_change=lambda: state.open_scenario(st.session_state[SCENARIO_PARAM]),
            help="Le lien de la page (barre d'adresse) ouvre ce scénario enregistré : copiez-le pour le partager.",
        )
        current = state.status()
        if current.modified:
            st.badge("Modifié, non enregistré", icon=":material/edit:", color="orange")
        state.remember_sidebar()  # a fragment that changes the scenario reruns the app to update this badge
        st.toggle(
            "Mode projecteur",
            key=PROJECTOR_PARAM,
            bind="query-params",
            help="Grands caractères, contraste élevé, moins d'éléments d'interface : pour un atelier sur écran.",
        )
        st.caption(
            "Jeu de démonstration : opérations et montants illustratifs."
            if s.is_demo()
            else "Portefeuille de la Ville (pas de données de démonstration)."
        )
    st.session_state[state.PROJECTOR] = bool(st.session_state.get(PROJECTOR_PARAM))


def select_scenario_next_run(name: str) -> None:
    """Make the sidebar picker show ``name`` from the next rerun on (widgets can't change mid-run)."""
    st.session_state[_PENDING] = name


def show_failure(exc: Exception) -> None:
    """A French sentence for an error no page caught: never a traceback, a path or English.

    The database file (locked by the CLI, damaged, newer than this version) is named in French;
    anything else is a plain apology, the detail going to the server log only.
    """
    if is_database_error(exc) or isinstance(exc, StoreError):
        text = str(exc) if isinstance(exc, StoreError | DatabaseRefused) else database_problem(exc)
        st.error(md(text), icon=":material/database:")
    elif isinstance(exc, MemoryError):
        st.error("Mémoire insuffisante pour cette opération : rien n'a été modifié.", icon=":material/error:")
    else:
        st.error(
            "Une erreur inattendue est survenue : rien n'a été modifié. Rechargez la page ; si elle se "
            "reproduit, signalez-la avec ce que vous faisiez.",
            icon=":material/error:",
        )
    _log.exception("Erreur non rattrapée par la page", exc_info=exc)


def apply_theme() -> None:
    st.html(_PROJECTOR_CSS if state.projector() else _DESK_CSS)


def header(title: str, caption: str | None = None) -> None:
    """Page title, the scenario in use (and whether it is saved), and the demo-data notice."""
    st.title(title)
    current = state.status()
    line = f"Scénario en cours : **{md(current.name)}**"
    if current.modified:
        line += " — :orange[**modifié, non enregistré**]"
    if current.name != current.base_name:
        line += f" (à partir de « {md(current.base_name)} »)"
    st.markdown(line)
    notice = DEMO_NOTICE if state.store().is_demo() else CITY_NOTICE
    st.caption(notice + (f"  \n{caption}" if caption else ""))


format_kpi = fr.kpi_value
format_kpi_delta = fr.kpi_delta


def kpi_cards(result: Result, reference: Result | None, keys: list[str], columns: int = 4) -> None:
    """One ``st.metric`` per KPI, with the difference to the reference (red when worse)."""
    rows = [keys[i : i + columns] for i in range(0, len(keys), columns)]
    for row in rows:
        for column, key in zip(st.columns(columns), row, strict=False):
            value = result.kpis[key]
            delta = None
            if reference is not None:
                delta = format_kpi_delta(key, value - reference.kpis[key])
            column.metric(
                KPI[key],
                format_kpi(key, value),
                delta=delta if delta is not None else ("= référence" if reference is not None else None),
                delta_color=("inverse" if key in LOWER_IS_BETTER else "normal") if delta is not None else "off",
                delta_arrow="auto" if delta is not None else "off",
                border=True,
            )
