"""Invariants of the engine on random portfolios, and agreement with the loop oracle."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulation import Scenario, simulate
from simulation.months import parse_month
from simulation.oracle import headcount_slowly
from simulation.scenario import allowed_shift
from simulation.tolerances import EURO_TOLERANCE
from tests.oracle_support import assert_owner_years_agree, engine_and_oracle
from tests.strategies import portfolio_and_scenario, portfolios

ENGINE = settings(max_examples=150, deadline=None)
"""More examples for the engine's properties, in this module only (no global profile)."""


@ENGINE
@given(portfolio_and_scenario())
def test_vectorised_engine_matches_the_loop_oracle(case):
    result, oracle = engine_and_oracle(case)
    scenario = case[1]
    ops = result.operations.set_index("operation_id")
    for op_id, expected in oracle["operations"].items():
        row = ops.loc[op_id]
        assert parse_month(row.start) == expected["start"]
        assert parse_month(row.works_start) == expected["works_start"]
        assert parse_month(row.completion) == expected["completion"]
        assert row.pushed_months == expected["pushed_months"]
        assert row.status == expected["status"]
        assert bool(row.commitment_missed) == expected["commitment_missed"]
        assert bool(row.completion_missed) == expected["completion_missed"]
        for key in ("spending_ttc", "subsidies", "anru_secured", "anru_lost", "anru_forgone", "fctva", "net_cost"):
            assert row[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-6), key
    assert_owner_years_agree(result, oracle)
    yearly = result.yearly.set_index(["owner", "year"])
    staff = result.staff.set_index(["directorate", "month"])["load_fte"]
    for (directorate, month), load in oracle["staff"].items():
        from simulation.months import format_month

        assert staff[(directorate, format_month(month))] == pytest.approx(load, abs=1e-9)
    assert staff.sum() == pytest.approx(sum(oracle["staff"].values()), abs=1e-6)
    for row in result.staff.itertuples(index=False):
        expected = headcount_slowly(scenario, row.directorate, parse_month(row.month))
        if expected is None:
            assert np.isnan(row.headcount), (row.directorate, row.month)
        else:
            assert row.headcount == pytest.approx(expected, abs=1e-9), (row.directorate, row.month)
    # Envelope gaps, year by year, and whether the year is over its envelope.
    for (owner, year), expected in oracle["envelopes"].items():
        row = yearly.loc[(owner, year)]
        assert row["envelope"] == pytest.approx(expected["envelope"])
        assert row["gap"] == pytest.approx(expected["gap"], rel=1e-9, abs=1e-6), (owner, year)
        if abs(float(expected["gap"]) - EURO_TOLERANCE) > 1e-6:  # not on the tolerance itself
            assert bool(row["over_envelope"]) == expected["over"], (owner, year)
    assert int(yearly["envelope"].notna().sum()) == len(oracle["envelopes"])
    # Money received per owner, funder and year.
    funding = result.funding.set_index(["owner", "funder", "year"])["amount"]
    for key, amount in oracle["funding"].items():
        got = funding[key] if key in funding.index else 0.0
        assert got == pytest.approx(amount, rel=1e-9, abs=1e-6), key
    assert funding.sum() == pytest.approx(sum(oracle["funding"].values()), rel=1e-9, abs=1e-6)
    # Every headline KPI.
    assert set(result.kpis) == set(oracle["kpis"])
    for key, expected_kpi in oracle["kpis"].items():
        if isinstance(expected_kpi, float):
            assert result.kpis[key] == pytest.approx(expected_kpi, rel=1e-9, abs=1e-6), key
        elif key not in ("years_over_envelope", "calendar_years_over_envelope") or all(
            abs(float(e["gap"]) - EURO_TOLERANCE) > 1e-6 for e in oracle["envelopes"].values()
        ):
            assert result.kpis[key] == expected_kpi, key


@ENGINE
@given(portfolio_and_scenario())
def test_yearly_spending_sums_to_the_escalated_ttc_cost(case):
    portfolio, scenario = case
    result = simulate(portfolio, scenario)
    assert result.yearly["spending_ttc"].sum() == pytest.approx(result.operations["spending_ttc"].sum(), rel=1e-9)
    assert result.operation_years["spending_ttc"].sum() == pytest.approx(result.kpis["spending_ttc"], rel=1e-9)


@ENGINE
@given(portfolios(), st.floats(0.5, 1.5))
def test_without_escalation_spending_is_cost_times_vat(portfolio, factor):
    scenario = Scenario(reference_month="2024-01", escalation_rate=0.0)
    for op in portfolio.operations:
        scenario = scenario.with_choice(op.id, cost_factor=factor)
    result = simulate(portfolio, scenario)
    expected = sum(op.cost_ht * factor * (1 + op.vat_rate) for op in portfolio.operations)
    assert result.kpis["spending_ttc"] == pytest.approx(expected, rel=1e-9, abs=1e-6)


