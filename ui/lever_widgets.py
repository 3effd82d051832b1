"""The Arbitrage page's levers (Streamlit widgets): the general levers, the directorates'
headcounts, the one-operation focus panel and the per-operation lever grid.

Each lever calls ``ui.levers.try_lever`` (refused values explained in place, accepted ones become
the working scenario); bounds and steps come from ``simulation.limits``, the grid's frame from
``ui.frames.lever_table``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from simulation import Portfolio, Result, Scenario, fr
from simulation.labels import OWNER, SHIFT_MONTHS, STATUS
from simulation.levers import envelope_level, scale_envelopes, shift_range_text, with_headcount, with_settings
from simulation.limits import (
    COST_SLIDER_PERCENT,
    COST_STEP_PERCENT,
    ENVELOPE_LEVELS,
    ESCALATION_RATES,
    HEADCOUNTS,
    SHIFT_SLIDER_MONTHS,
    slider_reach,
)
from simulation.scenario import allowed_shift
from ui import state, tables
from ui.frames import lever_table as levers_frame
from ui.frames.plain import md
from ui.levers import accept, month_options, refusals, refuse, show_problems, synced, try_lever


def global_levers(portfolio: Portfolio) -> None:
    """Envelope level, escalation, deadlines; the directorates' headcounts in an expander."""
    scenario, base = state.working(), state.saved()
    level = min(ENVELOPE_LEVELS, key=lambda v: abs(v - envelope_level(scenario, base)))
    st.select_slider(
        "Niveau des enveloppes (par rapport au scénario enregistré)",
        list(ENVELOPE_LEVELS),
        value=level,
        format_func=lambda v: fr.percent(v, 0),
        key=synced("lever_envelope_level", level),
        on_change=lambda: try_lever(
            lambda: scale_envelopes(state.working(), state.saved(), st.session_state["lever_envelope_level"]),
            "global",
            "lever_envelope_level",
        ),
        help="Toutes les enveloppes de crédits de paiement, tous maîtres d'ouvrage et toutes années : "
        "celles du scénario enregistré multipliées par ce pourcentage (les montants saisis un à un "
        "ci-dessous sont alors remplacés).",
    )
    escalation = min(ESCALATION_RATES, key=lambda v: abs(v - scenario.escalation_rate))
    st.select_slider(
        "Actualisation des prix (par an)",
        list(ESCALATION_RATES),
        value=escalation,
        format_func=fr.percent,
        key=synced("lever_escalation", escalation),
        on_change=lambda: try_lever(
            lambda: with_settings(state.working(), escalation_rate=st.session_state["lever_escalation"]),
            "global",
            "lever_escalation",
        ),
    )
    months = month_options(scenario)
    for field, label in (
        ("commitment_deadline", "Échéance d'engagement"),
        ("completion_deadline", "Échéance d'achèvement"),
    ):
        value = getattr(scenario, field)
        st.select_slider(
            label,
            months if value in months else [value, *months],
            value=value,
            format_func=fr.month,
            key=synced(f"lever_{field}", value),
            on_change=lambda field=field: try_lever(
                lambda: with_settings(state.working(), **{field: st.session_state[f"lever_{field}"]}),
                "global",
                f"lever_{field}",
            ),
        )
    show_problems("global")
    # Drawn only while open (lazy expanders): a lever move does not redraw what nobody looks at.
    with st.expander("Effectifs des directions (ETP)", key="arbitrage_headcount_open", on_change="rerun") as box:
        if box.open:
            headcount_levers(scenario, portfolio)


def headcount_levers(scenario: Scenario, portfolio: Portfolio) -> None:
    directorates = sorted({op.directorate for op in portfolio.operations} | set(scenario.headcount))
    for directorate in directorates:
        value = float(scenario.headcount.get(directorate, 0.0))
        key = synced(f"lever_headcount_{directorate}", value)
        st.select_slider(
            md(directorate),  # a label reads Markdown: the directorate is user text
            sorted(set(HEADCOUNTS) | {value}),
            value=value,
            format_func=fr.fte,
            key=key,
            on_change=lambda d=directorate, k=key: try_lever(
                lambda: with_headcount(state.working(), d, st.session_state[k]), "headcount", k
            ),
        )
    show_problems("headcount")


