"""The greedy leveller: operations in priority order, each at its earliest feasible start.

Mandatory operations come first, then by priority (an operation inherits the priority of the
operations waiting for it), then by ANRU at stake, then by requested start. Each operation
takes the first of its candidate starts where it fits in what is left of every envelope row
and of its directorate's headcount, after its predecessor's completion; when none fits it is
dropped. All candidate starts of an operation are checked at once (numpy), so the whole pass
is one short loop over operations.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from simulation.fit.problem import COMMITTED, FitProblem, Plan


@dataclass
class GreedyOutcome:
    plan: Plan
    failed: list[int] = field(default_factory=list)  # mandatory operations that found no start
    seconds: float = 0.0


def greedy(problem: FitProblem, pinned: dict[int, int] | None = None) -> GreedyOutcome:
    """Level the variable operations; ``pinned`` places some operations first at given starts."""
    started = time.perf_counter()
    pinned = pinned or {}
    plan = problem.base_plan()
    env_left = np.array([row.capacity for row in problem.envelope_rows], dtype=np.int64)
    staff_left = [limit.capacity.copy() for limit in problem.staff_limits]
    decided = np.zeros(problem.n, dtype=bool)
    decided[[i for i in range(problem.n) if i not in problem.tables]] = True
    failed: list[int] = []
    # A committed operation keeps its dates: what it waits for must be complete before it starts
    # (the candidate starts keep one start even when none is, so that the problem can say so).
    deadline_for: dict[int, int] = {}
    for j in np.flatnonzero((problem.role == COMMITTED) & (problem.pred >= 0)):
        waited = int(problem.pred[j])
        deadline_for[waited] = min(deadline_for.get(waited, int(problem.base_start[j])), int(problem.base_start[j]))

    def place(i: int) -> None:
        t = problem.tables[i]
        ok = np.ones(len(t.candidates), dtype=bool)
        if i in pinned:
            ok &= t.candidates == pinned[i]
        if i in deadline_for:
            ok &= t.candidates + problem.total[i] <= deadline_for[i]
        p = int(problem.pred[i])
        if p >= 0:
            if not plan.keep[p]:
                ok[:] = False
            else:
                ok &= t.candidates >= plan.start[p] + problem.total[p]
        if len(t.rows):
            ok &= (t.contrib <= env_left[t.rows]).all(axis=1)
        load = None
        if t.staff >= 0 and ok.any():
            load = t.load_matrix(int(problem.total[i]))
            first = int(t.candidates[0]) - problem.staff_first_month
            ok &= (load <= staff_left[t.staff][first : first + load.shape[1]]).all(axis=1)
        decided[i] = True
        if not ok.any():
            plan.keep[i] = False
            if problem.mandatory[i]:
                failed.append(i)
            return
        k = int(np.argmax(ok))
        plan.keep[i] = True
        plan.start[i] = t.candidates[k]
        if len(t.rows):
            env_left[t.rows] -= t.contrib[k]
        if load is not None:
            first = int(t.candidates[0]) - problem.staff_first_month
            staff_left[t.staff][first : first + load.shape[1]] -= load[k]

    def visit(i: int) -> None:
        if decided[i]:
            return
        p = int(problem.pred[i])
        if p >= 0 and not decided[p]:
            visit(p)
        place(i)

    for i in _order(problem, pinned):
        visit(i)
    return GreedyOutcome(plan, failed, time.perf_counter() - started)


def _order(problem: FitProblem, pinned: dict[int, int]) -> list[int]:
    """Pinned, then mandatory, then by inherited priority, ANRU at stake, requested start."""
    priority = problem.priority.copy()
    for _ in range(problem.n):  # an operation waited for inherits its dependants' priority
        lowered = priority.copy()
        has_pred = problem.pred >= 0
        np.minimum.at(lowered, problem.pred[has_pred], priority[has_pred])
        if np.array_equal(lowered, priority):
            break
        priority = lowered
    variables = problem.variables
    return sorted(
        variables,
        key=lambda i: (
            i not in pinned,
            not problem.mandatory[i],
            int(priority[i]),
            -int(problem.anru_k[i]),
            int(problem.base_start[i]),
            i,
        ),
    )
