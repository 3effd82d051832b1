"""The smallest set of constraints that cannot hold together, said in French.

Used when a forced-in operation cannot be placed, and to tell whether an operation could
have kept its deadline at all. Every operation the assistant may drop is left out (dropping
it is always allowed), so the model holds only what must be kept: the committed operations
(as facts: their spending and staff are subtracted from the capacities), the forced-in
operations, the operations asked about, and the operations those wait for.

Each constraint group — an envelope row (owner and year), a directorate's headcount over a
year, a dependency, a forced-in operation, an operation's deadline — is switched on by an
assumption literal. CP-SAT returns a sufficient set of assumptions when the whole is
infeasible (``sufficient_assumptions_for_infeasibility``); a deletion filter then removes
every group whose removal keeps it infeasible, leaving an irreducible conflict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from simulation import fr
from simulation.fit.problem import FitProblem
from simulation.labels import OWNER
from simulation.tolerances import MONEY_DELTA_NIL


@dataclass(frozen=True)
class ConstraintLabel:
    kind: str  # envelope | staff | dependency | forced | commitment | completion | keep
    text: str
    feminine: bool


@dataclass(frozen=True)
class Conflict:
    """Constraints that cannot hold together (none of them can be left out)."""

    constraints: tuple[ConstraintLabel, ...]
    context: str

    @property
    def text(self) -> str:
        parts = [c.text for c in self.constraints]
        if len(parts) == 1:
            agreement = "tenue" if self.constraints[0].feminine else "tenu"
            return capitalised(f"{parts[0]} ne peut être {agreement}")
        joined = ", ".join(parts[:-1]) + " et " + parts[-1]
        agreement = "tenues" if all(c.feminine for c in self.constraints) else "tenus"
        return capitalised(f"{joined} ne peuvent être {agreement} ensemble")


@dataclass
class ConflictOutcome:
    conflict: Conflict | None  # None when the operations asked about can be placed
    placement: dict[int, int] = field(default_factory=dict)  # a feasible start per included operation
    decided: bool = True  # False when the solver ran out of time


def find_conflict(
    problem: FitProblem, targets: dict[int, str] | None = None, time_limit: float = 5.0
) -> ConflictOutcome:
    """Can the forced-in operations and ``targets`` (index -> keep | commitment | completion) hold?"""
    targets = targets or {}
    deadline = time.perf_counter() + time_limit
    model = _ConflictModel(problem, targets)
    assumptions = list(model.literals)
    status, solver = model.solve(assumptions, deadline)
    if status is None:
        return ConflictOutcome(None, decided=False)
    if status:
        return ConflictOutcome(None, model.placement(solver))
    core_set = set(solver.sufficient_assumptions_for_infeasibility()) or {lit.index for lit in assumptions}
    kept = [lit for lit in model.literals if lit.index in core_set]
    for lit in sorted(kept, key=lambda lit: _REMOVAL_ORDER.index(model.kinds[lit.index])):
        trial = [other for other in kept if other.index != lit.index]
        status, solver = model.solve(trial, deadline)
        if status is False:
            shrunk = set(solver.sufficient_assumptions_for_infeasibility())
            kept = [other for other in trial if not shrunk or other.index in shrunk]
    labels = tuple(
        model.labels[lit.index] for lit in sorted(kept, key=lambda lit: _SHOW_ORDER.index(model.kinds[lit.index]))
    )
    return ConflictOutcome(Conflict(labels, _context(problem)))


_REMOVAL_ORDER = ("staff", "dependency", "envelope", "forced", "keep", "completion", "commitment")
_SHOW_ORDER = ("envelope", "staff", "dependency", "forced", "keep", "commitment", "completion")


class _ConflictModel:
    def __init__(self, problem: FitProblem, targets: dict[int, str]):
        self.problem = problem
        m = self.model = cp_model.CpModel()
        self.literals: list[cp_model.IntVar] = []
        self.labels: dict[int, ConstraintLabel] = {}
        self.kinds: dict[int, str] = {}
        include = set(targets) | {i for i in problem.tables if problem.mandatory[i]}
        for j in range(problem.n):  # committed operations waiting for a variable one
            if problem.role[j] == "committed" and problem.pred[j] in problem.tables:
                include.add(int(problem.pred[j]))
        frontier = list(include)
        while frontier:  # and what the included operations wait for
            p = int(problem.pred[frontier.pop()])
            if p >= 0 and p in problem.tables and p not in include:
                include.add(p)
                frontier.append(p)
        self.included = sorted(include)
        self.x: dict[int, list[cp_model.IntVar]] = {}
        self.keep: dict[int, cp_model.IntVar] = {}
        self.start: dict[int, cp_model.LinearExprT] = {}
        for i in self.included:
            t = problem.tables[i]
            keep = m.new_bool_var(f"keep_{i}")
            xs = [m.new_bool_var(f"x_{i}_{k}") for k in range(len(t.candidates))]
            m.add(sum(xs) == keep)
            self.x[i], self.keep[i] = xs, keep
            shifts = (t.candidates - t.candidates[0]).tolist()
            self.start[i] = int(t.candidates[0]) + cp_model.LinearExpr.weighted_sum(xs, shifts)
        settings = problem.settings
        for i in self.included:
            if i in targets:
                kind = targets[i]
                lit = self._literal(kind, _target_label(problem, i, kind))
                m.add(self.keep[i] == 1).only_enforce_if(lit)
                if kind in ("commitment", "completion"):
                    ok = problem.tables[i].met if kind == "commitment" else problem.tables[i].done
                    m.add(sum(self.x[i][k] for k in np.flatnonzero(ok)) == 1).only_enforce_if(lit)
            elif problem.mandatory[i] and str(problem.ids[i]) in settings.forced_in:
                lit = self._literal(
                    "forced", ConstraintLabel("forced", f"maintien imposé de {problem.label(i)}", False)
                )
                m.add(self.keep[i] == 1).only_enforce_if(lit)
        self._dependencies()
        self._envelopes()
        self._staff()

    def _literal(self, kind: str, label: ConstraintLabel) -> cp_model.IntVar:
        lit = self.model.new_bool_var(f"a_{len(self.literals)}")
        self.literals.append(lit)
        self.labels[lit.index] = label
        self.kinds[lit.index] = kind
        return lit

    def _dependencies(self) -> None:
        problem, m = self.problem, self.model
        for j, p in problem.dependencies_touching(self.x):
            label = ConstraintLabel(
                "dependency",
                f"dépendance de {problem.label(j)} envers {problem.ids[p]} (démarrage après son achèvement)",
                True,
            )
            if j in self.x and p in self.x:
                lit = self._literal("dependency", label)
                m.add_bool_or([self.keep[j].negated(), self.keep[p], lit.negated()])
                m.add(self.start[j] >= self.start[p] + int(problem.total[p])).only_enforce_if([lit, self.keep[j]])
            elif j in self.x:
                if problem.role[p] == "committed":
                    lit = self._literal("dependency", label)
                    m.add(self.start[j] >= int(problem.base_start[p] + problem.total[p])).only_enforce_if(
                        [lit, self.keep[j]]
                    )
            elif problem.role[j] == "committed":
                lit = self._literal("dependency", label)
                m.add(self.keep[p] == 1).only_enforce_if(lit)
                m.add(self.start[p] + int(problem.total[p]) <= int(problem.base_start[j])).only_enforce_if(lit)

    def _envelopes(self) -> None:
        problem, m = self.problem, self.model
        terms: dict[int, tuple[list, list]] = {}
        for i in self.included:
            t = problem.tables[i]
            for col, r in enumerate(t.rows):
                for k in np.flatnonzero(t.contrib[:, col]):
                    variables, weights = terms.setdefault(int(r), ([], []))
                    variables.append(self.x[i][k])
                    weights.append(int(t.contrib[k, col]))
        for r, (variables, weights) in sorted(terms.items()):
            row = problem.envelope_rows[r]
            if sum(weights) <= row.capacity:
                continue
            lit = self._literal("envelope", ConstraintLabel("envelope", _envelope_text(row), True))
            m.add(cp_model.LinearExpr.weighted_sum(variables, weights) <= row.capacity).only_enforce_if(lit)

    def _staff(self) -> None:
        problem, m = self.problem, self.model
        first = problem.staff_first_month
        by_month: dict[tuple[int, int], tuple[list, list]] = {}
        for i in self.included:
            t = problem.tables[i]
            if t.staff < 0:
                continue
            load = t.load_matrix(int(problem.total[i]))
            offset = int(t.candidates[0]) - first
            for col in range(load.shape[1]):
                for k in np.flatnonzero(load[:, col]):
                    variables, weights = by_month.setdefault((t.staff, offset + col), ([], []))
                    variables.append(self.x[i][k])
                    weights.append(int(load[k, col]))
        groups: dict[tuple[int, int], cp_model.IntVar] = {}
        for (d, month), (variables, weights) in sorted(by_month.items()):
            limit = problem.staff_limits[d]
            capacity = int(limit.capacity[month])
            if sum(weights) <= capacity:
                continue
            year = (first + month) // 12
            if (d, year) not in groups:
                groups[(d, year)] = self._literal(
                    "staff", ConstraintLabel("staff", _staff_text(problem, d, year), False)
                )
            m.add(cp_model.LinearExpr.weighted_sum(variables, weights) <= capacity).only_enforce_if(groups[(d, year)])

    def solve(self, assumptions: list, deadline: float) -> tuple[bool | None, cp_model.CpSolver]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
        self.model.clear_assumptions()
        self.model.add_assumptions(assumptions)
        code = solver.solve(self.model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return True, solver
        if code == cp_model.INFEASIBLE:
            return False, solver
        return None, solver

    def placement(self, solver: cp_model.CpSolver) -> dict[int, int]:
        result = {}
        for i in self.included:
            values = [solver.boolean_value(v) for v in self.x[i]]
            if any(values):
                result[i] = int(self.problem.tables[i].candidates[values.index(True)])
        return result


def _target_label(problem: FitProblem, i: int, kind: str) -> ConstraintLabel:
    if kind == "commitment":
        return ConstraintLabel(
            kind, f"échéance d'engagement de {problem.label(i)} ({fr.month(problem.locked.commitment_deadline)})", True
        )
    if kind == "completion":
        return ConstraintLabel(
            kind, f"échéance d'achèvement de {problem.label(i)} ({fr.month(problem.locked.completion_deadline)})", True
        )
    return ConstraintLabel(kind, f"maintien de {problem.label(i)}", False)


def _envelope_text(row) -> str:
    owner = OWNER.get(row.owner, row.owner)
    committed = f", dont {fr.meuros(row.committed)} déjà engagés" if row.committed >= MONEY_DELTA_NIL else ""
    if row.cumulative:
        return f"enveloppes {owner} cumulées {row.first_year}–{row.year} ({fr.meuros(row.envelope)}{committed})"
    return f"enveloppe {owner} {row.year} ({fr.meuros(row.envelope)}{committed})"


def _staff_text(problem: FitProblem, d: int, year: int) -> str:
    limit = problem.staff_limits[d]
    tolerance = problem.settings.staff_tolerance
    amount = fr.fte(limit.headcount) + (f" + {fr.percent(tolerance, 0)}" if tolerance else "")
    return f"effectif {limit.directorate} en {year} ({amount})"


def _context(problem: FitProblem) -> str:
    settings = problem.settings
    return (
        "Compte tenu des opérations déjà engagées (démarrées avant "
        f"{fr.month(problem.locked.reference_month)} ou figées et imposées), sans rien avancer et avec un "
        f"décalage d'au plus {settings.max_shift_months} mois."
    )


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
