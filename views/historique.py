"""Historique: every change to the shared data (who, when, before → after, why), change sets
that can be undone as a whole, and the scenarios' bin."""

from __future__ import annotations

from datetime import datetime, time

import streamlit as st

from store.access import Action, may, reserved_to
from ui import identity, layout, state, tables
from ui.frames.history_table import history_frame
from ui.frames.plain import plain_frame
from ui.widgets import show_flash, store_action

PAGE = "historique"  # its flash message

layout.header("Historique", "Chaque modification des données communes, par qui, quand, avant → après.")
store = state.store()
show_flash(PAGE)

portfolio = state.portfolio()
people = sorted({e.user for e in store.history(limit=5000)})
f1, f2, f3, f4 = st.columns([1.2, 1.2, 1, 1.4])
operation = f1.selectbox(
    "Opération",
    portfolio.ids,
    index=None,
    placeholder="Toutes",
    key="hist_operation",
    format_func=lambda i: f"{i} – {portfolio.by_id[i].title}",
)
directorate = f2.selectbox(
    "Direction",
    sorted({op.directorate for op in portfolio.operations}),
    index=None,
    placeholder="Toutes",
    key="hist_directorate",
)
person = f3.selectbox("Personne", people, index=None, placeholder="Toutes", key="hist_person")
dates = f4.date_input("Période", value=[], key="hist_dates", format="DD/MM/YYYY")
since = until = None
if isinstance(dates, tuple) and len(dates) >= 1:
    since = datetime.combine(dates[0], time.min)
    until = datetime.combine(dates[-1], time.max)

entries = store.history(operation=operation, directorate=directorate, user=person, since=since, until=until, limit=2000)
st.caption(f"{len(entries)} modification(s)" + (" (les 2 000 plus récentes)" if len(entries) == 2000 else ""))
if entries:
    frame = history_frame(entries)
    if len(frame) <= 60:  # a static table wraps long values and reads as a timeline
        st.table(plain_frame(frame), hide_index=True, border="horizontal")  # st.table reads Markdown: user text
    else:
        tables.grid(frame, slot="history_grid", height=tables.grid_height(len(frame), 14), key="hist_table")
else:
    st.info("Aucune modification ne correspond à ces filtres.")

acting = identity.acting_person()
may_undo = may(acting, Action.UNDO_CHANGE_SET)
may_purge = may(acting, Action.EMPTY_BIN)

st.subheader("Lots de modifications")
st.caption(
    "Un import (remplacement compris) est un seul lot : un administrateur peut l'annuler en entier ; "
    "l'annulation est elle-même un nouveau lot, enregistré."
)
change_sets = [c for c in store.change_sets() if c.undone_by is None and c.action != "état initial"][:50]
if change_sets:
    labels = {
        c.id: f"n° {c.id} — {c.at:%d/%m/%Y %H:%M} — {c.user} — {c.action}" + (f" ({c.reason})" if c.reason else "")
        for c in change_sets
    }
    chosen = st.selectbox(
        "Lot", list(labels), format_func=labels.__getitem__, key="hist_change_set", placeholder="Choisir"
    )
    if st.button(
        "Annuler ce lot",
        key="hist_undo",
        icon=":material/undo:",
        disabled=not may_undo,
        help=None if may_undo else reserved_to(Action.UNDO_CHANGE_SET),
    ):
        store_action(PAGE, lambda: store.undo_change_set(chosen), lambda summary: f"Lot n° {chosen} annulé : {summary}")
else:
    st.caption("Aucun lot à annuler.")

st.subheader("Corbeille des scénarios")
binned = store.binned_scenarios()
if not binned:
    st.caption("La corbeille est vide.")
else:
    names = [b.name for b in binned]
    tables.grid(  # a grid: names are user text (never Markdown), enlarged on a projector
        {
            "Scénario": names,
            "Auteur": [b.author for b in binned],
            "Supprimé par": [b.deleted_by for b in binned],
            "Le": [f"{b.deleted_at:%d/%m/%Y %H:%M}" for b in binned],
        },
        slot="bin_grid",
        height=tables.grid_height(len(names)),
    )
    picked = st.selectbox(
        "Scénario de la corbeille", list(dict.fromkeys(names)), key="hist_bin_pick", placeholder="Choisir"
    )
    restore_col, purge_col = st.columns(2)
    if restore_col.button("Restaurer", key="hist_bin_restore", icon=":material/restore_from_trash:"):
        store_action(PAGE, lambda: store.restore_scenario(picked), f"Scénario « {picked} » restauré.")
    if purge_col.button(
        "Purger définitivement",
        key="hist_bin_purge",
        icon=":material/delete_forever:",
        disabled=not may_purge,
        help=None if may_purge else reserved_to(Action.EMPTY_BIN),
    ):
        store_action(PAGE, lambda: store.purge_scenario(picked), f"Scénario « {picked} » purgé.")
