"""The optimiser can be stopped from another thread (the page's stop button) and keeps the
best plan found so far: at worst the greedy plan it started from."""

from __future__ import annotations

import threading
import time

import pytest

from simulation.fit import FitSettings, build_problem, evaluate, explain_proposal, optimised_proposal, propose
from store import load_portfolio, load_scenario_file
from tests.fit_support import assert_hard_rules


@pytest.fixture(scope="module")
def demo():
    return load_portfolio("data/operations.csv"), load_scenario_file("data/scenario_reference.json")


def test_greedy_first_then_the_optimiser_from_its_plan(demo):
    portfolio, scenario = demo
    run = propose(portfolio, scenario, FitSettings(time_limit_s=2, workers=2), engines=["greedy"], explain=False)
    greedy = run.proposals["greedy"]
    assert greedy.ok and greedy.changes == [] and run.hint is not None
    assert set(run.proposals) == {"greedy"}
    explained = explain_proposal(run.problem, greedy)
    moved = {c.operation_id for c in explained.changes if c.kind == "moved"}
    before = run.before.operations.set_index("operation_id")["start"]
    after = greedy.result.operations.set_index("operation_id")
    assert moved == {i for i in after.index if after.loc[i, "kept"] and after.loc[i, "start"] != before[i]}
    optimal = optimised_proposal(run.problem, run.hint, explain=False)
    assert optimal.ok
    assert evaluate(run.problem, run.hint).key() <= optimal.objective.key()  # never worse than its start
    assert_hard_rules(portfolio, run, optimal)


def test_a_stop_already_asked_returns_the_greedy_plan_at_once(demo):
    portfolio, scenario = demo
    problem = build_problem(portfolio, scenario, FitSettings(time_limit_s=30, workers=2))
    run = propose(portfolio, scenario, FitSettings(time_limit_s=30, workers=2), engines=["greedy"], explain=False)
    stop = threading.Event()
    stop.set()
    started = time.perf_counter()
    proposal = optimised_proposal(problem, run.hint, explain=False, stop=stop)
    assert time.perf_counter() - started < 5
    assert proposal.status == "stopped" and proposal.ok and proposal.stages == []
    assert proposal.objective.key() == evaluate(problem, run.hint).key()
    assert "arrêté à la demande" in proposal.status_text()


def test_a_stop_during_the_search_ends_it_early(demo):
    portfolio, scenario = demo
    settings = FitSettings(time_limit_s=60, workers=2, gap_limit=0.0)
    run = propose(portfolio, scenario, settings, engines=["greedy"], explain=False)
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    started = time.perf_counter()
    proposal = optimised_proposal(run.problem, run.hint, explain=False, stop=stop)
    elapsed = time.perf_counter() - started
    assert proposal.ok
    if proposal.status == "stopped":  # not finished within 1 s: the stop cut the 60 s budget short
        assert elapsed < 20
        assert evaluate(run.problem, run.hint).key() <= proposal.objective.key()
    else:  # the demo solved to optimality before the stop: nothing to cut
        assert proposal.status == "optimal" and elapsed < 2
