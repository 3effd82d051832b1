"""Every engine rule against a figure computed by hand (the computation is in each comment)."""

from __future__ import annotations

import pytest

from simulation import OperationChoice, Scenario, ScenarioError, simulate
from simulation.limits import MAX_SHIFT_MONTHS
from simulation.months import parse_month
from simulation.scenario import allowed_shift
from tests.factories import operation, portfolio

NO_ESCALATION = Scenario(escalation_rate=0.0, fctva_lag_years=1)


def op_row(result, op_id="A"):
    return result.operations.set_index("operation_id").loc[op_id]


def yearly(result, owner="Ville"):
    table = result.yearly[result.yearly["owner"] == owner].set_index("year")
    return table


def test_phase_dates_follow_each_other_without_gaps():
    # start 2025-01, (3, 12, 6, 18): design 2025-04, tendering 2026-04, works 2026-10,
    # completion = works start + 18 - 1 = 2028-03.
    result = simulate(
        portfolio(operation(programming_months=3, design_months=12, tendering_months=6, works_months=18)),
        NO_ESCALATION,
    )
    row = op_row(result)
    assert (row.start, row.design_start, row.tendering_start, row.works_start, row.completion) == (
        "2025-01",
        "2025-04",
        "2026-04",
        "2026-10",
        "2028-03",
    )


def test_cost_spread_by_phase_shares_and_evenly_over_months():
    # 1 200 000 € HT, no VAT, (12, 12, 12, 12) from 2025-01: one phase per year.
    # Shares 2 / 10 / 1 / 87 % -> 24 000, 120 000, 12 000, 1 044 000 €.
    op = operation(cost_ht=1_200_000, programming_months=12, design_months=12, tendering_months=12, works_months=12)
    table = yearly(simulate(portfolio(op), NO_ESCALATION))
    assert table.loc[2025, "spending_ttc"] == pytest.approx(24_000)
    assert table.loc[2026, "spending_ttc"] == pytest.approx(120_000)
    assert table.loc[2027, "spending_ttc"] == pytest.approx(12_000)
    assert table.loc[2028, "spending_ttc"] == pytest.approx(1_044_000)


def test_even_spread_within_a_phase_across_calendar_years():
    # Works only, 12 months from 2025-07: 6 months in 2025, 6 in 2026 -> half each.
    op = operation(start="2025-07", works_months=12)
    table = yearly(simulate(portfolio(op), NO_ESCALATION))
    assert table.loc[2025, "spending_ttc"] == pytest.approx(500_000)
    assert table.loc[2026, "spending_ttc"] == pytest.approx(500_000)


def test_zero_month_phase_gets_no_share_and_others_are_scaled_up():
    # Design 0 months: shares 2 / 1 / 87 % scaled by 1 / 0.90.
    # (2, 0, 1, 9) from 2025-01, 900 000 €: all in 2025 -> 900 000 €; programming = 20 000 €.
    op = operation(cost_ht=900_000, programming_months=2, design_months=0, tendering_months=1, works_months=9)
    table = yearly(simulate(portfolio(op), NO_ESCALATION))
    assert table.loc[2025, "spending_ttc"] == pytest.approx(900_000)
    # Works 12 months (2025-04 .. 2026-03): 9 months in 2025.
    op = operation(cost_ht=900_000, programming_months=2, design_months=0, tendering_months=1, works_months=12)
    table = yearly(simulate(portfolio(op), NO_ESCALATION))
    # 2026 holds 3 of 12 works months: 900 000 x 0.87 / 0.90 x 3 / 12 = 217 500 €.
    assert table.loc[2026, "spending_ttc"] == pytest.approx(217_500)


def test_price_escalation_by_calendar_year_of_spending():
    # Price year 2024, rate 10 %, works 12 months in 2026: x 1.1 ** 2 = 1.21.
    op = operation(price_year=2024, start="2026-01", works_months=12)
    result = simulate(portfolio(op), Scenario(escalation_rate=0.10))
    assert op_row(result).spending_ttc == pytest.approx(1_210_000)


def test_vat_added_to_spending():
    op = operation(vat_rate=0.20)
    assert op_row(simulate(portfolio(op), NO_ESCALATION)).spending_ttc == pytest.approx(1_200_000)


