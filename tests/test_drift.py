"""Milestone drift (``simulation.drift``) on a small hand-checked portfolio."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulation.drift import drift, works_start
from simulation.months import parse_month
from tests.factories import operation


def test_hand_checked_drift():
    a = operation(
        "A",
        cost_ht=1_000_000,
        vat_rate=0.2,
        start="2026-01",
        programming_months=2,
        design_months=10,
        tendering_months=4,
        works_months=12,
    )
    b = operation("B", cost_ht=2_000_000)
    c = operation("C", cost_ht=500_000)
    d = operation("D", cost_ht=300_000)
    before = (a, b, c)
    a2 = a.model_copy(update={"cost_ht": 1_200_000, "design_months": 13, "capacity": 12})
    after = (a2, b, d)
    result = drift(before, after)
    by_id = {o.id: o for o in result.operations}
    assert [o.id for o in result.operations] == ["A", "B", "D", "C"]
    assert {i: o.status for i, o in by_id.items()} == {
        "A": "modifiée",
        "B": "inchangée",
        "D": "ajoutée",
        "C": "retirée",
    }
    # A: works start 2026-01 + 2 + 10 + 4 = 2027-05 before; + 3 months of design: 2027-08.
    assert by_id["A"].works_start_before == "2027-05" and by_id["A"].works_start_after == "2027-08"
    assert by_id["A"].slippage_months == 3 and by_id["A"].commitment_slippage_months == 3
    assert by_id["A"].cost_ttc_before == 1_200_000 and by_id["A"].cost_ttc_after == 1_440_000
    assert by_id["A"].programme_changes == ("capacité",)
    assert by_id["C"].cost_ht_after is None and by_id["C"].slippage_months is None
    t = result.totals
    assert t["cost_ht_before"] == 1_000_000 + 2_000_000 + 500_000
    assert t["cost_ht_after"] == 1_200_000 + 2_000_000 + 300_000
    assert t["cost_ht_drift"] == 0
    assert (t["n_unchanged"], t["n_modified"], t["n_added"], t["n_removed"]) == (1, 1, 1, 1)
    assert t["n_slipped"] == 1 and t["max_slippage_months"] == 3 and t["n_programme_changed"] == 1


def test_design_start_milestone_ignores_a_longer_design():
    a = operation("A", start="2026-01", programming_months=2, design_months=10)
    a2 = a.model_copy(update={"design_months": 14})
    row = drift((a,), (a2,), "design_start").operations[0]
    assert row.commitment_before == "2026-03" and row.commitment_slippage_months == 0 and row.slippage_months == 4


@given(st.lists(st.integers(min_value=-24, max_value=24), min_size=1, max_size=6))
def test_shifting_starts_slips_works_by_the_same_months(shifts):
    before = tuple(operation(f"O{i}", start="2027-01") for i in range(len(shifts)))
    after = tuple(
        op.model_copy(
            update={"start": f"{(parse_month(op.start) + s) // 12}-{(parse_month(op.start) + s) % 12 + 1:02d}"}
        )
        for op, s in zip(before, shifts, strict=True)
    )
    result = drift(before, after)
    assert [o.slippage_months for o in result.operations] == shifts
    assert [works_start(b) - works_start(a) for a, b in zip(before, after, strict=True)] == shifts
    assert result.totals["n_slipped"] == sum(1 for s in shifts if s > 0)
    assert result.totals["n_unchanged"] == sum(1 for s in shifts if s == 0)
