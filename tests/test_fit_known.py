"""Phasing assistant on small hand-built cases whose best plan is known.

Amounts: VAT 0, no escalation, works only, so an operation of 1,2 M€ over 12 months spends
0,1 M€ a month; the spending per year is then easy to count by hand.
"""

from __future__ import annotations

from simulation import simulate
from simulation.fit import check_proposal, propose
from tests.factories import operation, portfolio
from tests.fit_support import assert_hard_rules, plain, scenario, settings, starts

M = 1_000_000


def test_optimiser_secures_the_anru_the_priority_order_loses():
    """Only one of A (priority 1, no ANRU) and B (priority 2, ANRU 0,5 M€) fits in 2025; B must
    start works by June 2025 to keep its ANRU. Best: B at once, A in January 2026. The greedy,
    in priority order, places A first and loses B's subsidy."""
    p = portfolio(
        operation("A", cost_ht=1.2 * M, priority=1),
        operation("B", cost_ht=1.2 * M, priority=2, funding={"anru": 0.5 * M}),
    )
    s = scenario(
        commitment_deadline="2025-06",
        horizon_year=2027,
        envelopes={"Ville": {2025: 1.25 * M, 2026: 1.25 * M, 2027: 1.25 * M}},
    )
    run = propose(p, s, settings())
    greedy, optimal = run.proposals["greedy"], run.proposals["optimal"]
    assert starts(greedy.result) == {"A": "2025-01", "B": "2026-01"}
    assert greedy.result.kpis["anru_secured"] == 0
    assert optimal.status == "optimal"
    assert starts(optimal.result) == {"A": "2026-01", "B": "2025-01"}
    assert optimal.result.kpis["anru_secured"] == 0.5 * M
    assert optimal.objective.key() > greedy.objective.key()
    for proposal in (greedy, optimal):
        assert proposal.violations == []
        assert_hard_rules(p, run, proposal)
    # The move is explained by the envelope that pushed it, with the amount missing.
    (change,) = optimal.changes
    assert change.operation_id == "A" and change.kind == "moved" and change.shift_months == 12
    assert change.reasons[0].kind == "envelope"
    assert plain(change.reasons[0].text) == "enveloppe Ville 2025 (1,2 M€) : il manquerait 1,15 M€"


def test_smallest_shift_that_fits_the_envelope():
    """Two 1,2 M€ operations starting January 2025 under a 1,5 M€ yearly envelope: the best plan
    moves one of them by exactly 9 months (0,3 M€ left in 2025), and no more."""
    p = portfolio(operation("A", cost_ht=1.2 * M, priority=1), operation("B", cost_ht=1.2 * M, priority=3))
    s = scenario(envelopes={"Ville": dict.fromkeys(range(2025, 2031), 1.5 * M)})
    run = propose(p, s, settings())
    optimal = run.proposals["optimal"]
    assert optimal.status == "optimal"
    shifts = sorted(c.shift_months for c in optimal.changes)
    assert shifts == [9]
    assert sorted(starts(optimal.result).values()) == ["2025-01", "2025-10"]
    yearly = optimal.result.yearly.set_index(["owner", "year"])["spending_ttc"]
    assert abs(yearly[("Ville", 2025)] - 1.5 * M) < 1
    assert starts(run.proposals["greedy"].result) == {"A": "2025-01", "B": "2025-10"}


def test_headcount_spreads_operations_and_tolerance_relaxes_it():
    """One project manager's 0,4 FTE per works month and a headcount of 0,4: the two works run
    one after the other (A keeps its date: its ANRU needs works started in 2025). With a 100 %
    tolerance both run at once."""
    p = portfolio(operation("A", priority=1, funding={"anru": 0.1 * M}), operation("B", priority=2))
    s = scenario(headcount={"Éducation": 0.4}, commitment_deadline="2025-12")
    run = propose(p, s, settings())
    optimal = run.proposals["optimal"]
    assert starts(optimal.result) == {"A": "2025-01", "B": "2026-01"}
    assert optimal.changes[0].reasons[0].kind == "staff"
    assert "effectif Éducation" in optimal.changes[0].reasons[0].text
    # The directorate's headcount holds (the Coordination NPNRU team, headcount 0, is not a fit constraint).
    staff = optimal.result.staff
    assert staff.loc[staff["directorate"] == "Éducation", "overload_fte"].max() == 0
    relaxed = propose(p, s, settings(staff_tolerance=1.0)).proposals["optimal"]
    assert starts(relaxed.result) == {"A": "2025-01", "B": "2025-01"}
    assert relaxed.changes == []


def test_a_dependency_follows_the_operation_it_waits_for():
    """A is pushed 6 months by the 2025 envelope; B, which waits for A, follows it."""
    p = portfolio(
        operation("A", cost_ht=1.2 * M, priority=1),
        operation("B", cost_ht=1.2 * M, priority=1, start="2026-01", depends_on="A"),
    )
    s = scenario(envelopes={"Ville": {2025: 0.6 * M, 2026: 1.25 * M, 2027: 1.25 * M}})
    run = propose(p, s, settings())
    for proposal in run.proposals.values():
        assert starts(proposal.result) == {"A": "2025-07", "B": "2026-07"}
        assert proposal.violations == []
        assert_hard_rules(p, run, proposal)
        b = next(c for c in proposal.changes if c.operation_id == "B")
        assert b.reasons[0].kind == "dependency"
        assert "attend l'achèvement de A" in b.reasons[0].text


