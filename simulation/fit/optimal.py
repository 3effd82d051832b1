"""The optimiser: a CP-SAT model of the phasing, solved objective by objective.

Variables: for each variable operation, one boolean per candidate start (at most one true;
none when the operation is dropped) and its start month. Constraints:

- each envelope row (owner and year, or owner and years up to it when unspent credits carry
  forward): what the variable operations spend there stays within what the committed ones
  left (k€ rounded up per operation and year, so the euros fit too);
- each directorate's headcount (x (1 + tolerance)), month by month: the phases of its
  operations are optional intervals in a cumulative constraint whose capacity follows what the
  committed operations left (fixed "blocker" intervals take the rest);
- dependencies: an operation starts after the completion of the one it waits for, and the
  assistant never keeps an operation while dropping the one it waits for.

The objectives are lexicographic (ANRU secured ≫ completions by the deadline weighted by
priority ≫ fewest and smallest shifts, drops costing more than any shift ≫ smallest yearly
peak): each stage optimises one of them with the previous ones held at the value found,
warm-started (hints) from the best plan so far — the greedy plan at first — under a share of
the time limit. The first two stages also break ties on the next objective (weights small
enough to keep the order exact), so a stage cut short by the time limit still leaves a
sensible plan. The yearly peaks are only modelled for the last stage. Each stage reports
its status and relative gap.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from simulation import fr
from simulation.fit.problem import FitProblem, Objective, Plan, drop_unit, evaluate, moved_weight, smooth_owners

STAGES = (
    ("anru_k", "ANRU sécurisée", "max"),
    ("completions", "achèvements dans les délais (pondérés par la priorité)", "max"),
    ("deviation", "abandons et décalages", "min"),
    ("peak_k", "lissage des pics annuels", "min"),
)
_SHARES = (0.4, 0.45, 0.6, 1.0)  # share of the remaining time each stage may use
_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}

Progress = Callable[[float, str], None]


@dataclass
class StageReport:
    key: str
    label: str
    status: str  # optimal | feasible | unknown (kept the previous plan) | infeasible
    value: int  # the stage's own objective (without its tie-breaker)
    bound: float  # bound of the stage objective (with its tie-breaker)
    gap: float
    seconds: float


@dataclass
class SolveTrace:
    """Solutions found, for benchmarks: (seconds since the call, stage index, value, bound)."""

    points: list[tuple[float, int, float, float]] = field(default_factory=list)


@dataclass
class OptimalOutcome:
    plan: Plan | None
    status: str  # optimal | feasible | infeasible | undecided | stopped
    gap: float
    seconds: float
    build_seconds: float
    first_solution_s: float | None
    stages: list[StageReport]
    objective: Objective | None
    trace: SolveTrace


class _Model:
    """The CP-SAT model of a problem, with handles on its decision variables."""

    def __init__(self, problem: FitProblem):
        self.problem = problem
        m = self.model = cp_model.CpModel()
        self.x: dict[int, list[cp_model.IntVar]] = {}
        self.keep: dict[int, cp_model.IntVar] = {}
        self.start: dict[int, int | cp_model.IntVar] = {}  # a fixed start, or its variable
        for i, t in problem.tables.items():
            keep = m.new_bool_var(f"keep_{i}")
            if problem.mandatory[i]:
                m.add(keep == 1)
            xs = [m.new_bool_var(f"x_{i}_{k}") for k in range(len(t.candidates))]
            m.add(sum(xs) == keep)
            self.x[i], self.keep[i] = xs, keep
            if len(xs) == 1:
                self.start[i] = int(t.candidates[0])
            else:
                s = m.new_int_var(int(t.candidates[0]), int(t.candidates[-1]), f"start_{i}")
                shifts = (t.candidates - t.candidates[0]).tolist()
                m.add(s == int(t.candidates[0]) + cp_model.LinearExpr.weighted_sum(xs, shifts))
                self.start[i] = s
        self._envelopes()
        self._staff()
        self._dependencies()
        self.objectives = self._objectives()

    def _envelopes(self) -> None:
        terms: dict[int, tuple[list, list]] = {}
        for i, t in self.problem.tables.items():
            for col, r in enumerate(t.rows):
                coefficients = t.contrib[:, col]
                if coefficients.any():
                    variables, weights = terms.setdefault(int(r), ([], []))
                    for k in np.flatnonzero(coefficients):
                        variables.append(self.x[i][k])
                        weights.append(int(coefficients[k]))
        for r, (variables, weights) in terms.items():
            capacity = self.problem.envelope_rows[r].capacity
            if sum(weights) > capacity:
                self.model.add(cp_model.LinearExpr.weighted_sum(variables, weights) <= capacity)

    def _staff(self) -> None:
        problem, m = self.problem, self.model
        by_limit: dict[int, tuple[list, list]] = {}
        for i, t in problem.tables.items():
            if t.staff < 0:
                continue
            intervals, demands = by_limit.setdefault(t.staff, ([], []))
            for offset, length, milli in t.phases:
                intervals.append(
                    m.new_optional_fixed_size_interval_var(
                        self.start[i] + offset, length, self.keep[i], f"p_{i}_{offset}"
                    )
                )
                demands.append(milli)
        for d, (intervals, demands) in by_limit.items():
            capacity = problem.staff_limits[d].capacity
            top = int(capacity.max(initial=0))
            blocked = top - capacity
            first = problem.staff_first_month
            month = 0
            while month < len(blocked):  # runs of equal blocked capacity become fixed intervals
                end = month
                while end + 1 < len(blocked) and blocked[end + 1] == blocked[month]:
                    end += 1
                if blocked[month] > 0:
                    intervals.append(m.new_fixed_size_interval_var(first + month, end - month + 1, f"b_{d}_{month}"))
                    demands.append(int(blocked[month]))
                month = end + 1
            m.add_cumulative(intervals, demands, top)

    def _dependencies(self) -> None:
        problem, m = self.problem, self.model
        for j, p in problem.dependencies_touching(problem.tables):
            if j in problem.tables and p in problem.tables:
                m.add_implication(self.keep[j], self.keep[p])
                m.add(self.start[j] >= self.start[p] + int(problem.total[p])).only_enforce_if(self.keep[j])
            elif j in problem.tables:  # waits for a committed operation
                m.add(self.start[j] >= int(problem.base_start[p] + problem.total[p])).only_enforce_if(self.keep[j])
            else:  # a committed operation waits for a variable one
                m.add(self.keep[p] == 1)
                m.add(self.start[p] + int(problem.total[p]) <= int(problem.base_start[j]))

    def _objectives(self) -> dict[str, cp_model.LinearExpr]:
        problem = self.problem
        anru_v, anru_w, done_v, done_w, dev_v, dev_w, keep_v, keep_w = [], [], [], [], [], [], [], []
        moved, unit = moved_weight(problem), drop_unit(problem)
        dropped_constant = total_weight = 0
        for i, t in problem.tables.items():
            xs = self.x[i]
            if problem.anru_k[i]:
                for k in np.flatnonzero(t.met):
                    anru_v.append(xs[k])
                    anru_w.append(int(problem.anru_k[i]))
            for k in np.flatnonzero(t.done):
                done_v.append(xs[k])
                done_w.append(int(problem.weight[i]))
            weight = int(problem.weight[i])
            total_weight += weight
            dropped_constant += unit * weight
            dev_v.append(self.keep[i])  # drop cost = unit * weight * (1 - keep)
            dev_w.append(-unit * weight)
            keep_v.append(self.keep[i])
            keep_w.append(-weight)
            for shift in range(1, len(xs)):
                dev_v.append(xs[shift])
                dev_w.append(moved + int(t.candidates[shift] - t.candidates[0]))
        self.tie_weight = total_weight + 1  # exceeds any difference in completions or drops
        self.peaks: dict[int, cp_model.IntVar] = {}
        return {
            "anru_k": cp_model.LinearExpr.weighted_sum(anru_v, anru_w),
            "completions": cp_model.LinearExpr.weighted_sum(done_v, done_w),
            "deviation": dropped_constant + cp_model.LinearExpr.weighted_sum(dev_v, dev_w),
            "dropped_w": total_weight + cp_model.LinearExpr.weighted_sum(keep_v, keep_w),
        }

    def stage_objective(self, key: str) -> cp_model.LinearExprT:
        """What a stage optimises: its objective, with the next one as a tie-breaker."""
        o = self.objectives
        if key == "anru_k":
            return self.tie_weight * o["anru_k"] + o["completions"]
        if key == "completions":
            return self.tie_weight * o["completions"] - o["dropped_w"]
        if key == "peak_k":
            return self.add_peaks()
        return o[key]

    def stage_value(self, key: str, value: Objective) -> int:
        if key == "anru_k":
            return self.tie_weight * value.anru_k + value.completions
        if key == "completions":
            return self.tie_weight * value.completions - value.dropped_w
        return int(getattr(value, key))

    def add_peaks(self) -> cp_model.LinearExprT:
        """Each owner's highest yearly spending (k€) over the horizon, and their sum."""
        problem, m = self.problem, self.model
        if not self.peaks:
            for owner in smooth_owners(problem):
                peak = m.new_int_var(0, 2**40, f"peak_{owner}")
                for y in problem.smooth_years:
                    variables, weights = [], []
                    for i, t in problem.tables.items():
                        if problem.owner[i] != owner:
                            continue
                        for k in np.flatnonzero(t.spend_k[:, y]):
                            variables.append(self.x[i][k])
                            weights.append(int(t.spend_k[k, y]))
                    base = int(problem.committed_k[owner, y])
                    m.add(peak >= base + cp_model.LinearExpr.weighted_sum(variables, weights))
                self.peaks[owner] = peak
        return sum(self.peaks.values()) if self.peaks else cp_model.LinearExpr.weighted_sum([], [])

    def hint(self, plan: Plan) -> None:
        m, problem = self.model, self.problem
        m.clear_hints()
        totals = problem.committed_k.copy()
        for i, t in problem.tables.items():
            chosen = int(np.searchsorted(t.candidates, plan.start[i])) if plan.keep[i] else -1
            m.add_hint(self.keep[i], bool(plan.keep[i]))
            for k, var in enumerate(self.x[i]):
                m.add_hint(var, k == chosen)
            start = self.start[i]
            if not isinstance(start, int):
                m.add_hint(start, int(t.candidates[max(chosen, 0)]))
            if chosen >= 0:
                totals[problem.owner[i]] += t.spend_k[chosen]
        for owner, peak in self.peaks.items():
            m.add_hint(peak, int(totals[owner, problem.smooth_years].max()))

    def read(self, solver: cp_model.CpSolver) -> Plan:
        plan = self.problem.base_plan()
        for i, t in self.problem.tables.items():
            values = [solver.boolean_value(v) for v in self.x[i]]
            plan.keep[i] = any(values)
            plan.start[i] = t.candidates[values.index(True)] if plan.keep[i] else t.candidates[0]
        return plan


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, origin: float, stage: int, trace: SolveTrace, progress: Progress | None, share: tuple):
        super().__init__()
        self.origin, self.stage, self.trace, self.progress, self.share = origin, stage, trace, progress, share

    def on_solution_callback(self) -> None:
        now = time.perf_counter() - self.origin
        self.trace.points.append((now, self.stage, self.objective_value, self.best_objective_bound))
        if self.progress is not None:
            low, _high, label = self.share
            self.progress(low, f"{label} : solution trouvée ({fr.number(now, 1)} s)")


