"""Arbitrage: the live workshop page. Every lever recomputes the scenario at once."""

from __future__ import annotations

import streamlit as st

import charts
from simulation import fr
from simulation.compare import operation_differences, settings_changes
from simulation.labels import FACILITY_TYPE, STATUS, chart_owner, label_of
from simulation.levers import (
    change_totals,
)
from ui import chart_cache, layout, save_form, state
from ui.envelope_editor import envelope_editor
from ui.frames.plain import md
from ui.lever_widgets import focus_panel, global_levers, lever_table
from ui.levers import drawn_with, show_problems
from ui.tables import read_only_table
from ui.widgets import owner_picker

SAVE_KEY = "arbitrage_save"


@st.cache_resource(max_entries=64, show_spinner=False)
def _differences(revision: int, scenario_json: str, reference_json: str, _result, _reference):
    return operation_differences(_result, _reference)


def _actions(reference_name: str) -> None:
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
        save_form.save_working_popover(SAVE_KEY, reference_name)
    save_form.confirmation(SAVE_KEY)


def _owner_picker() -> str | None:
    return owner_picker("arbitrage_owner", "Enveloppe de")


@st.fragment
def workshop_view() -> None:
    if state.sidebar_stale():  # a lever moved in this fragment: redraw the sidebar's badge too
        st.rerun(scope="app")
    projector = state.projector()
    # On a projector the instruction line goes, and the buttons and the owner picker move into the
    # levers' column: the KPIs and the top of the chart fit in 1280×720, the whole chart in 1920×1080.
    # The database is opened once per run (a lever move is one run): revision, demo flag and
    # reference scenario in one read; every cache below is keyed by the revision.
    glance = state.store().glance()
    revision = glance.revision
    layout.header(
        "Arbitrage",
        None if projector else "Chaque réglage recalcule immédiatement le scénario en cours.",
        demo=glance.demo,
    )
    gen = state.generation()
    portfolio = state.portfolio(revision)
    drawn_with(revision)
    scenario = state.working()
    reference_scenario = glance.reference.scenario
    result = state.run(scenario, revision)
    reference = state.run(reference_scenario, revision)

    if not projector:
        _actions(glance.reference.info.name)
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
            "total_overrun",
            "peak_staff_overload",
        ],
        sticky=True,
    )

    levers, chart = st.columns([1, 2.2], gap="large")
    with levers:
        if projector:
            _actions(glance.reference.info.name)
            owner = _owner_picker()
        st.subheader("Leviers généraux")
        global_levers(portfolio)
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
        lever_table(gen, visible, revision, portfolio)
        show_problems("table")

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
