"""Risques page: the draws beside the plan, the fan chart, the odds, the editable uncertainty table."""

from __future__ import annotations

import pytest

from simulation.model import Maturity
from tests.apptest_support import assert_no_exception, open_page

pytestmark = pytest.mark.usefixtures("isolated_app")


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _deciles(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("9e décile"))


def test_risques_shows_odds_charts_and_where_to_act():
    at = open_page("risques", timeout=60)
    assert_no_exception(at)
    assert at.title[0].value == "Risques"
    assert any("Jeu de démonstration" in c.value for c in at.caption)
    assert any("Plan déterministe" in c.value for c in at.caption)  # the plan stays on the page
    assert _metric(at, "Probabilité de tenir l'échéance d'engagement").endswith("\u00a0%")
    assert len(at.get("vega_lite_chart")) == 2  # fan chart and operations by odds
    first = at.dataframe[0].value
    assert list(first.columns)[:3] == ["Opération", "Intitulé", "ANRU perdue attendue"]
    assert first["ANRU perdue attendue"].iloc[0].endswith("M€")
    tables = [t.value for t in at.dataframe if "Maturité" in t.value.columns]
    assert len(tables) == 1  # the editable uncertainty table
    assert tables[0]["Coût haut (%)"].iloc[0] == 51.0


def test_correlation_slider_changes_the_working_scenario_and_the_draws():
    at = open_page("risques", timeout=60)
    before = _deciles(at)
    at.select_slider[0].set_value(1.0).run()
    assert_no_exception(at)
    assert at.session_state["working_scenario"].uncertainty_correlation == 1.0
    assert _deciles(at) != before  # operations slipping together: a wider spread


def test_no_uncertainty_gives_the_plan():
    at = open_page("risques", timeout=60)
    zero = {m.value: {"cost": [0, 0, 0], "duration": [0, 0, 0]} for m in Maturity}
    scenario = at.session_state["working_scenario"]
    at.session_state["working_scenario"] = type(scenario).model_validate({**scenario.model_dump(), "uncertainty": zero})
    at.run()
    assert_no_exception(at)
    plan_late = at.session_state["working_scenario"]
    assert plan_late.uncertainty[Maturity.PROGRAMME].cost == (0.0, 0.0, 0.0)
    late = _metric(at, "Opérations en retard attendues")
    plan = at.session_state["working_scenario"]
    from simulation import simulate
    from store import load_portfolio

    n_late = simulate(load_portfolio("data/operations.csv"), plan).kpis["n_late"]
    assert late == f"{n_late},0"  # every draw is the plan
    assert f"9e décile : 33,1\u00a0M€ d'ANRU perdue, {n_late} opération(s)" in " ".join(c.value for c in at.caption)


def test_table_edits_are_validated_in_french():
    from simulation import Scenario
    from ui.risk import uncertainty_table, with_table_edits

    scenario = Scenario()
    table = uncertainty_table(scenario)
    assert list(table["Maturité"]) == [
        "Intention",
        "Faisabilité",
        "Programme validé",
        "Études de conception",
        "Travaux",
        "Livrée",
    ]
    assert table.loc[0, "Coût haut (%)"] == 51.0
    updated, problems = with_table_edits(scenario, {2: {"Coût mode (%)": 20.0}})
    assert problems == [] and updated is not None
    assert updated.uncertainty[Maturity.PROGRAMME].cost == (0.0, 0.2, 0.275)
    refused, problems = with_table_edits(scenario, {2: {"Coût mode (%)": 90.0}})
    assert refused is None
    assert "Programme validé" in problems[0] and "bas ≤ mode ≤ haut" in problems[0]
    refused, problems = with_table_edits(scenario, {0: {"Durée haute (%)": 400.0}})
    assert refused is None and "comprise entre −0,5 et 3" in problems[0]
