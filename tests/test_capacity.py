"""Capacity reductions: per-directorate staff summary and spending per owner against envelopes."""

from __future__ import annotations

import math

import pytest

from simulation import Scenario, simulate
from simulation.capacity import DIRECTORATE_SUMMARY_COLUMNS, OWNER_YEAR_COLUMNS, directorate_summary, owner_years
from tests.factories import operation, portfolio


def staff_case():
    """Hand-made: works only, so each operation needs 0,4 FTE for each month of works.

    Éducation: A (2025-01..12) + B (2025-07..12) -> 0,4 FTE Jan-Jun, 0,8 FTE Jul-Dec 2025;
    headcount 0,5 -> 6 months over, 0,3 FTE at worst, first in July.
    Sports: C (2024-01..2025-12) + D (2024-01..06) -> 0,8 FTE in 2024 H1, but only 0,4 FTE
    from the reference month (2025-01): never over its 0,5 headcount in the window.
    Culture: E (2025-03..05) and no headcount set.
    """
    ops = portfolio(
        operation("A", directorate="Éducation", start="2025-01", works_months=12),
        operation("B", directorate="Éducation", start="2025-07", works_months=6),
        operation("C", directorate="Sports", start="2024-01", works_months=24),
        operation("D", directorate="Sports", start="2024-01", works_months=6),
        operation("E", directorate="Culture", start="2025-03", works_months=3),
    )
    scenario = Scenario(reference_month="2025-01", headcount={"Éducation": 0.5, "Sports": 0.5})
    return simulate(ops, scenario)


def test_directorate_summary_by_hand():
    summary = directorate_summary(staff_case()).set_index("directorate")
    assert list(summary.reset_index().columns) == list(DIRECTORATE_SUMMARY_COLUMNS)

    education = summary.loc["Éducation"]
    assert education["headcount"] == 0.5
    assert education["peak_load"] == pytest.approx(0.8)
    assert education["peak_month"] == "2025-07"
    assert education["months_over"] == 6
    assert education["peak_overload"] == pytest.approx(0.3)
    assert education["first_month_over"] == "2025-07"

    sports = summary.loc["Sports"]  # 0,8 FTE in 2024 is before the reference month: not counted
    assert sports["peak_load"] == pytest.approx(0.4)
    assert sports["peak_month"] == "2025-01"
    assert sports["months_over"] == 0
    assert sports["peak_overload"] == 0
    assert not isinstance(sports["first_month_over"], str)

    culture = summary.loc["Culture"]
    assert math.isnan(culture["headcount"])
    assert culture["peak_load"] == pytest.approx(0.4)
    assert culture["peak_month"] == "2025-03"
    assert culture["months_over"] == 0


def test_directorate_summary_agrees_with_the_kpis():
    result = staff_case()
    summary = directorate_summary(result)
    assert summary["peak_overload"].max() == pytest.approx(result.kpis["peak_staff_overload"])
    assert summary["months_over"].sum() == result.kpis["staff_overload_months"]
    assert summary["peak_load"].max() == pytest.approx(result.kpis["peak_staff_load"])


def test_more_headcount_removes_the_overload():
    result = staff_case()
    relieved = simulate(
        portfolio(
            operation("A", directorate="Éducation", start="2025-01", works_months=12),
            operation("B", directorate="Éducation", start="2025-07", works_months=6),
        ),
        result.scenario.model_copy(update={"headcount": {"Éducation": 0.8}}),
    )
    education = directorate_summary(relieved).set_index("directorate").loc["Éducation"]
    assert education["months_over"] == 0  # load equal to headcount is not an overload
    assert education["peak_overload"] == 0


def money_case():
    """Ville: 1 M€ spent over 2025. Métropole: 1 M€ over 2025-07..2026-06, so 500 000 € in 2025
    and 500 000 € x 1,03 = 515 000 € in 2026 (price year 2025, 3 % escalation, no VAT).
    Envelope for the Ville only: 800 000 € a year."""
    ops = portfolio(
        operation("V", owner="Ville", start="2025-01", works_months=12),
        operation("M", owner="Metropole", start="2025-07", works_months=12),
    )
    scenario = Scenario(envelopes={"Ville": {2025: 800_000, 2026: 800_000}})
    return simulate(ops, scenario)


def test_owner_years_by_hand():
    table = owner_years(money_case(), 2025, 2026)
    assert list(table.columns) == list(OWNER_YEAR_COLUMNS)
    rows = {(r.owner, r.year): r for r in table.itertuples(index=False)}
    assert set(rows) == {("Ville", 2025), ("Ville", 2026), ("Metropole", 2025), ("Metropole", 2026)}

    assert rows["Ville", 2025].spending_ttc == pytest.approx(1_000_000)
    assert rows["Ville", 2025].envelope == 800_000
    assert rows["Ville", 2025].gap == pytest.approx(200_000)  # positive: over the envelope
    assert rows["Ville", 2025].over_envelope
    assert rows["Ville", 2026].spending_ttc == pytest.approx(0)
    assert rows["Ville", 2026].gap == pytest.approx(-800_000)
    assert not rows["Ville", 2026].over_envelope

    assert rows["Metropole", 2025].spending_ttc == pytest.approx(500_000)
    assert rows["Metropole", 2026].spending_ttc == pytest.approx(515_000)
    assert math.isnan(rows["Metropole", 2026].envelope)
    assert math.isnan(rows["Metropole", 2026].gap)
    assert not rows["Metropole", 2026].over_envelope


def test_owner_years_keeps_only_the_years_asked_and_active_owners():
    table = owner_years(money_case(), 2026, 2026)
    assert set(zip(table["owner"], table["year"], strict=True)) == {("Ville", 2026), ("Metropole", 2026)}
    assert set(owner_years(money_case(), 2030, 2031)["owner"]) == set()  # nothing spent, no envelope
