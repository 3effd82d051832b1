"""The steps every property test of the engine against its plain-loop oracle
(``simulation/oracle.py``) shares: run both on one case, compare the owner-years."""

from __future__ import annotations

from typing import Any

import pytest

from simulation import Portfolio, Result, Scenario, simulate
from simulation.oracle import simulate_slowly


def engine_and_oracle(case: tuple[Portfolio, Scenario]) -> tuple[Result, dict[str, Any]]:
    """The vectorised engine's result and the oracle's, for one (portfolio, scenario) case."""
    portfolio, scenario = case
    return simulate(portfolio, scenario), simulate_slowly(portfolio, scenario)


def assert_owner_years_agree(result: Result, oracle: dict[str, Any]) -> None:
    """Spending, subsidies and FCTVA of every owner-year agree with the oracle (an owner-year
    the engine does not list counts as zero)."""
    yearly = result.yearly.set_index(["owner", "year"])
    for (owner, year), expected in oracle["owner_years"].items():
        for key in ("spending_ttc", "subsidies", "fctva"):
            got = yearly.loc[(owner, year), key] if (owner, year) in yearly.index else 0.0
            assert got == pytest.approx(expected[key], rel=1e-9, abs=1e-6), (owner, year, key)
