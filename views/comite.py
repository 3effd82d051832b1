"""Préparation du comité d'engagement: which operations have their programme, cost and calendar
defined, what the others lack, per neighbourhood and directorate; a Word note per neighbourhood."""

import functools
import math
from datetime import date

import pandas as pd
import streamlit as st

from exports.readiness_note import readiness_docx
from simulation import fr
from simulation.readiness import ASPECT_LABELS, ASPECTS, DEFINED, neighbourhood_summary, readiness
from ui import layout, state
from ui.tables import PROJECTOR_PAGE_ROWS, read_only_table

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READY, PENDING = "Prêtes", "À compléter"  # short: the three options fit one column at 1280 px

layout.header(
    "Préparation du comité d'engagement",
    "Une opération est présentée quand son programme, son coût et son calendrier sont définis.",
)
portfolio = state.portfolio()
rows = readiness(portfolio)
names = portfolio.neighbourhood_names

with st.expander("Critères de définition", icon=":material/rule:"):
    st.markdown(
        "- **Programme** : surface ; capacité (classes, places) pour un groupe scolaire ou une crèche ; "
        "texte du programme.\n"
        "- **Coût** : coût HT avec son année de prix ; maturité au moins « programme validé » ; "
        "plan de financement (au moins une ligne).\n"
        "- **Calendrier** : mois de début ; durée de chaque phase encore à venir (une phase déjà passée selon la "
        "maturité peut durer 0 mois) ; dépendance indiquée pour une démolition-reconstruction (démolition ou "
        "libération foncière attendue).\n\n"
        "Chaque niveau est **défini** (tous les critères), **partiel** (une partie) ou **absent** (aucun)."
    )

codes = [n.code for n in portfolio.neighbourhoods if any(r.neighbourhood == n.code for r in rows)]
# The committee's paper first: the Word note's picker and button head the page (they were 26 screens
# down at 1280 px).
picker, button = st.columns([2, 1], vertical_alignment="bottom")
note_code = picker.selectbox(
    "Quartier de la note",
    codes,
    format_func=lambda c: names.get(c, c),
    placeholder="Choisir un quartier",  # never Streamlit's English, even before the page's rewrite runs
    key="comite_note_quartier",
)
if note_code:
    button.download_button(
        "Note du quartier (Word)",
        data=functools.partial(readiness_docx, portfolio, note_code, date.today()),
        file_name=f"comite_engagement_{note_code}.docx",
        mime=DOCX,
        icon=":material/description:",
        on_click="ignore",
        width="stretch",
        help="Les opérations prêtes (programme, coût, calendrier, financements), puis ce qui reste à définir "
        "et la direction qui en a la charge.",
    )

directorates = sorted({r.directorate for r in rows})
projector = state.projector()
left, middle, right = st.columns([1, 1, 1.5] if projector else [1, 1, 1])
chosen_codes = left.multiselect(
    "Quartiers", codes, format_func=lambda c: names.get(c, c), placeholder="Tous les quartiers", key="comite_quartiers"
)
chosen_directorates = middle.multiselect(
    "Directions", directorates, placeholder="Toutes les directions", key="comite_directions"
)
status = (
    right.segmented_control("Opérations", ["Toutes", READY, PENDING], default="Toutes", key="comite_statut") or "Toutes"
)

shown = [
    r
    for r in rows
    if (not chosen_codes or r.neighbourhood in chosen_codes)
    and (not chosen_directorates or r.directorate in chosen_directorates)
    and (status == "Toutes" or r.ready == (status == READY))
]
in_scope = [
    r
    for r in rows
    if (not chosen_codes or r.neighbourhood in chosen_codes)
    and (not chosen_directorates or r.directorate in chosen_directorates)
]

ready_count = sum(r.ready for r in in_scope)
cards = st.columns(4)
cards[0].metric("Prêtes à présenter", f"{ready_count} sur {len(in_scope)}")
for column, aspect in zip(cards[1:], ASPECTS, strict=True):
    column.metric(f"{ASPECT_LABELS[aspect]} défini", fr.number(sum(getattr(r, aspect) == DEFINED for r in in_scope)))

st.subheader("Par quartier")
summary = neighbourhood_summary(portfolio, in_scope)
if summary:
    read_only_table(
        pd.DataFrame(
            {
                "Quartier": [n["name"] for n in summary],
                "Opérations": [n["n_operations"] for n in summary],
                "Prêtes": [n["n_ready"] for n in summary],
                **{f"{ASPECT_LABELS[a]} défini": [n[f"n_{a}_defined"] for n in summary] for a in ASPECTS},
                "Manque le plus souvent": [
                    next(iter(n["missing"]), "—") + (f" ({next(iter(n['missing'].values()))})" if n["missing"] else "")
                    for n in summary
                ],
                "Directions à solliciter": [", ".join(n["directorates_to_act"]) or "—" for n in summary],
            }
        ),
        height="content",
    )

st.subheader("Par opération")
if not shown:
    st.info("Aucune opération ne correspond à ces filtres.")
else:
    # On a projector the table is static HTML (large type): a page of rows at a time, not 103.
    page_rows = shown
    if projector and len(shown) > PROJECTOR_PAGE_ROWS:
        pages = math.ceil(len(shown) / PROJECTOR_PAGE_ROWS)
        page = st.segmented_control(
            f"Page ({PROJECTOR_PAGE_ROWS} opérations par page)",
            list(range(1, pages + 1)),
            default=1,
            key="comite_page",
        )
        page = min(page or 1, pages)
        page_rows = shown[(page - 1) * PROJECTOR_PAGE_ROWS : page * PROJECTOR_PAGE_ROWS]
    read_only_table(
        pd.DataFrame(
            {
                "Opération": [r.id for r in page_rows],
                "Intitulé": [r.title for r in page_rows],
                "Quartier": [names.get(r.neighbourhood, r.neighbourhood) for r in page_rows],
                "Direction": [r.directorate for r in page_rows],
                **{ASPECT_LABELS[a]: [getattr(r, a) for r in page_rows] for a in ASPECTS},
                "À définir": [" ; ".join(r.missing) or "—" for r in page_rows],
            }
        )
    )
    st.caption(
        f"{fr.count(len(shown), 'opération')} ; {len(page_rows)} sur cette page."
        if len(page_rows) < len(shown)
        else f"{fr.count(len(shown), 'opération')}."
    )