def test_quarterly_grid_and_maximum_shift():
    p = portfolio(operation("A", cost_ht=1.2 * M), operation("B", cost_ht=1.2 * M, priority=4))
    s = scenario(envelopes={"Ville": dict.fromkeys(range(2025, 2031), 1.5 * M)})
    run = propose(p, s, settings(grid="quarterly"))
    assert sorted(c.shift_months for c in run.proposals["optimal"].changes) == [9]
    # With at most 3 months of shift each, both cannot fit: B (lower priority) is dropped, and the
    # reason says that no start date was possible.
    run = propose(p, s, settings(max_shift_months=3))
    for proposal in run.proposals.values():
        (change,) = proposal.changes
        assert change.kind == "dropped" and change.operation_id == "B"
        assert "aucune date de démarrage possible" in change.reasons[0].text
        assert_hard_rules(p, run, proposal)


def test_committed_operations_are_facts_and_their_overrun_is_allowed():
    """S started in 2024 and alone exceeds the 2025 envelope: it stays; V moves out of 2025."""
    p = portfolio(
        operation("S", cost_ht=2.4 * M, start="2024-07", works_months=24),
        operation("V", cost_ht=0.6 * M, start="2025-03", works_months=6),
    )
    s = scenario(envelopes={"Ville": {2025: 1.0 * M, 2026: 1.5 * M, 2027: 1.5 * M}})
    run = propose(p, s, settings())
    assert run.counts() == {"committed": 1, "variable": 1, "excluded": 0}
    for proposal in run.proposals.values():
        assert starts(proposal.result) == {"S": "2024-07", "V": "2026-01"}
        assert proposal.violations == []
        assert_hard_rules(p, run, proposal)


def test_nothing_moves_earlier_than_requested_and_locks_hold():
    p = portfolio(
        operation("A", cost_ht=1.2 * M, priority=5),
        operation("B", cost_ht=1.2 * M, priority=1),
        operation("C", cost_ht=1.2 * M, priority=1),
        operation("D", cost_ht=0.6 * M, priority=1),
    )
    s = scenario(envelopes={"Ville": dict.fromkeys(range(2025, 2031), 1.3 * M)}).with_choice("C", shift_months=6)
    run = propose(p, s, settings(fixed=("A",), forced_out=("D",)))
    for proposal in run.proposals.values():
        result = proposal.result
        assert not result.scenario.choice("D").keep
        assert starts(result)["C"] >= "2025-07"
        assert starts(result)["A"] in ("2025-01", None)  # fixed: kept where it is, or dropped
        assert proposal.violations == []
        assert_hard_rules(p, run, proposal)


def test_proposal_is_an_ordinary_scenario_that_simulate_reproduces():
    p = portfolio(operation("A", cost_ht=1.2 * M), operation("B", cost_ht=1.2 * M, priority=2))
    s = scenario(envelopes={"Ville": dict.fromkeys(range(2025, 2031), 1.5 * M)})
    proposal = propose(p, s, settings()).proposals["optimal"]
    again = simulate(p, type(proposal.scenario).model_validate_json(proposal.scenario.model_dump_json()))
    assert again.kpis == proposal.result.kpis
    assert proposal.scenario.parent == s.name
    assert "phasage optimisé" in proposal.scenario.name
    # Only shifts and drops are written; other choices stay as requested.
    assert set(proposal.scenario.choices) <= {"A", "B"}


def test_the_checker_names_what_the_requested_plan_breaks():
    """``check_proposal`` on an overrunning plan lists the envelope and the headcount in French."""
    from simulation.fit import build_problem

    p = portfolio(operation("A", cost_ht=1.2 * M), operation("B", cost_ht=1.2 * M))
    s = scenario(envelopes={"Ville": {2025: 1.5 * M}}, headcount={"Éducation": 0.4})
    problem = build_problem(p, s, settings())
    problems = check_proposal(problem, simulate(p, s))
    assert any(text.startswith("enveloppe Ville 2025") for text in problems)
    assert any(text.startswith("effectif Éducation") for text in problems)


def test_a_committed_operation_is_never_pushed_by_what_it_waits_for():
    """OP2's tendering began before the reference month (January 2024): it is committed, and waits
    for OP1. OP1 cannot end before January 2024, so keeping it would push OP2's works to February,
    past the Éducation headcount (0). Neither engine proposes that plan (hypothesis found the greedy
    one doing it); without OP1 OP2 cannot keep its dates either, so there is no plan, and both say so."""
    from simulation import Scenario
    from simulation.fit import FitSettings

    ops = (
        operation("OP0", start="2024-01", works_months=2),
        operation("OP1", owner="Metropole", start="2024-01", works_months=1),
        operation("OP2", start="2023-12", tendering_months=1, works_months=1, depends_on="OP1"),
    )
    zero = {"programming": 0, "design": 0, "tendering": 0, "works": 0}
    chosen = Scenario.model_validate(
        {
            "reference_month": "2024-01",
            "horizon_year": 2026,
            "commitment_deadline": "2024-01",
            "completion_deadline": "2029-01",
            "phase_shares": {**zero, "works": 1},
            "envelopes": {"Ville": {}},
            "headcount": {"Éducation": 0.0},
            "coordination_load": zero,
        }
    )
    run = propose(portfolio(*ops), chosen, FitSettings(max_shift_months=0, time_limit_s=1.0, workers=1))
    for proposal in run.proposals.values():
        assert not proposal.ok and proposal.status == "infeasible", (proposal.engine, proposal.status)
        assert proposal.conflict is not None and "ne peu" in proposal.conflict.text
