"""The envelope editor (per owner and per year) on the working scenario: Arbitrage and Scénarios.

Cells are M€ written the French way; the conversion and the checks are in ``ui.frames.lever_table``
(no Streamlit), the scenario change in ``simulation.levers.with_envelope``. A refused cell is
explained under the editor, which is drawn again showing the envelopes in force.
"""

from __future__ import annotations

import streamlit as st

from simulation.levers import ENVELOPE_OWNER
from ui import state, tables
from ui.frames import lever_table


def envelope_editor(key: str) -> None:
    problems_key, refusals_key = f"{key}_problems", f"{key}_refusals"
    editor_key = f"{key}@{state.generation()}@{st.session_state.get(refusals_key, 0)}"

    def apply() -> None:
        edits = st.session_state[editor_key].get("edited_rows", {})
        updated, problems = lever_table.apply_envelope_edits(state.working(), edits)
        if problems:
            st.session_state[problems_key] = problems
            st.session_state[refusals_key] = int(st.session_state.get(refusals_key, 0)) + 1
            return
        st.session_state.pop(problems_key, None)
        state.set_working(updated)

    table = lever_table.envelope_table(state.working())
    tables.grid(
        table,
        slot=f"{key}_grid",
        height=tables.grid_height(len(table)),
        editable=True,
        key=editor_key,
        on_change=apply,
        disabled=[ENVELOPE_OWNER],
        column_config={
            column: st.column_config.TextColumn(column, help=f"Enveloppe {column} en M€ TTC ; vide : pas d'enveloppe")
            for column in table.columns
            if column != ENVELOPE_OWNER
        },
    )
    st.caption("Montants en millions d'euros TTC (exemple : 45,5). Une case vide : pas d'enveloppe cette année-là.")
    problems = st.session_state.get(problems_key, [])
    if problems:
        st.error(
            "Valeur refusée, le scénario n'a pas changé :  \n" + "  \n".join(f"– {p}" for p in problems),
            icon=":material/block:",
        )
