"""When no plan can hold, the assistant names the smallest set of conflicting constraints."""

from __future__ import annotations

from simulation.fit import build_problem, find_conflict, propose
from tests.factories import operation, portfolio
from tests.fit_support import assert_hard_rules, plain, scenario, settings, starts

M = 1_000_000


def test_lost_commitment_deadline_names_the_envelope_and_the_deadline():
    """X must start works by June 2025 to keep its ANRU, but the 2025 envelope (0,2 M€) only
    lets it start in November: « Enveloppe Ville 2025 (0,2 M€) et échéance d'engagement de X
    … ne peuvent être tenues ensemble »."""
    p = portfolio(operation("X", cost_ht=1.2 * M, funding={"anru": 0.4 * M}))
    s = scenario(commitment_deadline="2025-06", envelopes={"Ville": {2025: 0.2 * M, 2026: 2 * M, 2027: 2 * M}})
    run = propose(p, s, settings())
    for proposal in run.proposals.values():
        assert starts(proposal.result) == {"X": "2025-11"}
        (change,) = proposal.changes
        assert change.anru_lost == 0.4 * M
        assert plain(change.deadline) == (
            "Enveloppe Ville 2025 (0,2 M€) et échéance d'engagement de X « Opération X » (juin 2025) "
            "ne peuvent être tenues ensemble."
        )
        assert_hard_rules(p, run, proposal)


def test_deadline_traded_for_a_better_ranked_operation_is_said_so():
    """Y could keep its deadline alone; it gives way to Z, whose ANRU is larger."""
    p = portfolio(
        operation("Y", cost_ht=1.2 * M, funding={"anru": 0.1 * M}),
        operation("Z", cost_ht=1.2 * M, funding={"anru": 0.5 * M}),
    )
    s = scenario(commitment_deadline="2025-06", envelopes={"Ville": {2025: 1.25 * M, 2026: 2 * M, 2027: 2 * M}})
    optimal = propose(p, s, settings()).proposals["optimal"]
    (change,) = optimal.changes
    assert change.operation_id == "Y"
    assert change.deadline.startswith("Son échéance d'engagement pouvait être tenue")


def test_impossible_forced_in_operation_names_every_envelope_and_the_lock():
    """X (1,2 M€ over 12 months) cannot fit in 0,5 M€ a year whatever its start before the
    end of 2027: the three envelopes and the lock conflict, and no proposal is made."""
    p = portfolio(operation("X", cost_ht=1.2 * M), operation("Y", cost_ht=0.1 * M))
    s = scenario(horizon_year=2027, envelopes={"Ville": dict.fromkeys((2025, 2026, 2027), 0.5 * M)})
    run = propose(p, s, settings(forced_in=("X",)))
    for proposal in run.proposals.values():
        assert proposal.status == "infeasible"
        assert proposal.scenario is None
        text = plain(proposal.conflict.text)
        for part in (
            "Enveloppe Ville 2025 (0,5 M€)",
            "enveloppe Ville 2026 (0,5 M€)",
            "enveloppe Ville 2027 (0,5 M€)",
            "maintien imposé de X « Opération X »",
        ):
            assert part in text
        assert text.endswith("ne peuvent être tenus ensemble")
        assert len(proposal.conflict.constraints) == 4  # irreducible: relaxing any one lets X fit
        assert "Y" not in text.replace("Ville", "")  # what can be dropped is not part of the conflict
    # Without the lock, X is simply dropped.
    free = propose(p, s, settings()).proposals["optimal"]
    assert free.ok and [c.operation_id for c in free.changes if c.kind == "dropped"] == ["X"]


def test_headcount_conflict_names_each_year_it_needs():
    """With 0,3 FTE for a 0,4 FTE works phase, every start overloads the directorate: the
    conflict needs the headcount of each year a candidate start falls in, and the lock."""
    p = portfolio(operation("X"), operation("W", priority=5))
    s = scenario(horizon_year=2027, headcount={"Éducation": 0.3})
    problem = build_problem(p, s, settings(forced_in=("X",)))
    conflict = find_conflict(problem).conflict
    assert [c.kind for c in conflict.constraints] == ["staff", "staff", "staff", "forced"]
    for year in (2025, 2026, 2027):
        assert f"effectif éducation en {year} (0,3 etp)" in plain(conflict.text).lower()
    assert "W" not in conflict.text


def test_greedy_order_failure_falls_back_on_a_feasible_placement():
    """Both operations are forced in. B's works (24 months) can only start in January 2025 to end
    by the horizon; the greedy, in priority order, would put A there first and find no room for
    B. The assistant places the forced-in operations together first, then levels the rest."""
    p = portfolio(
        operation("A", cost_ht=1.2 * M, priority=1),
        operation("B", cost_ht=2.4 * M, priority=2, works_months=24),
    )
    s = scenario(horizon_year=2026, envelopes={"Ville": {2025: 1.25 * M, 2026: 2.5 * M}})
    run = propose(p, s, settings(forced_in=("A", "B")))
    for proposal in run.proposals.values():
        assert proposal.ok
        assert starts(proposal.result) == {"A": "2026-01", "B": "2025-01"}
        assert proposal.violations == []
        assert_hard_rules(p, run, proposal)
