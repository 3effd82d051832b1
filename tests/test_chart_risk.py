"""Risk chart builders: the data they draw is the engine's, the specs are valid Vega-Lite."""

from __future__ import annotations

import numpy as np
import pytest

import charts
from charts.risk import ODDS_BANDS, fan_data, odds_data
from simulation.risk import simulate_risk
from store import load_portfolio, load_scenario_file
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


@pytest.fixture(scope="module")
def risk():
    return simulate_risk(load_portfolio(DEMO_OPERATIONS_CSV), load_scenario_file(DEMO_SCENARIO_JSON), 300, 5)


def test_fan_data_is_the_engine_percentiles_in_meur(risk):
    data = fan_data(risk, "Ville")
    yearly = risk.yearly[risk.yearly["owner"] == "Ville"].set_index("year")
    for row in data.to_dict("records"):
        assert row["p10"] == pytest.approx(yearly.loc[row["year"], "p10"] / 1e6)
        assert row["p90"] == pytest.approx(yearly.loc[row["year"], "p90"] / 1e6)
        assert row["plan"] == pytest.approx(yearly.loc[row["year"], "plan"] / 1e6)
    assert data["year"].min() == 2025  # from the reference year
    assert (data["p10"] <= data["p50"] + 1e-9).all() and (data["p50"] <= data["p90"] + 1e-9).all()
    assert data["envelope"].notna().any()


def test_odds_data_shows_the_operations_at_stake_least_likely_first(risk):
    data = odds_data(risk, limit=None)
    p = data["p"].to_numpy()
    assert ((p > 0) & (p < 1)).all()
    assert np.all(np.diff(p) >= 0)
    at_stake = risk.operations["p_commitment_on_time"].between(0, 1, inclusive="neither")
    assert len(data) == int(at_stake.sum())
    assert set(data["band"]) <= set(ODDS_BANDS)
    assert all(text.endswith("\u00a0%") for text in data["text"])


def test_specs_are_valid(risk):
    charts.finish(charts.cp_fan(risk, "Ville")).to_dict()  # validates against the Vega-Lite schema
    charts.finish(charts.commitment_odds(risk, projector=True)).to_dict()
