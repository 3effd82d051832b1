"""What every page shows the same way: sidebar, header, demo notice, KPI cards, projector theme."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from simulation import Result, fr
from simulation.labels import KPI, KPI_DEFINITION, LOWER_IS_BETTER, SHORT_KPI
from simulation.months import FRENCH_MONTHS
from store import StoreError
from store.opening import DatabaseRefused, database_problem, is_database_error
from ui import state
from ui.frames.plain import md
from ui.grid_typing import grid_typing_script
from ui.tables import PROJECTOR_ROOT_PX

_log = logging.getLogger("simulateur")

SCENARIO_PARAM = state.SCENARIO_PICKER
PROJECTOR_PARAM = "projecteur"
_PENDING = state.PENDING_PICK

DEMO_NOTICE = (
    ":material/info: **Jeu de démonstration** — quartiers réels, opérations et montants illustratifs "
    "(voir data/README.md)."
)
SHORT_DEMO_NOTICE = ":material/info: **Jeu de démonstration** — opérations et montants illustratifs."

# Both modes. Contrast (WCAG 2.1 AA, >= 4,5:1): captions, the demo notice and the selected
# segment of a segmented control are darker than Streamlit's defaults. Buttons and KPI values never
# end in "…": their text wraps or the value shrinks with the window. Streamlit's chart toolbar
# ("Show data", "Download as PNG"…, English only) is hidden: the Exports page gives PNG/SVG/XLSX.
_COMMON_CSS = """
:root { --simulateur-theme: 1; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #555555 !important; }
[data-selected="true"] [data-testid="stMarkdownContainer"] p { color: #a3231c !important; }
[data-testid="stMainBlockContainer"] { padding-left: 2rem; padding-right: 2rem; max-width: 100%; }
[data-testid^="stBaseButton"] p, [data-testid="stPopoverButton"] p { white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stMetricLabel"] p { white-space: normal; }
[data-testid="stMetricLabel"] .stMarkdownEllipsis { white-space: normal; overflow: visible; }
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p { overflow: visible; text-overflow: clip; }
.stElementContainer:has([data-testid="stVegaLiteChart"]) [data-testid="stElementToolbar"] { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] small { font-size: 0.85rem; }
[data-testid="stTableStyledTable"] td * { color: inherit !important; }
[data-testid="stButtonGroup"] > div { flex-wrap: wrap; row-gap: 0.3rem; }
[data-testid="stMainMenu"] { display: none; }
"""

CITY_NOTICE = ":material/verified: **Portefeuille de la Ville** — données saisies par les directions."

_PROJECTOR_CSS = (
    f"""
html, body, [data-testid="stAppViewContainer"] {{ font-size: {PROJECTOR_ROOT_PX}px; }}
"""
    + """
[data-testid="stAppViewContainer"] :is(p, li, label, h1, h2, h3, td, th) { color: #000000; }
[data-testid="stBaseButton-primary"], [data-testid="stBaseButton-primary"] *,
[data-testid="stBaseButton-primaryFormSubmit"] * { color: #ffffff !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { font-size: 1.05rem; color: #222222 !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; line-height: 1.45; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem !important; font-weight: 600; }
[data-testid="stMetricValue"] { font-size: clamp(1.4rem, 2.9vw, 2.6rem) !important; font-weight: 700; line-height: 1.15; }
[data-testid="stMetricValue"] p { font-size: inherit !important; font-weight: inherit; }
[data-testid="stMetricDelta"] { font-size: 1rem !important; }
[data-testid="stMetricDelta"] svg { width: 1.2rem; height: 1.2rem; }
[data-testid="stMetric"] { padding: 0.25rem 0.5rem !important; }
[data-testid="stMetric"] > div { padding: 0.3rem 0.4rem !important; gap: 0.15rem; }
h1 { font-size: 2.2rem !important; padding: 0 0 0.3rem 0 !important; }
h2 { font-size: 1.9rem !important; }
h3 { font-size: 1.5rem !important; }
footer, [data-testid="stDecoration"], [data-testid="stMainMenu"], [data-testid="stAppDeployButton"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 3.6rem 1.5rem 3rem 1.5rem; max-width: 100%; }
[data-testid="stDataFrame"] { font-size: 1.1rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th, [data-testid="stTable"] td p, [data-testid="stTable"] th p,
[data-testid="stTableStyledTable"] td, [data-testid="stTableStyledTable"] th { font-size: 1.1rem !important; }
label p { font-size: 1.1rem !important; }
[data-testid="stMain"] button:disabled, [data-testid="stMain"] button[disabled] {
  opacity: 0.45; filter: grayscale(1); cursor: not-allowed; border-style: dashed !important;
}
[data-testid="stMain"] button:disabled *, [data-testid="stMain"] button[disabled] * { color: #555555 !important; }
"""
)

_DESK_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; }
[data-testid="stMetricValue"] { font-size: clamp(1.1rem, 1.6vw, 1.7rem) !important; }
"""

# Literal: calendar.month_name follows the process's locale.
_ENGLISH_MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905

# English strings Streamlit 1.67 draws itself (file uploader, toolbars, menus) and their French.
# Streamlit has no locale setting for them; a small script, run once per page load in the app's own
# document (``st.html(..., unsafe_allow_javascript=True)``), rewrites them as they appear. Images
# without alternative text get their caption (WCAG 1.1.1).
FRENCH = {
    "Drag and drop file here": "Glissez-déposez un fichier ici",
    "Drag and drop files here": "Glissez-déposez des fichiers ici",
    "Browse files": "Parcourir",
    "Upload": "Choisir un fichier",
    "Show data": "Voir les données",
    "Download as PNG": "Télécharger en PNG",
    "Download as CSV": "Télécharger en CSV",
    "Copy Vega-Lite spec": "Copier la spécification",
    "Fullscreen": "Plein écran",
    "View fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Search": "Rechercher",
    "Rerun": "Relancer",
    "Settings": "Réglages",
    "Print": "Imprimer",
    "About": "À propos",
    "Running...": "Calcul…",
    "Stop": "Arrêter",
    "Clear cache": "Vider le cache",
    "Choose an option": "Choisir",
    "No results": "Aucun résultat",
    "View less": "Voir moins",
    "Select all": "Tout sélectionner",
    "Clear all": "Tout effacer",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Date range": "Période",
    "Select...": "Choisir…",
    "Choose date range": "Choisir une période",
    "dd / mm / yyyy": "jj / mm / aaaa",
    # The date field's segments, one text each, in an English-speaking browser (Historique, « Période »).
    "dd": "jj",
    "yyyy": "aaaa",
    "DD/MM/YYYY": "JJ/MM/AAAA",
    "DD/MM/YYYY – DD/MM/YYYY": "JJ/MM/AAAA – JJ/MM/AAAA",
    # A mistyped address (/Calendrier, /risque): Streamlit's own dialog.
    "Page not found": "Page introuvable",
    "Close": "Fermer",
    # The date picker's calendar (Historique, « Période »): its months.
    **dict(zip(_ENGLISH_MONTHS, FRENCH_MONTHS, strict=True)),
}
_FRENCH_PATTERNS = [
    (r"^Limit (\d+)\s?MB per file(.*)$", "Limite : $1 Mo par fichier$2"),
    (r"^(\d+)\s?MB per file(.*)$", "$1 Mo par fichier$2"),
    (r"^(\d+(?:\.\d+)?)\s?MB$", "$1 Mo"),
    (r"^(\d+(?:\.\d+)?)\s?KB$", "$1 ko"),
    (r"^View (\d+) more$", "Voir $1 de plus"),  # the navigation, past ten pages
    (
        r"^You have requested page /(.*), but no corresponding file was found in the app's pages/ directory\. "
        r"Running the app's main page\.$",
        "L'adresse /$1 ne correspond à aucune page : voici la page d'accueil. Les pages sont dans le menu.",
    ),
    (
        r"^The page that you have requested does not seem to exist\. Running the app's main page\.$",
        "Cette page n'existe pas : voici la page d'accueil. Les pages sont dans le menu.",
    ),
    (r"^Help for (.+)$", "Aide : $1"),  # the « ? » of a widget, read aloud by a screen reader
]


def _french_script() -> str:
    import json

    words = json.dumps(FRENCH, ensure_ascii=False)
    patterns = json.dumps(_FRENCH_PATTERNS)
    return (
        "<script>(() => {\n"
        "  const doc = window.parent && window.parent.document ? window.parent.document : document;\n"
        "  if (doc.__frenchUi) return; doc.__frenchUi = true;\n"
        f"  const words = {words};\n"
        f"  const patterns = {patterns}.map(([re, to]) => [new RegExp(re), to]);\n"
        "  const attrs = ['aria-label', 'title', 'placeholder'];\n"
        "  const tr = (text) => {\n"
        "    const t = text.trim(); if (!t) return null;\n"
        "    if (words[t]) return text.replace(t, words[t]);\n"
        "    for (const [re, to] of patterns) if (re.test(t)) return text.replace(t, t.replace(re, to));\n"
        "    const colon = t.indexOf(': ');  // e.g. 'Fullscreen: Synthèse' (no angle bracket: DOMPurify drops such scripts)\n"
        "    if (colon > 0 && words[t.slice(0, colon)]) return text.replace(t, words[t.slice(0, colon)] + ' : ' + t.slice(colon + 2));\n"
        "    return null;\n"
        "  };\n"
        "  const fix = (root) => {\n"
        "    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);\n"
        "    for (let n = walker.nextNode(); n; n = walker.nextNode()) {\n"
        "      const host = n.parentElement;  // user text (Markdown outside buttons, charts) is never touched\n"
        "      if (host && host.closest('.vega-embed, [data-testid=stMarkdownContainer]') && !host.closest('button, [role=dialog]')) continue;\n"
        "      const out = tr(n.nodeValue); if (out !== null && out !== n.nodeValue) n.nodeValue = out;\n"
        "    }\n"
        "    const scope = root.querySelectorAll ? root : doc;\n"
        "    for (const a of attrs) for (const el of [scope, ...scope.querySelectorAll('[' + a + ']')]) {\n"
        "      const value = el.getAttribute && el.getAttribute(a); if (!value) continue;\n"
        "      const out = tr(value); if (out !== null && out !== value) el.setAttribute(a, out);\n"
        "    }\n"
        "    for (const img of scope.querySelectorAll('img:not([alt]), img[alt=\"\"]')) {\n"
        "      const box = img.closest('[data-testid=stImage], [data-testid=stFullScreenFrame]');\n"
        "      const cap = box && box.parentElement ? box.parentElement.querySelector('[data-testid=stImageCaption]') : null;\n"
        "      img.setAttribute('alt', cap ? cap.innerText : 'Image');\n"
        "    }\n"
        "  };\n"
        "  fix(doc.body);\n"
        "  new MutationObserver((records) => {\n"
        "    for (const r of records) {\n"
        "      if (r.type === 'characterData') { const out = tr(r.target.nodeValue);"
        " if (out !== null && out !== r.target.nodeValue) r.target.nodeValue = out; }\n"
        "      else if (r.type === 'attributes') fix(r.target.parentElement || doc.body);\n"
        "      else for (const n of r.addedNodes) { if (n.nodeType === 1) fix(n);"
        " else if (n.nodeType === 3) { const out = tr(n.nodeValue); if (out !== null) n.nodeValue = out; } }\n"
        "    }\n"
        "  }).observe(doc.body, {subtree: true, childList: true, characterData: true,"
        " attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder', 'src']});\n"
        "})();</script>"
    )


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
            placeholder="Choisir",
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
    state.keep_token_in_url()  # a reload of any page finds this session's draft again


def projector_requested() -> bool:
    """Projector mode as asked by the toggle or, before the toggle exists (first run), by the URL."""
    if PROJECTOR_PARAM in st.session_state:
        return bool(st.session_state[PROJECTOR_PARAM])
    return st.query_params.get(PROJECTOR_PARAM, "").lower() in ("true", "1")


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
    """The page's CSS (projector or desk) and the French rewriting of Streamlit's own English."""
    css = _COMMON_CSS + (_PROJECTOR_CSS if state.projector() else _DESK_CSS)
    st.html(f"<style>{css}</style>")
    st.html(_french_script() + grid_typing_script(), unsafe_allow_javascript=True)


def header(title: str, caption: str | None = None, demo: bool | None = None) -> None:
    """Page title, the scenario in use (and whether it is saved), and the demo-data notice.

    ``demo``: whether the portfolio is the demo dataset, when the page already read it (``Store.glance``)."""
    current = state.status()
    line = f"Scénario en cours : **{md(current.name)}**"
    if current.modified:
        line += " — :orange[**modifié, non enregistré**]"
    if current.name != current.base_name:
        line += f" (à partir de « {md(current.base_name)} »)"
    if state.projector():  # title beside the scenario: the KPIs and the chart get the height
        left, where = st.columns([1, 2.4], vertical_alignment="center")
        left.title(title)
    else:
        st.title(title)
        where = st.container()
    where.markdown(line)
    notice = (
        (SHORT_DEMO_NOTICE if state.projector() else DEMO_NOTICE)
        if (state.store().is_demo() if demo is None else demo)
        else CITY_NOTICE
    )
    where.caption(notice + (f"  \n{caption}" if caption else ""))
    restored = state.restored_notice()
    if restored is not None:
        st.info(restored_text(restored), icon=":material/restore:")


def restored_text(kept_at: float) -> str:
    """The French notice of a draft found again after a reload or a lost connection."""
    from datetime import datetime

    when = datetime.fromtimestamp(kept_at)
    return (
        "**Travail en cours retrouvé** : la page a été rechargée ou la connexion coupée ; le scénario de travail "
        f"non enregistré est rétabli tel qu'il était à {when.hour} h {when.minute:02d}. Enregistrez-le pour le garder."
    )


format_kpi = fr.kpi_value
format_kpi_delta = fr.kpi_delta


def kpi_help(key: str, projector: bool) -> str:
    """A card's hover text: the KPI's definition in one sentence (the note's glossary says the same),
    after its full label when the card shows a short one."""
    definition = KPI_DEFINITION.get(key, "")
    if projector and key in SHORT_KPI and SHORT_KPI[key] != KPI[key]:
        return f"**{KPI[key]}** — {definition}" if definition else KPI[key]
    return definition


KPI_STRIP = "kpi_strip"
"""The container key of the projector's sticky strip (CSS below, browser tests)."""
KPI_STRIP_CSS = f"""
.st-key-{KPI_STRIP} {{ position: sticky; top: 3.6rem; z-index: 990; background: #ffffff;
  padding: 0.15rem 0 0.3rem 0; border-bottom: 2px solid #c8ced4; gap: 0.4rem; }}
[data-testid="stLayoutWrapper"]:has(> .st-key-{KPI_STRIP}) {{ position: sticky; top: 3.6rem; z-index: 990; }}
.st-key-{KPI_STRIP} [data-testid="stColumn"] {{ min-width: 0; }}
.st-key-{KPI_STRIP} [data-testid="stMetric"] {{ padding: 0.1rem 0.25rem !important; position: relative; }}
.st-key-{KPI_STRIP} [data-testid="stMetric"] > div {{ padding: 0.1rem 0.2rem !important; gap: 0.05rem; }}
.st-key-{KPI_STRIP} [data-testid="stMetricLabel"] p {{ font-size: 0.8rem !important; line-height: 1.15;
  overflow-wrap: normal; word-break: normal; hyphens: none; padding-right: 1.05rem; }}
.st-key-{KPI_STRIP} [data-testid="stTooltipIcon"] {{ position: absolute; top: 0.15rem; right: 0.15rem; }}
.st-key-{KPI_STRIP} [data-testid="stTooltipIcon"] svg {{ width: 0.8rem; height: 0.8rem; }}
.st-key-{KPI_STRIP} [data-testid="stMetricValue"] {{ font-size: clamp(1.1rem, 1.9vw, 2.2rem) !important; }}
.st-key-{KPI_STRIP} [data-testid="stMetricDelta"] {{ font-size: 0.8rem !important; padding: 0 0.3rem; }}
.st-key-{KPI_STRIP} [data-testid="stMetricDelta"] svg {{ width: 0.85rem; height: 0.85rem; }}
"""
"""On a projector the strip stays under the top bar (3,6 rem, the page's top padding) while the
page scrolls to a lever: its figures in one row, smaller than the cards' but whole."""


def kpi_cards(
    result: Result,
    reference: Result | None,
    keys: list[str],
    columns: int = 4,
    extra: Callable[[], None] | None = None,
    sticky: bool = False,
) -> None:
    """One ``st.metric`` per KPI, with the difference to the reference (red when worse).

    On a projector the labels are short (:data:`SHORT_KPI`, the full label in the tooltip). Every
    card's tooltip defines the figure in one sentence (:data:`simulation.labels.KPI_DEFINITION`).
    ``extra`` draws one more card in the grid's next cell (e.g. the odds of the risk page), so
    the cards keep their rows and the chart below keeps its place on screen. ``sticky``: on a
    projector, the cards are one compact row that stays under the top bar (:data:`KPI_STRIP_CSS`).
    """
    projector = state.projector()
    slots: list[str | None] = [*keys, None] if extra is not None else list(keys)
    if sticky and projector:  # one row that stays on screen: the room sees a lever's consequence
        st.html(f"<style>{KPI_STRIP_CSS}</style>")
        columns = len(slots)
        box = st.container(key=KPI_STRIP)
    else:
        box = st.container()
    same = "inchangé" if sticky and projector else "= référence"  # a strip's cell is narrow
    rows = [slots[i : i + columns] for i in range(0, len(slots), columns)]
    for row in rows:
        for column, key in zip(box.columns(columns, gap="small"), row, strict=False):
            if key is None:
                assert extra is not None
                with column:
                    extra()
                continue
            value = result.kpis[key]
            delta = None
            if reference is not None:
                delta = format_kpi_delta(key, value - reference.kpis[key])
            column.metric(
                SHORT_KPI.get(key, KPI[key]) if projector else KPI[key],
                format_kpi(key, value),
                delta=delta if delta is not None else (same if reference is not None else None),
                delta_color=("inverse" if key in LOWER_IS_BETTER else "normal") if delta is not None else "off",
                delta_arrow="auto" if delta is not None else "off",
                border=True,
                help=kpi_help(key, projector),
            )