@pytest.mark.parametrize("lag", [0, 1, 2])
def test_fctva_is_16_404_percent_of_ttc_received_after_the_lag(lag):
    # 1 200 000 € TTC spent in 2025 -> 196 848 € of FCTVA received in 2025 + lag.
    op = operation(vat_rate=0.20)
    result = simulate(portfolio(op), Scenario(escalation_rate=0.0, fctva_lag_years=lag))
    table = yearly(result)
    assert table.loc[2025 + lag, "fctva"] == pytest.approx(196_848)
    assert table["fctva"].sum() == pytest.approx(196_848)
    assert op_row(result).fctva == pytest.approx(196_848)


def test_subsidies_received_pro_rata_of_spending_by_year():
    # Works 2025-10 .. 2026-09: 3/12 of spending in 2025 -> 25 % of each funding line.
    op = operation(start="2025-10", funding={"anru": 100_000, "region": 40_000})
    result = simulate(portfolio(op), NO_ESCALATION)
    table = yearly(result)
    assert table.loc[2025, "subsidies"] == pytest.approx(35_000)
    assert table.loc[2026, "subsidies"] == pytest.approx(105_000)
    funding = result.funding.set_index(["funder", "year"])["amount"]
    assert funding[("anru", 2025)] == pytest.approx(25_000)
    assert funding[("region", 2026)] == pytest.approx(30_000)


def test_net_cost_is_spending_minus_subsidies_minus_fctva():
    # 1 000 000 € TTC (no VAT to keep it round), 300 000 € of subsidies, FCTVA 164 040 €.
    op = operation(funding={"anru": 200_000, "etat": 100_000})
    row = op_row(simulate(portfolio(op), NO_ESCALATION))
    assert row.net_cost == pytest.approx(1_000_000 - 300_000 - 164_040)


def test_missed_commitment_deadline_loses_the_anru_line_only():
    # Works start 2027-01 > commitment deadline 2026-12.
    op = operation(start="2026-01", tendering_months=12, funding={"anru": 300_000, "caf": 100_000})
    result = simulate(portfolio(op), NO_ESCALATION)
    row = op_row(result)
    assert row.commitment_missed and row.status == "late"
    assert row.anru_lost == pytest.approx(300_000)
    assert row.anru_secured == 0
    assert row.funding_caf == pytest.approx(100_000)
    assert row.spending_ttc == pytest.approx(1_000_000)
    assert result.kpis["anru_lost"] == pytest.approx(300_000)


def test_works_starting_in_the_deadline_month_keeps_anru():
    op = operation(start="2026-01", tendering_months=11, funding={"anru": 300_000})
    row = op_row(simulate(portfolio(op), NO_ESCALATION))
    assert row.works_start == "2026-12"
    assert not row.commitment_missed and row.anru_secured == pytest.approx(300_000)


def test_design_start_milestone():
    # Programming 24 months from 2025-06: design starts 2027-06, after 2026-12.
    op = operation(start="2025-06", programming_months=24, funding={"anru": 50_000})
    by_works = op_row(simulate(portfolio(op), NO_ESCALATION))
    assert by_works.commitment_missed  # works start 2027-06 too
    op = operation(start="2025-06", programming_months=12, design_months=12, funding={"anru": 50_000})
    by_design = op_row(simulate(portfolio(op), Scenario(commitment_milestone="design_start")))
    assert by_design.commitment_month == "2026-06" and not by_design.commitment_missed
    by_works = op_row(simulate(portfolio(op), Scenario()))
    assert by_works.commitment_month == "2027-06" and by_works.commitment_missed


def test_completion_after_deadline_is_late_but_keeps_anru():
    # Design starts 2026-12 (on the deadline), works 2030-06 .. 2031-05 > 2030-12.
    op = operation(start="2026-06", programming_months=6, design_months=42, works_months=12, funding={"anru": 10_000})
    row = op_row(simulate(portfolio(op), Scenario(commitment_milestone="design_start")))
    assert row.completion == "2031-05"
    assert row.completion_missed and row.status == "late"
    assert row.anru_secured == pytest.approx(10_000)


