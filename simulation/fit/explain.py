"""Why the proposal moved or dropped each operation, in French.

For every variable operation the proposal starts later than requested, or drops, the
constraint that pushed it is found by putting it back at its requested start with everything
else as proposed (totals read from the proposal's ``simulate`` result, the operation's own
share from the engine-computed tables): the dependency it waits for, the envelope rows (owner
and year) it would overrun and by how much, the directorate months it would overload.

When the move costs the operation a deadline (or the operation is dropped), a second question
is asked: could it have held at all, with only the committed and forced-in operations? If not,
the smallest set of conflicting constraints is named (``conflicts.find_conflict``); if so, the
proposal gave its room to operations ranked higher by the objectives.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation import fr
from simulation.fit.conflicts import find_conflict
from simulation.fit.problem import FitProblem
from simulation.fit.verify import envelope_totals, staff_loads
from simulation.labels import OWNER
from simulation.months import format_month, month_index
from simulation.result import Result
from simulation.tolerances import FTE_TOLERANCE, MONEY_DELTA_NIL


@dataclass(frozen=True)
class Reason:
    kind: str  # envelope | staff | dependency | none
    text: str


@dataclass(frozen=True)
class Change:
    operation_id: str
    title: str
    owner: str
    directorate: str
    priority: int
    kind: str  # moved | dropped
    requested_start: str  # YYYY-MM
    proposed_start: str | None
    shift_months: int  # months later than requested (0 when dropped)
    anru_lost: float  # ANRU secured in the requested plan and not in the proposal (euros)
    reasons: tuple[Reason, ...]
    deadline: str | None = None  # why its deadline could not be kept (or that it was traded)

    @property
    def reason_text(self) -> str:
        return " ; ".join(r.text for r in self.reasons)

    @property
    def pushed_by(self) -> str:
        """The kind of the first reason, in French, for a table column."""
        return REASON_KIND.get(self.reasons[0].kind, "—") if self.reasons else "—"


REASON_KIND = {
    "envelope": "Enveloppe",
    "staff": "Effectif",
    "dependency": "Dépendance",
    "none": "Arbitrage",
}


@dataclass
class _Totals:
    envelope: np.ndarray  # euros per envelope row
    allowed: np.ndarray  # euros per envelope row
    staff: dict[int, np.ndarray] = field(default_factory=dict)  # FTE per limit and month
    staff_allowed: dict[int, np.ndarray] = field(default_factory=dict)


def explain_changes(problem: FitProblem, result: Result, deadline_budget_s: float = 8.0) -> list[Change]:
    """The moved and dropped operations of a proposal, each with what pushed it."""
    ops = result.operations
    kept = ops["kept"].to_numpy(dtype=bool)
    start = month_index(ops["start"])
    completion = month_index(ops["completion"])
    requested = problem.requested.operations
    totals = _Totals(
        envelope=envelope_totals(problem, result),
        allowed=np.array([max(r.envelope, r.committed) for r in problem.envelope_rows]),
        staff=staff_loads(problem, result),
        staff_allowed={d: np.maximum(lim.limit, lim.committed) for d, lim in enumerate(problem.staff_limits)},
    )
    changes = []
    budget_end = time.perf_counter() + deadline_budget_s
    for i in problem.variables:
        t = problem.tables[i]
        if kept[i] and start[i] == problem.base_start[i]:
            continue
        chosen = int(np.searchsorted(t.candidates, start[i])) if kept[i] else None
        reasons = _reasons_at(problem, i, 0, chosen, kept, completion, totals)
        if not kept[i]:
            reasons = _dropped_reasons(problem, i, kept, completion, totals) or reasons
        if not reasons:
            reasons = [
                Reason(
                    "none",
                    "aucune contrainte ne l'empêchait à la date demandée : choix de l'assistant "
                    "(solution non prouvée optimale)",
                )
            ]
        anru_lost = float(requested["anru_secured"].to_numpy()[i] - ops["anru_secured"].to_numpy()[i])
        deadline = None
        kind = _lost_deadline(problem, i, kept[i], chosen)
        if kind is not None:
            if time.perf_counter() < budget_end:
                deadline = _deadline_text(problem, i, kind, max(0.5, min(3.0, budget_end - time.perf_counter())))
            else:
                deadline = "analyse de l'échéance non faite (temps d'explication épuisé)"
        changes.append(
            Change(
                operation_id=str(problem.ids[i]),
                title=str(problem.titles[i]),
                owner=str(ops["owner"].to_numpy()[i]),
                directorate=str(ops["directorate"].to_numpy()[i]),
                priority=int(problem.priority[i]),
                kind="moved" if kept[i] else "dropped",
                requested_start=format_month(int(problem.base_start[i])),
                proposed_start=format_month(int(start[i])) if kept[i] else None,
                shift_months=int(start[i] - problem.base_start[i]) if kept[i] else 0,
                anru_lost=max(anru_lost, 0.0),
                reasons=tuple(reasons),
                deadline=deadline,
            )
        )
    return changes


def _reasons_at(
    problem: FitProblem,
    i: int,
    k: int,
    chosen: int | None,
    kept: np.ndarray,
    completion: np.ndarray,
    totals: _Totals,
) -> list[Reason]:
    """What would break if operation ``i`` started at its candidate ``k``, all else as proposed."""
    t = problem.tables[i]
    start = int(t.candidates[k])
    reasons: list[Reason] = []
    p = int(problem.pred[i])
    if p >= 0:
        if not kept[p]:
            reasons.append(Reason("dependency", f"attend {problem.label(p)}, abandonnée dans la proposition"))
        elif completion[p] >= start:
            reasons.append(
                Reason(
                    "dependency",
                    f"attend l'achèvement de {problem.label(p)} ({fr.month(format_month(int(completion[p])))})",
                )
            )
    if len(t.rows):
        own = t.contrib_eur[chosen] if chosen is not None else 0.0
        others = totals.envelope[t.rows] - own
        over = others + t.contrib_eur[k] - totals.allowed[t.rows]
        for col in np.flatnonzero(over > 1.0)[:2]:
            row = problem.envelope_rows[int(t.rows[col])]
            owner = OWNER.get(row.owner, row.owner)
            what = (
                f"enveloppes {owner} cumulées {row.first_year}–{row.year}"
                if row.cumulative
                else f"enveloppe {owner} {row.year}"
            )
            reasons.append(
                Reason(
                    "envelope",
                    f"{what} ({fr.meuros(row.envelope)}) : il manquerait {fr.meuros(over[col], 2)}",
                )
            )
    if t.staff >= 0:
        load = t.load_matrix(int(problem.total[i])) / 1000.0
        offset = int(t.candidates[0]) - problem.staff_first_month
        span = slice(offset, offset + load.shape[1])
        others = totals.staff[t.staff][span] - (load[chosen] if chosen is not None else 0.0)
        needed = others + load[k]
        over = np.flatnonzero(needed > totals.staff_allowed[t.staff][span] + FTE_TOLERANCE)
        if len(over):
            limit = problem.staff_limits[t.staff]
            m = int(over[0])
            month = format_month(int(t.candidates[0]) + m)
            reasons.append(
                Reason(
                    "staff",
                    f"effectif {limit.directorate} ({fr.fte(limit.limit)}) dépassé en {fr.month(month)} "
                    f"({fr.fte(needed[m])} nécessaires)",
                )
            )
    return reasons


def _dropped_reasons(
    problem: FitProblem, i: int, kept: np.ndarray, completion: np.ndarray, totals: _Totals
) -> list[Reason]:
    """For a dropped operation: if no candidate start fits, say so and what blocks most often."""
    t = problem.tables[i]
    for k in range(len(t.candidates)):
        if not _reasons_at(problem, i, k, None, kept, completion, totals):
            return []
    first = _reasons_at(problem, i, 0, None, kept, completion, totals)
    span = (
        f"aucune date de démarrage possible entre {fr.month(format_month(int(t.candidates[0])))} et "
        f"{fr.month(format_month(int(t.candidates[-1])))}"
    )
    return [Reason(first[0].kind, span), *first]


def _lost_deadline(problem: FitProblem, i: int, kept: bool, chosen: int | None) -> str | None:
    t = problem.tables[i]
    if not kept:
        return "commitment" if t.met[0] and problem.anru_k[i] > 0 else "keep"
    if t.met[0] and not t.met[chosen]:
        return "commitment"
    if t.done[0] and not t.done[chosen]:
        return "completion"
    return None


def _deadline_text(problem: FitProblem, i: int, kind: str, time_limit: float) -> str:
    outcome = find_conflict(problem, {i: kind}, time_limit=time_limit)
    if not outcome.decided:
        return "analyse de l'échéance non conclue dans le temps imparti"
    if outcome.conflict is not None:
        return outcome.conflict.text + "."
    what = {
        "commitment": "Son échéance d'engagement pouvait être tenue",
        "completion": "Son échéance d'achèvement pouvait être tenue",
        "keep": "Elle pouvait être maintenue",
    }[kind]
    return f"{what} à elle seule ; la place est prise par des opérations que la proposition fait passer avant elle."


CHANGE_COLUMNS = (
    "Opération",
    "Intitulé",
    "Priorité",
    "Décision",
    "Début demandé",
    "Début proposé",
    "Décalage",
    "ANRU perdue",
    "Contrainte",
    "Cause",
    "Échéance",
)


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    """The moved and dropped operations as a French table (text cells, ready to show)."""
    rows = [
        {
            "Opération": c.operation_id,
            "Intitulé": c.title,
            "Priorité": str(c.priority),
            "Décision": "Décalée" if c.kind == "moved" else "Abandonnée",
            "Début demandé": fr.month(c.requested_start),
            "Début proposé": fr.month(c.proposed_start) if c.proposed_start else "—",
            "Décalage": f"+{c.shift_months} mois" if c.kind == "moved" else "—",
            "ANRU perdue": fr.meuros(c.anru_lost) if c.anru_lost >= MONEY_DELTA_NIL else "—",
            "Contrainte": c.pushed_by,
            "Cause": c.reason_text[:1].upper() + c.reason_text[1:],
            "Échéance": c.deadline or "—",
        }
        for c in sorted(changes, key=lambda c: (c.kind != "dropped", -c.anru_lost, c.operation_id))
    ]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
