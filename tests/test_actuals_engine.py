"""The accounts in the engine (issue 19): hand-computed cases, invariants, and the loop oracle."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import Scenario, simulate
from simulation.actuals import ap_by_owner, execution_rates, total_execution
from simulation.model import Actual, Operation, Portfolio
from tests.factories import NEIGHBOURHOODS
from tests.oracle_support import assert_owner_years_agree, engine_and_oracle
from tests.strategies import FIRST_START, portfolio_and_scenario

ENGINE = settings(max_examples=120, deadline=None)


def _op(
    op_id: str, *, cost_ht: float, start: str, works: int, vat: float = 0.2, ap: float | None = None, **kw
) -> Operation:
    return Operation(
        id=op_id,
        neighbourhood=NEIGHBOURHOODS[0].code,
        title=f"Opération {op_id}",
        facility_type="gymnase",
        nature="construction",
        owner=kw.pop("owner", "Ville"),
        directorate=kw.pop("directorate", "Sports"),
        maturity="travaux",
        cost_ht=cost_ht,
        price_year=2023,
        vat_rate=vat,
        start=start,
        programming_months=0,
        design_months=0,
        tendering_months=0,
        works_months=works,
        ap_votee=ap,
        **kw,
    )


def _scenario(reference: str, **kw) -> Scenario:
    return Scenario(reference_month=reference, escalation_rate=0.0, fctva_lag_years=1, **kw)


def _portfolio(ops: list[Operation], actuals: list[Actual]) -> Portfolio:
    return Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=tuple(ops), actuals=tuple(actuals))


def _years(result, op_id: str) -> dict[int, float]:
    rows = result.operation_years[result.operation_years["operation_id"] == op_id]
    return {int(y): float(v) for y, v in zip(rows["year"], rows["spending_ttc"], strict=True) if abs(v) > 1e-9}


def test_remaining_is_spread_over_the_plans_months_from_the_reference_month_by_hand():
    # 1 080 000 HT, 20 % VAT, works 2023-01..2025-12: 36 000 € TTC a month, 432 000 € a year.
    # Reference 2024-07: 2023 is closed and 300 000 € was paid. Remaining 1 296 000 - 300 000 =
    # 996 000 €, over the plan's months from 2024-07: 6 in 2024 (216 000) and 12 in 2025 (432 000).
    # 2024: 996 000 × 216/648 = 332 000 €; 2025: 996 000 × 432/648 = 664 000 €.
    op = _op("A", cost_ht=1_080_000, start="2023-01", works=36)
    result = simulate(
        _portfolio([op], [Actual(operation_id="A", year=2023, mandate_ttc=300_000)]), _scenario("2024-07")
    )
    assert _years(result, "A") == pytest.approx({2023: 300_000, 2024: 332_000, 2025: 664_000})
    row = result.operations.iloc[0]
    assert row["planned_ttc"] == pytest.approx(1_296_000)
    assert row["paid_ttc"] == pytest.approx(300_000)
    assert row["remaining_ttc"] == pytest.approx(996_000)
    assert row["incurred_overrun_ttc"] == 0
    assert row["spending_ttc"] == pytest.approx(1_296_000)
    yearly = result.yearly.set_index("year")
    assert yearly.loc[2023, "paid_ttc"] == pytest.approx(300_000)
    assert yearly.loc[2024, "paid_ttc"] == 0
    # FCTVA follows spending, one year later: 16,404 % of 300 000 € in 2024.
    assert yearly.loc[2024, "fctva"] == pytest.approx(0.16404 * 300_000)
    planned = result.operation_years.set_index("year")["planned_ttc"]
    assert planned[2023] == pytest.approx(432_000)


def test_paid_beyond_the_plan_is_an_overrun_already_incurred_by_hand():
    op = _op("A", cost_ht=1_080_000, start="2023-01", works=36)
    actuals = [Actual(operation_id="A", year=2023, mandate_ttc=1_500_000)]
    result = simulate(_portfolio([op], actuals), _scenario("2024-07"))
    assert _years(result, "A") == pytest.approx({2023: 1_500_000})
    row = result.operations.iloc[0]
    assert row["remaining_ttc"] == 0
    assert row["incurred_overrun_ttc"] == pytest.approx(1_500_000 - 1_296_000)
    assert result.kpis["incurred_overrun_ttc"] == pytest.approx(204_000)


def test_no_plan_month_left_puts_the_remainder_in_the_reference_month_by_hand():
    # 1 000 000 HT, 20 % VAT, works 2022-01..2023-12; reference 2025-03. Paid: 100 000 € in 2023,
    # nothing recorded for 2022 (no mandate: nothing paid). Remaining 1 200 000 - 100 000 in 2025.
    # 50 000 € paid so far in 2025 is shown and changes nothing.
    op = _op("A", cost_ht=1_000_000, start="2022-01", works=24)
    actuals = [
        Actual(operation_id="A", year=2023, mandate_ttc=100_000),
        Actual(operation_id="A", year=2025, mandate_ttc=50_000),
    ]
    result = simulate(_portfolio([op], actuals), _scenario("2025-03"))
    assert _years(result, "A") == pytest.approx({2023: 100_000, 2025: 1_100_000})
    row = result.operations.iloc[0]
    assert row["paid_this_year_ttc"] == pytest.approx(50_000)
    assert result.kpis["paid_this_year_ttc"] == pytest.approx(50_000)
    assert result.kpis["paid_ttc"] == pytest.approx(100_000)


def test_operation_without_actuals_keeps_its_plan_and_subsidies_follow_spending():
    a = _op("A", cost_ht=1_080_000, start="2023-01", works=36, funding={"anru": 600_000})
    b = _op("B", cost_ht=500_000, start="2022-06", works=30)
    plan = simulate(_portfolio([a, b], []), _scenario("2024-07"))
    real = simulate(
        _portfolio([a, b], [Actual(operation_id="A", year=2023, mandate_ttc=300_000)]), _scenario("2024-07")
    )
    assert _years(real, "B") == pytest.approx(_years(plan, "B"))
    years = real.operation_years[real.operation_years["operation_id"] == "A"].set_index("year")
    # ANRU 600 000 € received in proportion to spending: 300 000 / 1 296 000 of it in 2023.
    assert years.loc[2023, "subsidies"] == pytest.approx(600_000 * 300_000 / 1_296_000)
    assert years["subsidies"].sum() == pytest.approx(600_000)


def test_ap_revision_needed_and_coverage_by_hand():
    # Plan 1 296 000 € TTC against an AP of 1 000 000 €: revise by 296 000 €. B's AP covers it.
    a = _op("A", cost_ht=1_080_000, start="2023-01", works=36, ap=1_000_000)
    b = _op("B", cost_ht=500_000, start="2024-01", works=12, ap=800_000)
    c = _op("C", cost_ht=500_000, start="2024-01", works=12)
    actuals = [Actual(operation_id="A", year=2023, mandate_ttc=300_000)]
    scenario = _scenario("2024-07", envelopes={"Ville": {2025: 750_000}})
    result = simulate(_portfolio([a, b, c], actuals), scenario)
    ops = result.operations.set_index("operation_id")
    assert ops.loc["A", "ap_revision_needed"] == pytest.approx(296_000)
    assert ops.loc["B", "ap_revision_needed"] == 0
    assert pd.isna(ops.loc["C", "ap_revision_needed"]) and pd.isna(ops.loc["C", "ap_voted"])
    assert result.kpis["ap_voted"] == pytest.approx(1_800_000)
    assert result.kpis["ap_revision_needed"] == pytest.approx(296_000)
    # AP still to pay: (1 000 000 - 300 000) + 800 000 = 1 500 000 €; 2025 envelope 750 000 €: 2 years.
    owner = ap_by_owner(result).set_index("owner").loc["Ville"]
    assert owner["ap_remaining"] == pytest.approx(1_500_000)
    assert owner["next_year"] == 2025
    assert owner["coverage_years"] == pytest.approx(2.0)


def test_execution_rate_by_hand():
    # The milestone planned 432 000 € for 2023 (A) and 300 000 € (B, Éducation); paid 300 000 + 210 000.
    a = _op("A", cost_ht=1_080_000, start="2023-01", works=36)
    b = _op("B", cost_ht=250_000, start="2023-01", works=12, directorate="Éducation")
    milestone = simulate(_portfolio([a, b], []), _scenario("2023-01"))
    actuals = (
        Actual(operation_id="A", year=2023, mandate_ttc=300_000),
        Actual(operation_id="B", year=2023, mandate_ttc=210_000),
    )
    rates = execution_rates(milestone, actuals, (a, b), [2023])
    by = rates.set_index(["level", "name", "year"])
    assert by.loc[("owner", "Ville", 2023), "planned_ttc"] == pytest.approx(732_000)
    assert by.loc[("owner", "Ville", 2023), "rate"] == pytest.approx(510_000 / 732_000)
    assert by.loc[("directorate", "Éducation", 2023), "rate"] == pytest.approx(0.7)
    assert total_execution(rates).set_index("year").loc[2023, "rate"] == pytest.approx(510_000 / 732_000)


@st.composite
def with_actuals(draw):
    portfolio, scenario = draw(portfolio_and_scenario())
    reference_year = FIRST_START // 12
    actuals = []
    for op in portfolio.operations:
        if draw(st.booleans()):
            for year in draw(st.sets(st.integers(reference_year - 4, reference_year + 1), max_size=4)):
                amount = draw(st.floats(0, 2.0)) * op.cost_ht * draw(st.sampled_from([0.1, 0.5, 1.0]))
                actuals.append(Actual(operation_id=op.id, year=year, mandate_ttc=amount))
    ap = {op.id: draw(st.none() | st.floats(1, 6e7)) for op in portfolio.operations}
    ops = tuple(op.model_copy(update={"ap_votee": ap[op.id]}) for op in portfolio.operations)
    return portfolio.model_copy(update={"operations": ops, "actuals": tuple(actuals)}), scenario


@ENGINE
@given(with_actuals())
def test_engine_with_actuals_matches_the_loop_oracle(case):
    result, oracle = engine_and_oracle(case)
    ops = result.operations.set_index("operation_id")
    keys = (
        "spending_ttc",
        "subsidies",
        "fctva",
        "net_cost",
        "planned_ttc",
        "paid_ttc",
        "paid_this_year_ttc",
        "remaining_ttc",
        "incurred_overrun_ttc",
    )
    for op_id, expected in oracle["operations"].items():
        row = ops.loc[op_id]
        for key in keys:
            assert row[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-6), (op_id, key)
        for key in ("ap_voted", "ap_revision_needed"):
            if expected[key] is None:
                assert pd.isna(row[key]), (op_id, key)
            else:
                assert row[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-6), (op_id, key)
        got = _years(result, op_id)
        for year, amount in expected["yearly_spending"].items():
            assert got.get(year, 0.0) == pytest.approx(amount, rel=1e-9, abs=1e-6), (op_id, year)
    assert_owner_years_agree(result, oracle)
    yearly = result.yearly.set_index(["owner", "year"])
    for (owner, year), amount in oracle["paid_years"].items():
        got = yearly.loc[(owner, year), "paid_ttc"] if (owner, year) in yearly.index else 0.0
        assert got == pytest.approx(amount, rel=1e-9, abs=1e-6)
    assert set(result.kpis) == set(oracle["kpis"])
    for key in ("spending_ttc", "paid_ttc", "remaining_ttc", "incurred_overrun_ttc", "ap_voted", "ap_revision_needed"):
        assert result.kpis[key] == pytest.approx(oracle["kpis"][key], rel=1e-9, abs=1e-6), key


@ENGINE
@given(with_actuals())
def test_invariants_of_the_accounts(case):
    portfolio, scenario = case
    result = simulate(portfolio, scenario)
    plan = simulate(portfolio.model_copy(update={"actuals": ()}), scenario)
    ops = result.operations.set_index("operation_id")
    planned = plan.operations.set_index("operation_id")
    with_rows = {a.operation_id for a in portfolio.actuals}
    reference_year = int(scenario.reference_month[:4])
    for op in portfolio.operations:
        row = ops.loc[op.id]
        # Every euro is either paid or still to pay; an overrun only when nothing remains.
        assert row["spending_ttc"] == pytest.approx(row["paid_ttc"] + row["remaining_ttc"], rel=1e-9, abs=1e-6)
        assert min(row["remaining_ttc"], row["incurred_overrun_ttc"]) == pytest.approx(0, abs=1e-6)
        assert row["planned_ttc"] == pytest.approx(planned.loc[op.id, "spending_ttc"], rel=1e-9, abs=1e-6)
        years = _years(result, op.id)
        if op.id not in with_rows:
            assert years == pytest.approx(_years(plan, op.id), rel=1e-9, abs=1e-6)
            continue
        paid = {a.year: a.mandate_ttc for a in portfolio.actuals if a.operation_id == op.id}
        for year, amount in years.items():
            if year < reference_year:
                assert amount == pytest.approx(paid.get(year, 0.0), rel=1e-9, abs=1e-6)

    # Dates and staff never depend on the accounts.
    def loads(r):  # the window may start earlier with money paid before the plan's first year
        staff = r.staff[r.staff["load_fte"].abs() > 1e-12]
        return dict(zip(zip(staff["directorate"], staff["month"], strict=True), staff["load_fte"], strict=True))

    assert loads(result) == pytest.approx(loads(plan))
    assert result.kpis["n_late"] == plan.kpis["n_late"]