def focus_panel(operation_ids: list[str], portfolio: Portfolio, result: Result) -> None:
    """One operation at a time, with big controls: what a room asks for ("push it by a year").

    ``result`` is the working scenario's, already simulated by the page."""
    scenario = result.scenario
    if not operation_ids:
        st.info("Aucune opération ne correspond aux filtres.")
        return
    # The first operation offered is one that can move: a disabled slider was the room's first sight.
    movable = next(
        (
            n
            for n, i in enumerate(operation_ids)
            if allowed_shift(portfolio.by_id[i], scenario.choice(i), scenario.reference_month) is not None
        ),
        0,
    )
    op_id = st.selectbox(
        "Opération",
        operation_ids,
        index=movable,
        format_func=lambda i: f"{i} – {portfolio.by_id[i].title}",
        key="focus_operation",
        placeholder="Choisir",
    )
    choice = scenario.choice(op_id)
    operation = portfolio.by_id[op_id]
    columns = st.columns([1, 2, 2, 2])
    keep_key = synced(f"focus_keep_{op_id}", choice.keep)
    columns[0].toggle(
        "Garder",
        value=choice.keep,
        key=keep_key,
        on_change=lambda: try_lever(
            lambda: state.working().with_choice(op_id, keep=st.session_state[keep_key]), "focus", keep_key
        ),
    )
    allowed = allowed_shift(operation, choice, scenario.reference_month)
    with columns[1]:
        shift_key = synced(f"focus_shift_{op_id}", choice.shift_months)
        if allowed is None:
            st.slider(
                SHIFT_MONTHS,
                min_value=min(-1, choice.shift_months),
                max_value=max(1, choice.shift_months),
                value=choice.shift_months,
                key=shift_key,
                disabled=True,
            )
            st.caption(
                f"Toutes ses phases ont commencé avant le mois de référence ({fr.month(scenario.reference_month)}) : "
                "rien à décaler."
            )
        else:
            low, high = allowed
            lever_low, lever_high = slider_reach(
                max(low, -SHIFT_SLIDER_MONTHS), min(high, SHIFT_SLIDER_MONTHS), choice.shift_months
            )
            st.slider(
                SHIFT_MONTHS,
                min_value=lever_low,
                max_value=lever_high,
                step=1,
                value=choice.shift_months,
                key=shift_key,
                on_change=lambda: try_lever(
                    lambda: state.working().with_choice(op_id, shift_months=st.session_state[shift_key]),
                    "focus",
                    shift_key,
                ),
                help="Un retard reporte les phases pas encore commencées au mois de référence ; une avance ne "
                "fait rien commencer avant ce mois.",
            )
            # The caption says what the slider allows; a longer shift goes through the table.
            caption = shift_range_text(lever_low, lever_high, scenario.reference_month)
            if (lever_low, lever_high) != (low, high):
                caption += f" Au-delà (de {low} à +{high} mois) : colonne « {SHIFT_MONTHS} » du tableau."
            st.caption(caption)
    # The value in force, as the table shows it: the slider's reach widens to it (200 % stays 200 %).
    cost = round(choice.cost_factor * 100)
    cost_low, cost_high = slider_reach(*COST_SLIDER_PERCENT, cost)
    cost_key = synced(f"focus_cost_{op_id}", cost)
    columns[2].slider(
        "Coût (% du programme)",
        min_value=cost_low,
        max_value=cost_high,
        step=COST_STEP_PERCENT,
        value=cost,
        format="%d %%",
        key=cost_key,
        on_change=lambda: try_lever(
            lambda: state.working().with_choice(op_id, cost_factor=st.session_state[cost_key] / 100),
            "focus",
            cost_key,
        ),
        help="Réduction ou extension du programme : le coût suit, les financements ne dépassent pas le montant convenu.",
    )
    # "" is the operation's own owner: a None value would show Streamlit's empty placeholder.
    owners = ["", *OWNER]
    owner = str(choice.owner) if choice.owner else ""
    owner_key = synced(f"focus_owner_{op_id}", owner)
    columns[3].selectbox(
        "Maître d'ouvrage",
        owners,
        index=owners.index(owner),
        format_func=lambda o: f"{OWNER[operation.owner]} (d'origine)" if o == "" else OWNER[o],
        key=owner_key,
        on_change=lambda: try_lever(
            lambda: state.working().with_choice(op_id, owner=st.session_state[owner_key] or None), "focus", owner_key
        ),
        placeholder="Choisir",
    )
    show_problems("focus")
    ops = result.operations
    row: dict[Any, Any] = ops.iloc[int(np.flatnonzero(ops["operation_id"].to_numpy() == op_id)[0])].to_dict()
    if not row["kept"]:
        st.markdown(f"**{STATUS[row['status']]}** — ANRU renoncée {fr.meuros(row['anru_forgone'], 2)}")
        return
    st.markdown(
        f"**{STATUS[row['status']]}** — travaux {fr.of_month(row['works_start'])} à {fr.month(row['completion'])}, "
        f"CP TTC {fr.meuros(row['spending_ttc'])}, ANRU sécurisée {fr.meuros(row['anru_secured'], 2)}"
        + (f", **ANRU perdue {fr.meuros(row['anru_lost'], 2)}**" if row["anru_lost"] else "")
    )