def test_dropped_operation_has_no_money_and_forgoes_anru():
    op = operation(funding={"anru": 100_000, "etat": 50_000})
    scenario = NO_ESCALATION.with_choice("A", keep=False)
    result = simulate(portfolio(op), scenario)
    row = op_row(result)
    assert row.status == "dropped"
    assert row.spending_ttc == 0 and row.subsidies == 0 and row.fctva == 0
    assert row.anru_forgone == pytest.approx(100_000) and row.anru_lost == 0
    assert result.kpis["n_dropped"] == 1 and result.kpis["spending_ttc"] == 0


@pytest.mark.parametrize(("factor", "cost", "anru"), [(0.8, 800_000, 80_000), (1.25, 1_250_000, 100_000)])
def test_cost_factor_scales_cost_and_caps_funding(factor, cost, anru):
    op = operation(funding={"anru": 100_000})
    row = op_row(simulate(portfolio(op), NO_ESCALATION.with_choice("A", cost_factor=factor)))
    assert row.cost_ht == pytest.approx(cost)
    assert row.spending_ttc == pytest.approx(cost)
    assert row.anru_secured == pytest.approx(anru)


def test_shift_moves_the_whole_operation():
    op = operation(start="2025-03", works_months=10)
    row = op_row(simulate(portfolio(op), NO_ESCALATION.with_choice("A", shift_months=14)))
    assert (row.start, row.completion) == ("2026-05", "2027-02")


def test_shift_before_reference_month_is_refused_in_french():
    # Not started (2025-03, reference 2025-01): an advance of 3 would start it in décembre 2024.
    op = operation(start="2025-03")
    scenario = Scenario(reference_month="2025-01").with_choice("A", shift_months=-3)
    with pytest.raises(
        ScenarioError,
        match="avance de 3 mois.*décembre 2024, avant le mois de référence "
        r"\(janvier 2025\) ; avance possible : 2 mois au plus",
    ):
        simulate(portfolio(op), scenario)


# A school whose programming began 2023-07 (24 months), design 2025-07 (6), tendering
# 2026-01 (5), works 2026-06 (18, ends 2027-11); reference month 2025-03: programming is in
# progress, design is the first phase not yet begun.
STARTED = dict(start="2023-07", programming_months=24, design_months=6, tendering_months=5, works_months=18)
AT_MARCH_2025 = NO_ESCALATION.model_copy(update={"reference_month": "2025-03"})


@pytest.mark.parametrize("delay", [1, 5, 17, 18])
def test_a_delay_of_a_started_operation_postpones_the_phases_not_yet_begun(delay):
    # The phase in progress keeps its dates (programming 2023-07 → 2025-06); design starts
    # ``delay`` months after 2025-07, and the phases after it follow.
    row = op_row(simulate(portfolio(operation(**STARTED)), AT_MARCH_2025.with_choice("A", shift_months=delay)))
    months = 2025 * 12 + 6 + delay  # 2025-07 + delay, as a month index (January = 0)
    assert row.start == "2023-07"
    assert row.design_start == f"{months // 12}-{months % 12 + 1:02d}"
    assert parse_month(row.works_start) == months + 6 + 5
    assert parse_month(row.completion) == months + 6 + 5 + 18 - 1


def test_a_started_operation_spends_nothing_in_the_gap_a_delay_opens():
    # No money in the months a delay opens: the total is unchanged, and 2025 keeps only the
    # programming months still in progress (January–June).
    base = simulate(portfolio(operation(**STARTED)), AT_MARCH_2025)
    delayed = simulate(portfolio(operation(**STARTED)), AT_MARCH_2025.with_choice("A", shift_months=12))
    assert delayed.kpis["spending_ttc"] == pytest.approx(base.kpis["spending_ttc"])
    # programming: 2 % of 1 M€ over 24 months = 833,33 €/month; six months in 2025 (Jan–Jun).
    spent_2025 = delayed.operation_years.set_index("year").loc[2025, "spending_ttc"]
    assert spent_2025 == pytest.approx(6 * 0.02 * 1_000_000 / 24)


