"""Check a proposal with the engine itself, not with the optimiser's bookkeeping.

``check_proposal`` reads the ``Result`` that ``simulate`` returned for the proposed scenario
and lists, in French, every hard rule it breaks (an empty list means the plan holds):

- each owner's spending per year (or cumulated, when unspent credits carry forward) within
  its envelope — or, where the committed operations alone already exceed it, no higher than
  what they spend;
- each directorate's monthly load within headcount x (1 + tolerance) from the reference
  month, with the same allowance for committed operations;
- dependencies: every kept operation starts after the completion of the kept operation it
  waits for, the engine pushed nothing the proposal did not plan (an operation left as
  requested keeps its requested start, a moved one needs no push), and no operation is kept
  while the one it waits for is dropped by the proposal;
- nothing earlier than requested nor before the reference month; fixed and started
  operations unmoved; locks obeyed; shifts on the grid and within the maximum shift; no other
  choice (cost factor, owner, durations) changed.
"""

from __future__ import annotations

import numpy as np

from simulation import fr
from simulation.fit.problem import COMMITTED, EXCLUDED, FitProblem
from simulation.labels import OWNER
from simulation.months import month_index
from simulation.result import Result
from simulation.tolerances import EURO_TOLERANCE, FTE_TOLERANCE, STAFF_OVERLOAD_FTE


def check_proposal(problem: FitProblem, result: Result) -> list[str]:
    return _envelopes(problem, result) + _staff(problem, result) + _operations(problem, result)


def verified_text(problem: FitProblem, result: Result) -> str:
    """What the verification held, naming the teams it checked: « effectifs … tenus » alone read as
    every team, above a table whose overload is a team the assistant does not hold."""
    teams = ", ".join(limit.directorate for limit in problem.staff_limits) or "aucune direction"
    return f"enveloppes, effectifs des directions ({teams}), dépendances et verrous tenus"


def envelope_totals(problem: FitProblem, result: Result) -> np.ndarray:
    """Spending (euros) of ``result`` over each envelope row of the problem."""
    spending = result.yearly.set_index(["owner", "year"])["spending_ttc"]
    totals = np.zeros(len(problem.envelope_rows))
    for r, row in enumerate(problem.envelope_rows):
        years = problem.locked.envelopes
        owner_years = [y for y in _owner_envelope_years(years, row.owner) if row.first_year <= y <= row.year]
        totals[r] = sum(float(spending.get((row.owner, y), 0.0)) for y in owner_years)
    return totals


def _owner_envelope_years(envelopes: dict, owner: str) -> list[int]:
    for key, years in envelopes.items():
        if getattr(key, "value", key) == owner:
            return sorted(years)
    return []


def _envelopes(problem: FitProblem, result: Result) -> list[str]:
    problems = []
    totals = envelope_totals(problem, result)
    for row, total in zip(problem.envelope_rows, totals, strict=True):
        allowed = max(row.envelope, row.committed)
        if total > allowed + EURO_TOLERANCE:
            span = f"{row.first_year}–{row.year} cumulées" if row.cumulative else str(row.year)
            problems.append(
                f"enveloppe {OWNER.get(row.owner, row.owner)} {span} : {fr.meuros(total, 2)} dépensés pour "
                f"{fr.meuros(allowed, 2)} autorisés"
            )
    return problems


def staff_loads(problem: FitProblem, result: Result) -> dict[int, np.ndarray]:
    """Monthly load (FTE) of ``result`` for each staff limit, over the problem's months."""
    staff = result.staff
    months = month_index(staff["month"]) if len(staff) else np.zeros(0, dtype=np.int64)
    loads = {}
    for d, limit in enumerate(problem.staff_limits):
        n = len(limit.capacity)
        load = np.zeros(n)
        mine = (
            (staff["directorate"].to_numpy() == limit.directorate)
            & (months >= problem.staff_first_month)
            & (months < problem.staff_first_month + n)
        )
        load[months[mine] - problem.staff_first_month] = staff["load_fte"].to_numpy()[mine]
        loads[d] = load
    return loads


def _staff(problem: FitProblem, result: Result) -> list[str]:
    problems = []
    loads = staff_loads(problem, result)
    for d, limit in enumerate(problem.staff_limits):
        load = loads[d]
        allowed = np.maximum(limit.limit, limit.committed)
        over = _months_over(load, allowed)
        if len(over):
            m = int(over[0])
            problems.append(
                f"effectif {limit.directorate} : {fr.fte(load[m])} en {_month(problem, m)} "
                f"pour {fr.fte(allowed[m])} ({len(over)} mois au-dessus)"
            )
    return problems


def _months_over(load: np.ndarray, allowed: np.ndarray | float) -> np.ndarray:
    """The months (indices) whose staff ``load`` is over ``allowed`` by more than ``FTE_TOLERANCE``."""
    return np.flatnonzero(load > allowed + FTE_TOLERANCE)


def _month(problem: FitProblem, m: int) -> str:
    """Month ``m`` of the problem's staff grid, the French way (``mars 2027``)."""
    return fr.month(_text(problem.staff_first_month + m))