@ENGINE
@given(portfolio_and_scenario())
def test_funding_plus_owner_share_equals_cost(case):
    portfolio, scenario = case
    result = simulate(portfolio, scenario)
    ops = result.operations
    funders = [c for c in ops.columns if c.startswith("funding_")]
    assert np.allclose(ops[funders].sum(axis=1), ops["subsidies"])
    assert np.allclose(ops["subsidies"] + ops["fctva"] + ops["net_cost"], ops["spending_ttc"])
    assert result.yearly["subsidies"].sum() == pytest.approx(ops["subsidies"].sum(), rel=1e-9, abs=1e-6)
    assert result.funding["amount"].sum() == pytest.approx(ops["subsidies"].sum(), rel=1e-9, abs=1e-6)
    eligible = ops["owner"].isin([o.value for o in scenario.fctva_eligible_owners])
    eligible_spending = ops.loc[eligible, "spending_ttc"].sum()
    assert result.yearly["fctva"].sum() == pytest.approx(scenario.fctva_rate * eligible_spending, rel=1e-9, abs=1e-6)
    assert (ops.loc[~eligible, "fctva"] == 0).all()
    planned = ops["anru_planned"]
    assert np.allclose(ops["anru_secured"] + ops["anru_lost"] + ops["anru_forgone"], planned)


@ENGINE
@given(portfolio_and_scenario(), st.integers(1, 36), st.data())
def test_shifting_later_never_moves_spending_earlier(case, months, data):
    portfolio, scenario = case
    op_id = data.draw(st.sampled_from(portfolio.ids))
    current = scenario.choice(op_id)
    assume(allowed_shift(portfolio.by_id[op_id], current, scenario.reference_month) is not None)
    base = simulate(portfolio, scenario)
    later = simulate(portfolio, scenario.with_choice(op_id, shift_months=current.shift_months + months))
    a = base.operations.set_index("operation_id")
    b = later.operations.set_index("operation_id")
    for column in ("start", "works_start", "completion"):
        assert (b[column] >= a[column]).all()  # YYYY-MM text sorts like months
    # Cumulative spending in euros of the price year (no escalation) is never ahead.
    flat = scenario.model_copy(update={"escalation_rate": 0.0})
    years_a = simulate(portfolio, flat).operation_years.groupby("year")["spending_ttc"].sum()
    years_b = (
        simulate(portfolio, flat.with_choice(op_id, shift_months=current.shift_months + months))
        .operation_years.groupby("year")["spending_ttc"]
        .sum()
    )
    years = sorted(set(years_a.index) | set(years_b.index))
    cum_a = years_a.reindex(years, fill_value=0).cumsum()
    cum_b = years_b.reindex(years, fill_value=0).cumsum()
    assert (cum_b <= cum_a + 1e-6 * (1 + cum_a.abs())).all()


@ENGINE
@given(portfolio_and_scenario(), st.data())
def test_dropping_an_operation_removes_exactly_its_figures(case, data):
    portfolio, scenario = case
    has_dependants = {op.depends_on for op in portfolio.operations}
    candidates = [i for i in portfolio.ids if i not in has_dependants and scenario.choice(i).keep]
    if not candidates:
        return
    op_id = data.draw(st.sampled_from(candidates))
    base = simulate(portfolio, scenario)
    dropped = simulate(portfolio, scenario.with_choice(op_id, keep=False))
    mine = base.operation_years[base.operation_years["operation_id"] == op_id].set_index("year")
    for column in ("spending_ttc", "subsidies", "fctva"):
        before = base.operation_years.groupby("year")[column].sum()
        after = dropped.operation_years.groupby("year")[column].sum()
        years = before.index.union(after.index)
        diff = before.reindex(years, fill_value=0) - after.reindex(years, fill_value=0)
        assert np.allclose(diff, mine[column].reindex(years, fill_value=0), atol=1e-6)
    others_before = base.operations.set_index("operation_id").drop(index=op_id)
    others_after = dropped.operations.set_index("operation_id").drop(index=op_id)
    assert np.allclose(others_before["spending_ttc"], others_after["spending_ttc"])
    assert (others_before["start"] == others_after["start"]).all()
    row = base.operations.set_index("operation_id").loc[op_id]
    assert dropped.kpis["anru_forgone"] == pytest.approx(base.kpis["anru_forgone"] + row.anru_planned)
