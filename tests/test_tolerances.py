"""The euro tolerance: one named constant, applied the same way by the engine and the charts."""

from __future__ import annotations

import pytest

from simulation import Scenario, simulate
from simulation.aggregates import envelope_by_year
from simulation.tolerances import EURO_TOLERANCE, OVERRUN_SHOWN_EUROS
from tests.factories import operation, portfolio

# 1 M€ HT, no VAT, 12 months of works in 2025, price year 2025: exactly 1 000 000 € of CP in 2025.
PORTFOLIO = portfolio(operation("A"))


def _with_envelope(amount: float) -> Scenario:
    return Scenario(envelopes={"Ville": {2025: amount}})


@pytest.mark.parametrize(
    ("envelope", "over"),
    [
        (1_000_000.0, False),
        (1_000_000.0 - EURO_TOLERANCE * 0.9, False),  # within the tolerance
        (1_000_000.0 - EURO_TOLERANCE * 1.1, True),  # past it
    ],
)
def test_an_envelope_is_exceeded_only_past_one_euro(envelope, over):
    result = simulate(PORTFOLIO, _with_envelope(envelope))
    row = result.yearly[(result.yearly["owner"] == "Ville") & (result.yearly["year"] == 2025)].iloc[0]
    assert bool(row["over_envelope"]) is over
    assert result.kpis["years_over_envelope"] == int(over)


def test_charts_label_an_overrun_only_from_the_display_threshold():
    """Past 1 € the engine counts the year; the chart labels it only from 500 € (on purpose)."""
    small = simulate(PORTFOLIO, _with_envelope(1_000_000.0 - 100.0))
    large = simulate(PORTFOLIO, _with_envelope(1_000_000.0 - 2 * OVERRUN_SHOWN_EUROS))
    assert small.kpis["years_over_envelope"] == 1
    assert envelope_by_year(small, "Ville")["overrun"].isna().all()
    overrun = envelope_by_year(large, "Ville").set_index("year").loc[2025, "overrun"]
    assert overrun == pytest.approx(2 * OVERRUN_SHOWN_EUROS / 1e6)