# Memoised by scenario (frames are shared: never modified in place): a lever move that comes back to
# a scenario already seen, or another session on the same scenario, does not rebuild them.
@st.cache_resource(max_entries=64, show_spinner=False)
def _lever_frame(revision: int, scenario_json: str, _portfolio, _scenario):
    return levers_frame.lever_table(_portfolio, _scenario, state.run(_scenario, revision))


def lever_table(gen: int, visible_ids: list[str], revision: int, portfolio: Portfolio) -> None:
    """The per-operation lever grid (editable), for the operations the filters keep."""
    scenario = state.working()
    table = _lever_frame(revision, scenario.model_dump_json(), portfolio, scenario)
    table = table[table["id"].isin(visible_ids)].reset_index(drop=True)
    key = f"lever_table@{gen}@{refusals()}@{hash(tuple(visible_ids))}"

    def apply() -> None:
        edits = st.session_state[key].get("edited_rows", {})
        updated, problems = levers_frame.apply_edits(state.working(), portfolio, list(table["id"]), edits)
        if problems:
            refuse("table", problems)
        else:
            accept(updated)

    disabled = [c for c in table.columns if c not in levers_frame.EDITABLE]
    projector = state.projector()
    # On a projector the enlarged grid shows the levers and what they change, in widths that fit
    # 1920 px (the filters above say the neighbourhood, the directorate and the type).
    width = levers_frame.PROJECTOR_WIDTHS.get if projector else (lambda column: None)
    tables.grid(
        table,
        slot="lever_grid",
        height=tables.grid_height(len(table), 13),
        editable=True,
        key=key,
        on_change=apply,
        disabled=disabled,
        column_order=list(levers_frame.PROJECTOR_WIDTHS) if projector else None,
        column_config={
            "id": st.column_config.TextColumn("id", width=width("id")),
            levers_frame.KEEP: st.column_config.CheckboxColumn(
                levers_frame.KEEP, help="Décochez pour abandonner l'opération", width=width(levers_frame.KEEP)
            ),
            levers_frame.SHIFT: st.column_config.NumberColumn(
                levers_frame.SHIFT,
                min_value=levers_frame.SHIFT_RANGE[0],
                max_value=levers_frame.SHIFT_RANGE[1],
                step=1,
                width=width(levers_frame.SHIFT),
            ),
            levers_frame.COST: st.column_config.NumberColumn(
                levers_frame.COST,
                min_value=levers_frame.COST_RANGE[0],
                max_value=levers_frame.COST_RANGE[1],
                step=COST_STEP_PERCENT,
                width=width(levers_frame.COST),
            ),
            levers_frame.OWNER_COLUMN: st.column_config.SelectboxColumn(
                levers_frame.OWNER_COLUMN, options=levers_frame.OWNER_CHOICES, width=width(levers_frame.OWNER_COLUMN)
            ),
            "Intitulé": st.column_config.TextColumn("Intitulé", width=width("Intitulé") or "large"),
            "Statut": st.column_config.TextColumn("Statut", width=width("Statut")),
            "CP TTC": st.column_config.TextColumn("CP TTC", width=width("CP TTC")),
        },
    )