def _text(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _operations(problem: FitProblem, result: Result) -> list[str]:
    ops = result.operations
    kept = ops["kept"].to_numpy(dtype=bool)
    start = month_index(ops["start"])
    completion = month_index(ops["completion"])
    settings = problem.settings
    problems = []
    for i in range(problem.n):
        name = problem.ids[i]
        role = problem.role[i]
        if role == EXCLUDED:
            if kept[i]:
                problems.append(f"{name} : exclue ou abandonnée dans le scénario, mais maintenue")
            continue
        if role == COMMITTED and not kept[i]:
            problems.append(f"{name} : engagée (démarrée ou figée et imposée), mais abandonnée")
        if problem.mandatory[i] and not kept[i]:
            problems.append(f"{name} : doit être maintenue, mais abandonnée")
        if not kept[i]:
            continue
        if start[i] < problem.base_start[i]:
            problems.append(f"{name} : avancée ({_text(start[i])} au lieu de {_text(problem.base_start[i])})")
        if start[i] < problem.reference and not problem.started[i]:
            problems.append(f"{name} : démarre avant le mois de référence ({_text(start[i])})")
        if problem.date_fixed[i] and start[i] != problem.base_start[i]:
            problems.append(f"{name} : figée ou déjà démarrée, mais déplacée ({_text(start[i])})")
        moved = int(start[i] - problem.base_start[i])
        if moved > settings.max_shift_months and not problem.date_fixed[i]:
            problems.append(f"{name} : décalée de {moved} mois, au-delà du maximum ({settings.max_shift_months})")
        if moved % settings.step:
            problems.append(f"{name} : décalage de {moved} mois hors de la grille ({settings.step} mois)")
        unchanged = result.scenario.choice(str(name)) == problem.locked.choice(str(name))
        if unchanged and start[i] != problem.base_start[i]:
            problems.append(f"{name} : le moteur l'a repoussée au-delà de la date demandée ({_text(start[i])})")
        if not unchanged and ops["pushed_months"].iat[i]:
            problems.append(f"{name} : le moteur a dû la repousser pour attendre {ops['pushed_by'].iat[i]}")
        p = int(problem.pred[i])
        if p >= 0:
            if not kept[p]:
                problems.append(f"{name} : maintenue alors que {problem.ids[p]}, qu'elle attend, est abandonnée")
            elif start[i] <= completion[p] and not problem.started[i]:
                problems.append(f"{name} : démarre avant l'achèvement de {problem.ids[p]}")
    for op_id, choice in result.scenario.choices.items():
        before = problem.locked.choice(op_id)
        if (choice.cost_factor, choice.owner, choice.durations) != (before.cost_factor, before.owner, before.durations):
            problems.append(f"{op_id} : la proposition a changé un autre choix que le décalage ou le maintien")
    for op_id in settings.forced_in:
        if not result.scenario.choice(op_id).keep:
            problems.append(f"{op_id} : imposée, mais abandonnée")
    for op_id in settings.forced_out:
        if result.scenario.choice(op_id).keep:
            problems.append(f"{op_id} : exclue, mais maintenue")
    return problems


def unchecked_overloads(problem: FitProblem, result: Result) -> list[str]:
    """Teams over their headcount that the assistant does not hold (no headcount in the scenario,
    e.g. the transversal coordination team), named with their peak overload and months over.

    The check above holds each directorate that has a headcount; saying "headcounts kept" above
    a table whose peak overload is another team's would contradict it: the page and the command
    line name these teams next to the verification.
    """
    checked = {limit.directorate for limit in problem.staff_limits}
    staff = result.staff
    if not len(staff):
        return []
    months = month_index(staff["month"])
    mine = (months >= problem.reference) & ~staff["directorate"].isin(checked).to_numpy()
    over = staff[mine & (staff["overload_fte"].to_numpy() > STAFF_OVERLOAD_FTE)]
    lines = []
    for directorate, rows in over.groupby("directorate", sort=True):
        lines.append(
            f"{directorate} : jusqu'à {fr.fte(float(rows['overload_fte'].max()))} au-dessus de son effectif, "
            f"{len(rows)} mois au-dessus (équipe sans effectif fixé dans le scénario : le phasage ne la tient pas)"
        )
    return lines


def committed_overruns(problem: FitProblem) -> list[str]:
    """Where the committed operations alone already exceed a limit (no proposal can fix it)."""
    lines = []
    seen_owners: set[str] = set()
    for row in problem.envelope_rows:
        if row.committed > row.envelope + EURO_TOLERANCE and row.owner not in seen_owners:
            seen_owners.add(row.owner)
            span = f"{row.first_year}–{row.year} cumulées" if row.cumulative else str(row.year)
            lines.append(
                f"enveloppe {OWNER.get(row.owner, row.owner)} {span} : {fr.meuros(row.committed)} déjà engagés "
                f"pour {fr.meuros(row.envelope)}"
            )
    for limit in problem.staff_limits:
        over = _months_over(limit.committed, limit.limit)
        if len(over):
            lines.append(
                f"effectif {limit.directorate} : {fr.fte(limit.committed[int(over[0])])} déjà engagés en "
                f"{_month(problem, int(over[0]))} pour {fr.fte(limit.limit)}"
            )
    return lines