def test_an_advance_of_a_started_operation_stops_at_the_reference_month():
    # Design (2025-07) may come 4 months earlier, to the reference month 2025-03, not 5.
    ok = op_row(simulate(portfolio(operation(**STARTED)), AT_MARCH_2025.with_choice("A", shift_months=-4)))
    assert (ok.start, ok.design_start) == ("2023-07", "2025-03")
    with pytest.raises(ScenarioError, match=r"conception en février 2025.*avance possible : 4 mois au plus"):
        simulate(portfolio(operation(**STARTED)), AT_MARCH_2025.with_choice("A", shift_months=-5))


def test_a_phase_starting_in_the_reference_month_has_not_begun():
    # Design starts 2025-07 = the reference month: it moves with a delay of 2.
    at_july = AT_MARCH_2025.model_copy(update={"reference_month": "2025-07"})
    row = op_row(simulate(portfolio(operation(**STARTED)), at_july.with_choice("A", shift_months=2)))
    assert (row.start, row.design_start) == ("2023-07", "2025-09")


def test_an_operation_whose_works_have_begun_cannot_be_shifted():
    at_2026_07 = AT_MARCH_2025.model_copy(update={"reference_month": "2026-07"})
    with pytest.raises(ScenarioError, match="toutes ses phases ont commencé"):
        simulate(portfolio(operation(**STARTED)), at_2026_07.with_choice("A", shift_months=3))


def test_allowed_shift_range_of_started_and_new_operations():
    started = operation(**STARTED)
    assert allowed_shift(started, OperationChoice(), "2025-03") == (-4, MAX_SHIFT_MONTHS)
    assert allowed_shift(started, OperationChoice(), "2026-07") is None
    assert allowed_shift(operation(start="2026-01"), OperationChoice(), "2025-03") == (-10, MAX_SHIFT_MONTHS)


def test_a_dependency_pushes_only_the_phases_not_yet_begun():
    # B is under way (programming 2024-07 → 2025-06, then works 12 months); it waits for A,
    # which completes 2025-12 (start 2025-01, 12 months): works are pushed from 2025-07 to 2026-01.
    a = operation("A", start="2025-01", works_months=12)
    b = operation("B", start="2024-07", programming_months=12, works_months=12, depends_on="A")
    result = simulate(portfolio(a, b), NO_ESCALATION.model_copy(update={"reference_month": "2025-03"}))
    row = op_row(result, "B")
    assert (row.start, row.works_start, row.pushed_months) == ("2024-07", "2026-01", 6)


def test_choice_for_unknown_operation_is_refused():
    with pytest.raises(ScenarioError, match="n'existe pas"):
        simulate(portfolio(operation()), Scenario(choices={"ZZZ": OperationChoice(keep=False)}))


def test_duration_override():
    op = operation(works_months=12)
    row = op_row(simulate(portfolio(op), NO_ESCALATION.with_choice("A", durations={"works": 6, "design": 2})))
    assert (row.design_start, row.works_start, row.completion) == ("2025-01", "2025-03", "2025-08")


def test_dependency_pushes_to_the_month_after_completion():
    # A completes 2026-06; B planned 2025-09 waits until 2026-07 (pushed 10 months).
    a = operation("A", start="2025-07", works_months=12)
    b = operation("B", start="2025-09", works_months=6, depends_on="A")
    result = simulate(portfolio(a, b), NO_ESCALATION)
    row = op_row(result, "B")
    assert row.start == "2026-07" and row.pushed_months == 10 and row.pushed_by == "A"
    assert result.kpis["n_pushed"] == 1


def test_dependency_chain_pushes_transitively():
    a = operation("A", start="2025-01", works_months=12)  # completes 2025-12
    b = operation("B", start="2025-01", works_months=6, depends_on="A")  # 2026-01 .. 2026-06
    c = operation("C", start="2025-01", works_months=6, depends_on="B")  # 2026-07 ..
    result = simulate(portfolio(c, b, a), NO_ESCALATION)
    assert op_row(result, "C").start == "2026-07"


