"""Late operations: which deadline each kept operation misses and the ANRU it loses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from simulation import Scenario, simulate
from simulation.deadlines import LATE_COLUMNS, MISSED, late_mask, late_operations, missed_deadlines
from tests.factories import operation, portfolio
from tests.strategies import portfolio_and_scenario


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


@settings(max_examples=30, deadline=None)
@given(portfolio_and_scenario())
def test_one_late_selection_for_the_page_the_chart_and_the_exports(case):
    """The Calendrier table and the exports' list name the operations the engine calls late
    (the Gantt marks ``late_mask`` rows too)."""
    from exports.context import ExportContext

    portfolio, scenario = case
    result = simulate(portfolio, scenario)
    ops = result.operations
    expected = set(ops.loc[ops["status"] == "late", "operation_id"])
    assert set(ops.loc[late_mask(ops), "operation_id"]) == expected
    assert set(late_operations(result, portfolio)["operation_id"]) == expected
    at_risk = ExportContext(portfolio=portfolio, result=result).operations_at_risk()
    assert {op.operation_id for op in at_risk} == expected
    assert list(missed_deadlines(ops[late_mask(ops)])) == list(
        late_operations(result, portfolio)
        .set_index("operation_id")
        .loc[ops.loc[late_mask(ops), "operation_id"], "missed"]
    )
