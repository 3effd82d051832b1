"""Synthèse: the « probabilité de tenir l'échéance d'engagement » KPI (issue 10)."""

from __future__ import annotations

import pytest

from simulation.risk import simulate_risk
from store import load_portfolio
from tests.apptest_support import assert_no_exception, open_page

pytestmark = pytest.mark.usefixtures("isolated_app")

LABEL = "Probabilité de tenir l'échéance d'engagement"


def test_synthese_shows_the_odds_of_meeting_the_commitment_deadline():
    at = open_page()
    assert_no_exception(at)
    card = next(m for m in at.metric if m.label == LABEL)
    expected = simulate_risk(load_portfolio("data/operations.csv"), at.session_state["working_scenario"])
    assert card.value == f"{100 * expected.p_commitment_mean:.1f}\u00a0%".replace(".", ",")
    assert card.delta == "= référence"


def test_delaying_an_operation_lowers_the_odds_against_the_reference():
    at = open_page()
    scenario = at.session_state["working_scenario"]
    portfolio = load_portfolio("data/operations.csv")
    future = [op.id for op in portfolio.operations if op.start >= scenario.reference_month]
    for op_id in future[:10]:
        scenario = scenario.with_choice(op_id, shift_months=36)
    at.session_state["working_scenario"] = scenario
    at.run()
    assert_no_exception(at)
    card = next(m for m in at.metric if m.label == LABEL)
    assert card.delta.startswith("-") and card.delta.endswith("points")
