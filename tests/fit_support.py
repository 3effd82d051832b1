"""Helpers for the phasing assistant tests: small scenarios, and the hard rules checked
directly on ``simulate`` results (independently of ``simulation.fit.verify``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from simulation import Portfolio, Scenario, simulate
from simulation.fit import FitRun, FitSettings, Proposal
from simulation.months import parse_month

FAST = {"time_limit_s": 5.0, "workers": 2}


def scenario(**changes: Any) -> Scenario:
    fields: dict[str, Any] = {
        "reference_month": "2025-01",
        "escalation_rate": 0.0,
        "horizon_year": 2030,
        "commitment_deadline": "2026-12",
        "completion_deadline": "2030-12",
    }
    fields.update(changes)
    return Scenario(**fields)


def settings(**changes: Any) -> FitSettings:
    return FitSettings(**{**FAST, **changes})


def starts(result) -> dict[str, str]:
    ops = result.operations
    return dict(zip(ops["operation_id"], np.where(ops["kept"], ops["start"], None), strict=True))


def months(column) -> np.ndarray:
    return np.array([parse_month(m) for m in column])


def assert_hard_rules(portfolio: Portfolio, run: FitRun, proposal: Proposal) -> None:
    """Every hard rule, read from ``simulate`` on the requested and proposed scenarios."""
    assert proposal.scenario is not None, "a proposal checked for its hard rules has a scenario"
    s = run.problem.settings
    requested_scenario = run.problem.locked
    requested = simulate(portfolio, requested_scenario)
    result = simulate(portfolio, proposal.scenario)
    reference = parse_month(requested_scenario.reference_month)
    req_ops, ops = requested.operations, result.operations
    req_start, start = months(req_ops["start"]), months(ops["start"])
    completion = months(ops["completion"])
    req_kept, kept = req_ops["kept"].to_numpy(bool), ops["kept"].to_numpy(bool)
    ids = list(ops["operation_id"])
    index = {op_id: i for i, op_id in enumerate(ids)}
    forced_in, fixed = set(s.forced_in), set(s.fixed)

    started = req_kept & (req_start < reference)
    committed = started | np.array([(i in fixed and i in forced_in) for i in ids]) & req_kept
    # Committed operations are facts: kept, and where they are.
    assert kept[committed].all()
    assert (start[committed] == req_start[committed]).all()
    # Dropped in the requested plan (scenario or forced out): stays dropped.
    assert not kept[~req_kept].any()
    # Never earlier than requested, nor before the reference month.
    both = kept & req_kept
    assert (start[both] >= req_start[both]).all()
    assert (start[kept & ~started] >= reference).all()
    # Fixed operations unmoved; forced-in kept; shifts within the maximum and on the grid.
    for op_id in fixed:
        if kept[index[op_id]]:
            assert start[index[op_id]] == req_start[index[op_id]]
    for op_id in forced_in:
        assert kept[index[op_id]]
    moved = start[both] - req_start[both]
    assert (moved <= s.max_shift_months).all()
    assert (moved % s.step == 0).all()
    # Dependencies hold, and the engine pushed nothing the proposal did not plan: an operation
    # left as requested starts as requested, a moved one needs no push.
    pushed = ops["pushed_months"].to_numpy()
    for op_id in ids:
        i = index[op_id]
        if kept[i] and req_kept[i]:
            if proposal.scenario.choice(op_id) == requested_scenario.choice(op_id):
                assert start[i] == req_start[i], op_id
            else:
                assert pushed[i] == 0, op_id
    for op in portfolio.operations:
        if op.depends_on is None or not kept[index[op.id]]:
            continue
        p = index[op.depends_on]
        if req_kept[p]:
            assert kept[p], f"{op.id} kept while {op.depends_on} is dropped"
            if not started[index[op.id]]:  # under way: only its phases still to come wait (engine rule)
                assert start[index[op.id]] > completion[p]

    # Envelopes: what committed operations alone spend is allowed, nothing above.
    only_committed = {op_id: requested_scenario.choice(op_id) for op_id in ids}
    choices = {
        op_id: c.model_copy(update={"keep": c.keep and bool(committed[index[op_id]])})
        for op_id, c in only_committed.items()
    }
    base = simulate(portfolio, requested_scenario.model_copy(update={"choices": choices}))
    spent = result.yearly.set_index(["owner", "year"])["spending_ttc"]
    spent_committed = base.yearly.set_index(["owner", "year"])["spending_ttc"]
    for owner, years in requested_scenario.envelopes.items():
        total = allowed_total = committed_total = 0.0
        for year in sorted(years):
            value = float(spent.get((owner.value, year), 0.0))
            fixed_value = float(spent_committed.get((owner.value, year), 0.0))
            if s.envelope_mode == "strict":
                assert value <= max(years[year], fixed_value) + 1.0, (owner, year, value, years[year])
            else:
                total += value
                allowed_total += years[year]
                committed_total += fixed_value
                assert total <= max(allowed_total, committed_total) + 1.0, (owner, year)
    # Headcount: monthly load from the reference month within headcount x (1 + tolerance).
    staff = result.staff
    staff_committed = base.staff.set_index(["directorate", "month"])["load_fte"]
    for directorate, headcount in requested_scenario.headcount.items():
        rows = staff[(staff["directorate"] == directorate) & (staff["month"] >= requested_scenario.reference_month)]
        limit = headcount * (1 + s.staff_tolerance)
        for month, load in zip(rows["month"], rows["load_fte"], strict=True):
            allowed = max(limit, float(staff_committed.get((directorate, month), 0.0)))
            assert load <= allowed + 1e-6, (directorate, month, load, allowed)


def plain(text: str | None) -> str:
    """French typography uses no-break spaces; tests compare with plain ones."""
    return (text or "").replace("\u00a0", " ")