def _solve(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: cp_model.CpSolverSolutionCallback,
    stop: threading.Event | None,
) -> cp_model.CpSolverStatus:
    """``solver.solve``, interrupted when ``stop`` is set (a watcher thread polls it)."""
    if stop is None:
        return solver.solve(model, watcher)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            if stop.is_set():
                solver.stop_search()
                return

    thread = threading.Thread(target=watch, daemon=True, name="cp-sat-stop")
    thread.start()
    try:
        return solver.solve(model, watcher)
    finally:
        done.set()
        thread.join()


def optimise(
    problem: FitProblem,
    hint: Plan,
    progress: Progress | None = None,
    time_limit: float | None = None,
    stop: threading.Event | None = None,
) -> OptimalOutcome:
    """Solve the four stages within the settings' time limit, starting from ``hint``.

    ``stop`` (set from another thread, e.g. a "stop" button) ends the search early: the stage
    under way stops within about 50 ms, later stages are skipped, and the best plan found so far
    is returned with status ``stopped``.
    """
    origin = time.perf_counter()
    settings = problem.settings
    limit = settings.time_limit_s if time_limit is None else time_limit
    trace = SolveTrace()
    if not problem.tables:
        plan = problem.base_plan()
        return OptimalOutcome(plan, "optimal", 0.0, 0.0, 0.0, 0.0, [], evaluate(problem, plan), trace)
    built = _Model(problem)
    build_seconds = time.perf_counter() - origin
    mandatory_kept = all(hint.keep[i] for i in problem.tables if problem.mandatory[i])
    incumbent: Plan | None = hint.copy() if mandatory_kept else None
    incumbent_value = evaluate(problem, incumbent) if incumbent is not None else None
    stages: list[StageReport] = []
    workers = settings.workers or min(8, os.cpu_count() or 1)
    overall = "optimal"
    stopped = False
    for s, ((key, label, sense), share) in enumerate(zip(STAGES, _SHARES, strict=True)):
        if stop is not None and stop.is_set():
            stopped = True
            break
        stage_start = time.perf_counter()
        remaining = limit - (stage_start - origin)
        budget = max(0.05, remaining * share)
        if progress is not None:
            progress(s / len(STAGES), f"Étape {s + 1}/{len(STAGES)} : {label}")
        expression = built.stage_objective(key)
        if sense == "max":
            built.model.maximize(expression)
        else:
            built.model.minimize(expression)
        if incumbent is not None:
            built.hint(incumbent)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = budget
        solver.parameters.num_workers = workers
        if settings.gap_limit > 0:
            solver.parameters.relative_gap_limit = settings.gap_limit
        watcher = _Watcher(origin, s, trace, progress, (s / len(STAGES), (s + 1) / len(STAGES), label))
        code = _solve(solver, built.model, watcher, stop)
        status = _STATUS.get(code, "unknown")
        if status == "invalid":
            raise RuntimeError("modèle CP-SAT invalide : " + built.model.validate())
        if status == "infeasible":
            return OptimalOutcome(
                None, "infeasible", 0.0, time.perf_counter() - origin, build_seconds, None, stages, None, trace
            )
        if status in ("optimal", "feasible"):
            candidate = built.read(solver)
            candidate_value = evaluate(problem, candidate)
            if incumbent_value is None or candidate_value.key() >= incumbent_value.key():
                incumbent, incumbent_value = candidate, candidate_value
        if incumbent_value is None:  # no plan at all within the time limit
            return OptimalOutcome(
                None, "undecided", float("nan"), time.perf_counter() - origin, build_seconds, None, stages, None, trace
            )
        value = built.stage_value(key, incumbent_value)
        bound = solver.best_objective_bound if status != "unknown" else float("nan")
        if status == "unknown":
            gap = float("nan")
        else:
            gap = abs(bound - value) / max(1.0, abs(value))
            if status == "optimal" and gap > 1e-9:  # stopped by the gap limit, or kept the hint
                status = "feasible"
        if status != "optimal":
            overall = "feasible"
        level = int(getattr(incumbent_value, key))
        stages.append(StageReport(key, label, status, level, bound, gap, time.perf_counter() - stage_start))
        if key != "peak_k":  # later stages keep this objective at the value reached
            objective = built.objectives[key]
            built.model.add(objective >= level if sense == "max" else objective <= level)
    stopped = stopped or (stop is not None and stop.is_set())
    gaps = [st.gap for st in stages if st.gap == st.gap]
    first = trace.points[0][0] if trace.points else None
    return OptimalOutcome(
        incumbent,
        "stopped" if stopped else overall,
        max(gaps) if gaps and len(gaps) == len(stages) else float("nan"),
        time.perf_counter() - origin,
        build_seconds,
        first,
        stages,
        incumbent_value,
        trace,
    )