def test_dependency_already_satisfied_does_not_push():
    a = operation("A", start="2025-01", works_months=3)
    b = operation("B", start="2026-01", depends_on="A")
    row = op_row(simulate(portfolio(a, b), NO_ESCALATION), "B")
    assert row.start == "2026-01" and row.pushed_months == 0 and row.pushed_by is None


def test_dropped_predecessor_releases_the_dependency():
    a = operation("A", start="2025-07", works_months=12)
    b = operation("B", start="2025-09", depends_on="A")
    row = op_row(simulate(portfolio(a, b), NO_ESCALATION.with_choice("A", keep=False)), "B")
    assert row.start == "2025-09" and row.pushed_months == 0


def test_owner_transfer_moves_spending_to_the_other_envelope_and_out_of_city_staff():
    op = operation()
    result = simulate(portfolio(op), NO_ESCALATION.with_choice("A", owner="SPEM"))
    assert op_row(result).owner == "SPEM"
    spem = yearly(result, "SPEM")
    assert spem.loc[2025, "spending_ttc"] == pytest.approx(1_000_000)
    assert "Ville" not in set(result.yearly["owner"])
    assert result.staff["load_fte"].sum() == 0


def test_staff_load_by_phase_and_month_against_headcount():
    # (2, 3, 1, 2) from 2025-01: 0.2 x 2, 0.3 x 3, 0.3 x 1, 0.4 x 2 FTE; headcount 0.25.
    op = operation(programming_months=2, design_months=3, tendering_months=1, works_months=2)
    no_coordination = {"programming": 0, "design": 0, "tendering": 0, "works": 0}
    result = simulate(portfolio(op), Scenario(headcount={"Éducation": 0.25}, coordination_load=no_coordination))
    staff = result.staff[result.staff["directorate"] == "Éducation"].set_index("month")
    loads = [staff.loc[f"2025-{m:02d}", "load_fte"] for m in range(1, 10)]
    assert loads == pytest.approx([0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4, 0.4, 0.0])
    assert staff.loc["2025-07", "overload_fte"] == pytest.approx(0.15)
    assert result.kpis["peak_staff_load"] == pytest.approx(0.4)
    assert result.kpis["peak_staff_overload"] == pytest.approx(0.15)
    assert result.kpis["staff_overload_months"] == 6


def test_staff_counts_only_the_capacity_owner():
    ville = operation("A")
    metropole = operation("B", owner="Metropole")
    result = simulate(portfolio(ville, metropole), Scenario())
    education = result.staff[result.staff["directorate"] == "Éducation"].set_index("month")
    assert education.loc["2025-01", "load_fte"] == pytest.approx(0.4)
    result = simulate(portfolio(ville, metropole), Scenario(capacity_owner="Metropole"))
    education = result.staff[result.staff["directorate"] == "Éducation"].set_index("month")
    assert education.loc["2025-01", "load_fte"] == pytest.approx(0.4)


def test_envelope_gap_per_owner_and_year():
    # 1 000 000 € in 2025 against 800 000 €: 200 000 € over; 2026 has an envelope, no spending.
    op = operation()
    scenario = Scenario(escalation_rate=0.0, envelopes={"Ville": {2025: 800_000, 2026: 500_000}})
    result = simulate(portfolio(op), scenario)
    table = yearly(result)
    assert table.loc[2025, "gap"] == pytest.approx(200_000) and table.loc[2025, "over_envelope"]
    assert table.loc[2026, "gap"] == pytest.approx(-500_000) and not table.loc[2026, "over_envelope"]
    assert result.kpis["years_over_envelope"] == 1
    assert result.kpis["total_overrun"] == pytest.approx(200_000)


def test_kpi_counts():
    ops = [
        operation("A"),
        operation("B", start="2026-01", tendering_months=12),  # commitment missed
        operation("C", start="2026-01", works_months=72),  # completion missed (2031-12)
        operation("D"),
    ]
    result = simulate(portfolio(*ops), NO_ESCALATION.with_choice("D", keep=False))
    k = result.kpis
    assert (k["n_operations"], k["n_kept"], k["n_dropped"], k["n_on_time"], k["n_late"]) == (4, 3, 1, 1, 2)
    assert (k["n_commitment_missed"], k["n_completion_missed"]) == (1, 1)
