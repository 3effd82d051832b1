"""The Arbitrage chart's Vega-Lite spec is valid: ``ui.chart_cache`` skips Altair's validation
at draw time (it cost a third of a lever move's server time), so it is checked here instead."""

from __future__ import annotations

import pytest

import charts
from simulation import simulate
from store import load_portfolio, load_scenario_file


@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("owner", ["Ville", "SPEM", None])
def test_spending_vs_envelope_spec_validates(owner, projector):
    portfolio = load_portfolio("data/operations.csv")
    result = simulate(portfolio, load_scenario_file("data/scenario_reference.json"))
    chart = charts.finish(
        charts.spending_vs_envelope(result, portfolio, "facility_type", owner, projector, height=340), projector
    )
    spec = chart.to_dict(validate=True)  # raises on an invalid spec
    assert spec == chart.to_dict(validate=False)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
