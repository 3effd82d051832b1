"""The recommended recruitment: hand-computed cases, and minimality proved by brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import Operation, Scenario, simulate
from simulation.months import format_month, parse_month
from simulation.scenario import COORDINATION_TEAM
from simulation.staffing import recommend, with_recommendations
from tests.factories import operation, portfolio

NO_COORDINATION = {"programming": 0, "design": 0, "tendering": 0, "works": 0}


def test_the_sentence_of_the_issue():
    # Two works of 0,4 FTE from March 2026 and one from June 2026: Éducation (headcount 0) needs
    # 0,8 then 1,2 FTE -> 2 FTE from March 2026, launched 6 months earlier.
    ops = portfolio(operation("A", start="2026-03"), operation("B", start="2026-03"), operation("C", start="2026-06"))
    scenario = Scenario(headcount={"Éducation": 0}, coordination_load=NO_COORDINATION)
    [rec] = recommend(simulate(ops, scenario))
    assert rec.sentence == (
        "Recruter 2 ETP en Éducation à partir de mars 2026 (lancer le recrutement en septembre 2025)"
    )
    assert (rec.fte, rec.start, rec.launch, rec.launch_late) == (2, "2026-03", "2025-09", False)
    assert rec.as_record()["from"] == "2026-03"


def test_lead_time_is_a_parameter_and_a_late_launch_is_said():
    ops = portfolio(operation("A", start="2025-03"))
    scenario = Scenario(headcount={"Éducation": 0}, coordination_load=NO_COORDINATION, recruitment_lead_months=3)
    [rec] = recommend(simulate(ops, scenario))
    assert rec.launch == "2024-12" and rec.launch_late
    assert rec.sentence.endswith("(lancer le recrutement sans attendre : il aurait fallu le lancer en décembre 2024)")


def test_the_plan_as_it_is_counts_and_coordination_is_recommended_too():
    ops = portfolio(operation("A", start="2026-03"), operation("B", start="2026-03"))
    scenario = Scenario(
        headcount={"Éducation": 0},
        coordination_load={"programming": 0, "design": 0, "tendering": 0, "works": 0.3},
        recruitments=[{"direction": "Éducation", "fte": 1, "from": "2026-01"}],
    )
    recs = {r.directorate: r for r in recommend(simulate(ops, scenario))}
    assert recs["Coordination NPNRU"].fte == 1  # 0,6 FTE of coordination from March 2026
    assert recs["Coordination NPNRU"].start == "2026-03"
    assert "Éducation" not in recs  # 0,8 FTE needed, 1 recruited already
    fixed = simulate(ops, with_recommendations(scenario, list(recs.values())))
    assert fixed.kpis["staff_overload_months"] == 0
    assert recommend(fixed) == []


def test_directorates_without_headcount_get_no_recommendation():
    result = simulate(portfolio(operation()), Scenario(coordination_load=NO_COORDINATION))
    assert recommend(result) == []


# ------------------------------------------------------------------ brute force


@st.composite
def small_cases(draw):
    """1-3 short operations of two directorates in 2025, a random headcount and plan: a 2-year window."""
    ops: list[Operation] = []
    for i in range(draw(st.integers(1, 3))):
        ops.append(
            operation(
                f"O{i}",
                directorate=draw(st.sampled_from(["Éducation", "Sports"])),
                start=format_month(2025 * 12 + draw(st.integers(0, 6))),
                programming_months=draw(st.integers(0, 2)),
                design_months=draw(st.integers(0, 2)),
                tendering_months=draw(st.integers(0, 1)),
                works_months=draw(st.integers(1, 3)),
            )
        )
    recruitments = []
    if draw(st.booleans()):
        start = 2025 * 12 + draw(st.integers(0, 8))
        recruitments.append(
            {"direction": "Éducation", "fte": draw(st.sampled_from([0.3, 0.5, 1.0])), "from": format_month(start)}
        )
    scenario = Scenario(
        reference_month="2025-01",
        horizon_year=2025,
        fctva_lag_years=0,
        headcount={"Éducation": draw(st.sampled_from([0.0, 0.2, 0.5])), "Sports": draw(st.sampled_from([0.0, 0.3]))},
        coordination_load={"programming": 0.1, "design": 0.2, "tendering": 0.2, "works": 0.3},
        recruitments=recruitments,
    )
    return portfolio(*ops), scenario


def _cleared(overload: np.ndarray, fte: int, first: int, last: int | None) -> bool:
    """Whether one recruitment of ``fte`` from month ``first`` to ``last`` (None: open) removes every overload."""
    months = np.arange(len(overload))
    inside = (months >= first) & ((months <= last) if last is not None else True)
    return bool(np.all(overload - fte * inside <= 1e-9))


@settings(max_examples=60, deadline=None)
@given(small_cases())
def test_recommendation_is_the_smallest_whole_fte_and_the_latest_start(case):
    ops, scenario = case
    result = simulate(ops, scenario)
    recs = {r.directorate: r for r in recommend(result)}
    staff = result.staff[result.staff["month"] >= scenario.reference_month]
    for directorate in ["Éducation", "Sports", COORDINATION_TEAM]:
        overload = staff.loc[staff["directorate"] == directorate, "overload_fte"].to_numpy()
        n = len(overload)
        feasible = {
            (fte, first, last)
            for fte in range(0, 6)
            for first in range(n)
            for last in [None, *range(first, n)]
            if _cleared(overload, fte, first, last)
        }
        smallest = min(fte for fte, _, _ in feasible)
        rec = recs.get(directorate)
        assert (rec.fte if rec else 0) == smallest, directorate
        if rec:
            latest = max(first for fte, first, _ in feasible if fte == smallest)
            assert parse_month(rec.start) - parse_month(scenario.reference_month) == latest
    # Applying every recommendation leaves no month over headcount, in the engine itself.
    fixed = simulate(ops, with_recommendations(scenario, list(recs.values())))
    assert fixed.kpis["staff_overload_months"] == 0
