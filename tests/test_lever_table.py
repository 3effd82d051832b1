"""The Arbitrage lever table round trip, without Streamlit."""

from __future__ import annotations

import pytest

from simulation import simulate
from store import load_portfolio, load_scenario_file
from ui import lever_table


@pytest.fixture(scope="module")
def demo():
    return load_portfolio("data/operations.csv"), load_scenario_file("data/scenario_reference.json")


def test_table_shows_levers_and_figures(demo):
    portfolio, scenario = demo
    table = lever_table.lever_table(
        portfolio, scenario.with_choice("CNSM-06", shift_months=6), simulate(portfolio, scenario)
    )
    row = table.set_index("id").loc["CNSM-06"]
    assert row["Garder"] and row["Décalage (mois)"] == 6 and row["Coût (%)"] == 100
    assert row["Transfert à"] == "(inchangé)"
    assert row["Quartier"] == "Centre Nord / Saint-Mauront"


def test_edits_become_choices(demo):
    portfolio, scenario = demo
    ids = portfolio.ids
    i = ids.index("CNSM-06")
    updated, problems = lever_table.apply_edits(
        scenario, portfolio, ids, {i: {"Garder": True, "Décalage (mois)": 12, "Coût (%)": 80, "Transfert à": "SPEM"}}
    )
    assert problems == []
    choice = updated.choice("CNSM-06")
    assert (choice.shift_months, choice.cost_factor, choice.owner) == (12, 0.8, "SPEM")


def test_refused_edit_changes_nothing_and_says_why_in_french(demo):
    portfolio, scenario = demo
    started = next(op.id for op in portfolio.operations if op.start < scenario.reference_month)
    ids = portfolio.ids
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {ids.index(started): {"Décalage (mois)": 1}})
    assert same == scenario
    assert "avant le mois de référence" in problems[0]
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {0: {"Coût (%)": 900}})
    assert same == scenario and "entre 10 et 300 %" in problems[0]


def test_the_shift_bound_is_the_scenario_models(demo):
    from simulation.fit.settings import FitSettings
    from simulation.movable import MAX_SHIFT_MONTHS

    portfolio, scenario = demo
    ids = portfolio.ids
    i = ids.index("CNSM-06")
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {i: {"Décalage (mois)": MAX_SHIFT_MONTHS + 1}})
    assert same == scenario
    assert f"entre {-MAX_SHIFT_MONTHS} et {MAX_SHIFT_MONTHS} (reçu {MAX_SHIFT_MONTHS + 1})" in problems[0]
    assert FitSettings(max_shift_months=MAX_SHIFT_MONTHS).max_shift_months == MAX_SHIFT_MONTHS
    with pytest.raises(ValueError):
        FitSettings(max_shift_months=MAX_SHIFT_MONTHS + 1)
