"""Arbitrage: the live workshop page. Every lever recomputes the scenario at once."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st
from pydantic import ValidationError

import charts
from simulation import Portfolio, Result, fr
from simulation.compare import operation_differences, settings_changes
from simulation.errors import french_problems
from simulation.labels import FACILITY_TYPE, OWNER, OWNER_FILTER, STATUS, chart_owner, label_of
from simulation.levers import (
    change_totals,
    envelope_level,
    scale_envelopes,
    shift_range_text,
    with_headcount,
    with_settings,
)
from simulation.months import format_month, parse_month
from simulation.scenario import allowed_shift
from ui import chart_cache, layout, save_form, state, tables
from ui import lever_table as levers_frame
from ui.envelope_editor import envelope_editor
from ui.plain import md
from ui.tables import read_only_table
from ui.thread import thread_summary

_PROBLEMS = "arbitrage_problems"  # {where: [French problems]}: a refusal is explained next to its lever
_REFUSALS = "arbitrage_refusals"  # counts refusals, so an editor showing a refused value is redrawn
SAVE_KEY = "arbitrage_save"
SHIFT_SLIDER_LIMIT = 120
ENVELOPE_LEVELS = [round(0.5 + 0.05 * i, 2) for i in range(21)]
ESCALATION_RATES = [round(0.005 * i, 3) for i in range(21)]
HEADCOUNTS = [0.5 * i for i in range(81)]  # 0 to 40 FTE


def _try(change, where: str, lever: str | None = None) -> None:
    """Apply a lever; a refused value is explained in French next to the lever (``where``) and
    changes nothing (the lever is drawn again showing the value in force)."""
    try:
        scenario = change()
    except ValidationError as exc:
        _refuse(where, [str(p) for p in french_problems(exc)])
        return
    problems = scenario.check_against(state.portfolio())
    if problems:
        _refuse(where, problems)
        return
    st.session_state.pop(_PROBLEMS, None)
    state.set_working(scenario, lever=lever)


def _refuse(where: str, problems: list[str]) -> None:
    st.session_state[_PROBLEMS] = {where: problems}
    st.session_state[_REFUSALS] = int(st.session_state.get(_REFUSALS, 0)) + 1


def _show_problems(where: str) -> None:
    problems = st.session_state.get(_PROBLEMS, {}).get(where, [])
    if problems:
        st.error(
            "Valeur refusée, le scénario n'a pas changé :  \n" + "  \n".join(f"– {p}" for p in problems),
            icon=":material/block:",
        )


def _month_options(scenario) -> list[str]:
    first = parse_month(scenario.reference_month)
    return [format_month(m) for m in range(first, first + 12 * 12)]


def _synced(key: str, value: object) -> str:
    """A widget key whose state shows ``value``, the scenario's.

    Keys are stable, so a slider keeps the keyboard focus between reruns (arrow keys can be
    pressed again and again); when the scenario changed elsewhere (undo, reset, the table,
    a refused value), the widget is brought back to what the scenario says before it is drawn.

    Every synced widget is also given that value as its default (``value=``/``index=``): the
    browser falls back to a widget's default when it draws the widget again without a stored
    value (a run interrupted by another), and a default left at the first option once sent
    "50 %" for the envelope level along with the next edit. ``.streamlit/config.toml`` silences
    Streamlit's warning about a default given with a value set through the session state.
    """
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value
    return key


_MISSING = object()


def global_levers() -> None:
    scenario, base = state.working(), state.saved()
    level = min(ENVELOPE_LEVELS, key=lambda v: abs(v - envelope_level(scenario, base)))
    st.select_slider(
        "Niveau des enveloppes (par rapport au scénario enregistré)",
        ENVELOPE_LEVELS,
        value=level,
        format_func=lambda v: fr.percent(v, 0),
        key=_synced("lever_envelope_level", level),
        on_change=lambda: _try(
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
        ESCALATION_RATES,
        value=escalation,
        format_func=fr.percent,
        key=_synced("lever_escalation", escalation),
        on_change=lambda: _try(
            lambda: with_settings(state.working(), escalation_rate=st.session_state["lever_escalation"]),
            "global",
            "lever_escalation",
        ),
    )
    months = _month_options(scenario)
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
            key=_synced(f"lever_{field}", value),
            on_change=lambda field=field: _try(
                lambda: with_settings(state.working(), **{field: st.session_state[f"lever_{field}"]}),
                "global",
                f"lever_{field}",
            ),
        )
    _show_problems("global")
    # Drawn only while open (lazy expanders): a lever move does not redraw what nobody looks at.
    with st.expander("Effectifs des directions (ETP)", key="arbitrage_headcount_open", on_change="rerun") as box:
        if box.open:
            headcount_levers(scenario)


def headcount_levers(scenario) -> None:
    directorates = sorted({op.directorate for op in state.portfolio().operations} | set(scenario.headcount))
    for directorate in directorates:
        value = float(scenario.headcount.get(directorate, 0.0))
        key = _synced(f"lever_headcount_{directorate}", value)
        st.select_slider(
            md(directorate),  # a label reads Markdown: the directorate is user text
            sorted(set(HEADCOUNTS) | {value}),
            value=value,
            format_func=fr.fte,
            key=key,
            on_change=lambda d=directorate, k=key: _try(
                lambda: with_headcount(state.working(), d, st.session_state[k]), "headcount", k
            ),
        )
    _show_problems("headcount")


def focus_panel(operation_ids: list[str], portfolio: Portfolio, result: Result) -> None:
    """One operation at a time, with big controls: what a room asks for ("push it by a year").

    ``result`` is the working scenario's, already simulated by the page."""
    scenario = result.scenario
    if not operation_ids:
        st.info("Aucune opération ne correspond aux filtres.")
        return
    op_id = st.selectbox(
        "Opération",
        operation_ids,
        format_func=lambda i: f"{i} – {portfolio.by_id[i].title}",
        key="focus_operation",
        placeholder="Choisir",
    )
    choice = scenario.choice(op_id)
    operation = portfolio.by_id[op_id]
    columns = st.columns([1, 2, 2, 2])
    keep_key = _synced(f"focus_keep_{op_id}", choice.keep)
    columns[0].toggle(
        "Garder",
        value=choice.keep,
        key=keep_key,
        on_change=lambda: _try(
            lambda: state.working().with_choice(op_id, keep=st.session_state[keep_key]), "focus", keep_key
        ),
    )
    allowed = allowed_shift(operation, choice, scenario.reference_month)
    with columns[1]:
        shift_key = _synced(f"focus_shift_{op_id}", choice.shift_months)
        if allowed is None:
            st.slider(
                "Décalage (mois)",
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
            lever_low = min(max(low, -SHIFT_SLIDER_LIMIT), choice.shift_months)
            lever_high = max(min(high, SHIFT_SLIDER_LIMIT), choice.shift_months)
            st.slider(
                "Décalage (mois)",
                min_value=lever_low,
                max_value=lever_high,
                step=1,
                value=choice.shift_months,
                key=shift_key,
                on_change=lambda: _try(
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
                caption += f" Au-delà (de {low} à +{high} mois) : colonne « Décalage (mois) » du tableau."
            st.caption(caption)
    cost = min(150, max(50, round(choice.cost_factor * 100)))
    cost_key = _synced(f"focus_cost_{op_id}", cost)
    columns[2].slider(
        "Coût (% du programme)",
        min_value=50,
        max_value=150,
        step=5,
        value=cost,
        format="%d %%",
        key=cost_key,
        on_change=lambda: _try(
            lambda: state.working().with_choice(op_id, cost_factor=st.session_state[cost_key] / 100),
            "focus",
            cost_key,
        ),
        help="Réduction ou extension du programme : le coût suit, les financements ne dépassent pas le montant convenu.",
    )
    # "" is the operation's own owner: a None value would show Streamlit's empty placeholder.
    owners = ["", *OWNER]
    owner = str(choice.owner) if choice.owner else ""
    owner_key = _synced(f"focus_owner_{op_id}", owner)
    columns[3].selectbox(
        "Maître d'ouvrage",
        owners,
        index=owners.index(owner),
        format_func=lambda o: f"{OWNER[operation.owner]} (d'origine)" if o == "" else OWNER[o],
        key=owner_key,
        on_change=lambda: _try(
            lambda: state.working().with_choice(op_id, owner=st.session_state[owner_key] or None), "focus", owner_key
        ),
        placeholder="Choisir",
    )
    _show_problems("focus")
    thread_summary(state.store(), op_id)
    ops = result.operations
    row: dict[Any, Any] = ops.iloc[int(np.flatnonzero(ops["operation_id"].to_numpy() == op_id)[0])].to_dict()
    if not row["kept"]:
        st.markdown(f"**{STATUS[row['status']]}** — ANRU renoncée {fr.meuros(row['anru_forgone'], 2)}")
        return
    st.markdown(
        f"**{STATUS[row['status']]}** — travaux de {fr.month(row['works_start'])} à {fr.month(row['completion'])}, "
        f"CP TTC {fr.meuros(row['spending_ttc'])}, ANRU sécurisée {fr.meuros(row['anru_secured'], 2)}"
        + (f", **ANRU perdue {fr.meuros(row['anru_lost'], 2)}**" if row["anru_lost"] else "")
    )


# Memoised by scenario (frames are shared: never modified in place): a lever move that comes back to
# a scenario already seen, or another session on the same scenario, does not rebuild them.
@st.cache_resource(max_entries=64, show_spinner=False)
def _lever_frame(revision: int, scenario_json: str, _portfolio, _scenario):
    return levers_frame.lever_table(_portfolio, _scenario, state.run(_scenario, revision))


@st.cache_resource(max_entries=64, show_spinner=False)
def _differences(revision: int, scenario_json: str, reference_json: str, _result, _reference):
    return operation_differences(_result, _reference)


def lever_table(gen: int, visible_ids: list[str], revision: int) -> None:
    portfolio, scenario = state.portfolio(revision), state.working()
    table = _lever_frame(revision, scenario.model_dump_json(), portfolio, scenario)
    table = table[table["id"].isin(visible_ids)].reset_index(drop=True)
    key = f"lever_table@{gen}@{st.session_state.get(_REFUSALS, 0)}@{hash(tuple(visible_ids))}"

    def apply() -> None:
        edits = st.session_state[key].get("edited_rows", {})
        updated, problems = levers_frame.apply_edits(state.working(), portfolio, list(table["id"]), edits)
        if problems:
            _refuse("table", problems)
        else:
            st.session_state.pop(_PROBLEMS, None)
            state.set_working(updated)

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
                step=5,
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


def _actions() -> None:
    """Undo, reset and "save as", with the save confirmation under them."""
    bar = st.container(horizontal=True, key="arbitrage_actions")  # buttons keep whole labels at 1280 px
    bar.button("Annuler", icon=":material/undo:", disabled=not state.can_undo(), on_click=state.undo, width="stretch")
    bar.button(
        "Réinitialiser",
        icon=":material/restart_alt:",
        disabled=not state.status().modified,
        on_click=state.reset,
        help="Revenir à la version enregistrée du scénario ouvert.",
        width="stretch",
    )
    with bar:
        save_form.save_working_popover(SAVE_KEY)
    save_form.confirmation(SAVE_KEY)


def _owner_picker() -> str | None:
    return st.segmented_control(
        "Enveloppe de", OWNER_FILTER, format_func=lambda o: OWNER.get(o, o), default="Ville", key="arbitrage_owner"
    )


@st.fragment
def workshop_view() -> None:
    if state.sidebar_stale():  # a lever moved in this fragment: redraw the sidebar's badge too
        st.rerun(scope="app")
    projector = state.projector()
    # On a projector the instruction line goes, and the buttons and the owner picker move into the
    # levers' column: the KPIs and the top of the chart fit in 1280×720, the whole chart in 1920×1080.
    layout.header("Arbitrage", None if projector else "Chaque réglage recalcule immédiatement le scénario en cours.")
    gen = state.generation()
    revision = state.store().revision()  # read once per run: every cache below is keyed by it
    portfolio = state.portfolio(revision)
    scenario = state.working()
    reference_scenario = state.reference()
    result = state.run(scenario, revision)
    reference = state.run(reference_scenario, revision)

    if not projector:
        _actions()
    layout.kpi_cards(
        result,
        reference,
        [
            "spending_ttc",
            "anru_secured",
            "anru_lost",
            "net_cost",
            "n_late",
            "n_dropped",
            "years_over_envelope",
            "peak_staff_overload",
        ],
    )

    levers, chart = st.columns([1, 2.2], gap="large")
    with levers:
        if projector:
            _actions()
            owner = _owner_picker()
        st.subheader("Leviers généraux")
        global_levers()
    with chart:
        if not projector:
            owner = _owner_picker()
        chosen_owner = chart_owner(owner)
        frames = charts.spending_frames(result, portfolio, "facility_type", chosen_owner)
        height = 400 if projector else 340
        chart_cache.chart_from_frames(
            "spending_vs_envelope",
            frames.shape,
            lambda: charts.spending_chart(frames, "facility_type", projector, height, named=True),
            frames.datasets(),
            group_by="facility_type",
            height=height,
        )
        with st.expander(
            "Enveloppes par maître d'ouvrage et par année (M€ TTC)", key="arbitrage_envelopes_open", on_change="rerun"
        ) as box:
            if box.open:
                envelope_editor("arbitrage_envelopes")

    st.subheader("Leviers par opération")
    ops = result.operations
    names = portfolio.neighbourhood_names
    f1, f2, f3, f4 = st.columns(4)
    neighbourhoods = f1.multiselect(
        "Quartier", sorted(set(ops["neighbourhood"])), format_func=label_of(names), key="flt_nb", placeholder="Tous"
    )
    directorates = f2.multiselect("Direction", sorted(set(ops["directorate"])), key="flt_dir", placeholder="Toutes")
    types = f3.multiselect(
        "Type",
        sorted(set(ops["facility_type"])),
        format_func=label_of(FACILITY_TYPE),
        key="flt_type",
        placeholder="Tous",
    )
    statuses = f4.multiselect(
        "Statut", list(STATUS), format_func=label_of(STATUS), key="flt_status", placeholder="Tous"
    )
    mask = ops["operation_id"].notna()
    for column, chosen in (
        ("neighbourhood", neighbourhoods),
        ("directorate", directorates),
        ("facility_type", types),
        ("status", statuses),
    ):
        if chosen:
            mask &= ops[column].isin(chosen)
    visible = list(ops.loc[mask, "operation_id"])
    focus_panel(visible, portfolio, result)
    with st.container(key="lever_table"):  # browser tests find the table by this key's class
        lever_table(gen, visible, revision)
        _show_problems("table")

    st.subheader("Ce qui change par rapport à la référence")
    changes = settings_changes(scenario, reference_scenario)
    if changes:
        st.markdown("\n".join(f"- {md(c)}" for c in changes))
    differences = _differences(
        revision, scenario.model_dump_json(), reference.scenario.model_dump_json(), result, reference
    )
    general_only = int(differences["general_only"].sum())
    differences = differences[~differences["general_only"]]
    if differences.empty and not changes and not general_only:
        st.caption("Aucune différence avec la référence.")
        return
    if not differences.empty:
        read_only_table(
            {
                "Opération": differences["operation_id"] + " – " + differences["title"],
                "Leviers": differences["changes"],
                "Conséquences": differences["consequences"],
                "Statut (référence → scénario)": differences["status_reference"].map(STATUS)
                + " → "
                + differences["status"].map(STATUS),
                "Écart CP TTC": [fr.meuros(v, 2, signed=True) for v in differences["spending_difference"]],
            }
        )
    if general_only:
        st.caption(
            f"{general_only} autre(s) opération(s) : seuls leurs montants changent, par l'effet des réglages généraux."
        )
    total, lost = change_totals(result, reference)
    st.markdown(
        f"**Total** : {len(differences) + general_only} opération(s) concernée(s) ; crédits de paiement "
        f"{fr.meuros(total, signed=True)} ; ANRU perdue ou renoncée {fr.meuros(lost, signed=True)}."
    )


workshop_view()
