"""Late operations: which deadline each kept operation misses and the ANRU it loses."""

from __future__ import annotations

import pytest

from simulation import Scenario, simulate
from simulation.deadlines import LATE_COLUMNS, MISSED, late_operations
from tests.factories import operation, portfolio


def test_late_operations_by_hand():
    """Deadlines 2026-12 (start of works) and 2030-12 (end of works)."""
    ops = portfolio(
        operation("OK", start="2025-01", works_months=12),
        # Works start 2027-03 (after 2026-12), end 2028-02: commitment only, ANRU lost.
        operation("COMMIT", neighbourhood="SAVI", start="2027-03", works_months=12, funding={"anru": 100_000}),
        # Works start 2026-06 (in time), end 2031-01 (after 2030-12): completion only, ANRU kept.
        operation("COMPLETE", start="2026-06", works_months=56, funding={"anru": 50_000}),
        # Both deadlines missed.
        operation("BOTH", start="2029-01", works_months=30, funding={"anru": 70_000, "region": 10_000}),
        # Dropped: not reported as late, whatever its dates.
        operation("DROPPED", start="2029-01", works_months=30),
    )
    scenario = Scenario().with_choice("DROPPED", keep=False)
    table = late_operations(simulate(ops, scenario), ops)

    assert list(table.columns) == list(LATE_COLUMNS)
    assert table["operation_id"].tolist() == ["COMPLETE", "BOTH", "COMMIT"]  # Air Bel before La Savine
    rows = table.set_index("operation_id")
    assert rows.loc["COMMIT", "neighbourhood"] == "La Savine"
    assert rows.loc["COMMIT", "missed"] == MISSED["commitment"]
    assert rows.loc["COMMIT", "commitment_month"] == "2027-03"
    assert rows.loc["COMMIT", "anru_lost"] == pytest.approx(100_000)
    assert rows.loc["COMPLETE", "missed"] == MISSED["completion"]
    assert rows.loc["COMPLETE", "completion"] == "2031-01"
    assert rows.loc["COMPLETE", "anru_lost"] == 0
    assert rows.loc["BOTH", "missed"] == MISSED["both"]
    assert rows.loc["BOTH", "anru_lost"] == pytest.approx(70_000)  # only the ANRU line is lost


def test_no_late_operation_gives_an_empty_table_with_the_columns():
    ops = portfolio(operation("OK", start="2025-01", works_months=12))
    table = late_operations(simulate(ops, Scenario()), ops)
    assert table.empty
    assert list(table.columns) == list(LATE_COLUMNS)
