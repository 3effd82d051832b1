"""The fitting problem shared by the greedy leveller, the optimiser and the explanations.

From a scenario and the user's locks it derives, once:

- each operation's role: *committed* (already started, or fixed in time and forced in: its
  dates and spending are facts), *variable* (the assistant chooses its start and whether to
  keep it; some variable operations are *mandatory*) or *excluded* (dropped by the scenario or
  forced out);
- for each variable operation, its candidate start months (from its requested start, never
  earlier, on a monthly or quarterly grid, at most ``max_shift_months`` later, finishing by the
  end of the horizon) and the money it would spend each year for each of them — computed by
  the engine's own arithmetic (``engine.spending_at_starts``, one row per operation and candidate);
- what the committed operations already use of each envelope (per owner and year, or
  cumulated when unspent credits carry forward) and of each directorate's headcount, measured
  by ``simulate`` on a scenario keeping only them; what is left is the room of the others.

Solver units are integers: k€ rounded *up* for spending and down for envelopes, milli-FTE
for staff, so a plan that fits in solver units fits in euros too.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass

import numpy as np

from simulation import engine as _engine
from simulation.columns import OWNERS, PortfolioColumns, portfolio_columns
from simulation.fit.settings import PRIORITY_WEIGHT, FitError, FitSettings
from simulation.limits import MAX_SHIFT_MONTHS
from simulation.model import Owner, Portfolio
from simulation.months import month_index, parse_month
from simulation.result import Result
from simulation.scenario import OperationChoice, Scenario
from simulation.tolerances import FTE_TOLERANCE, WHOLE_UNIT_NOISE

MONEY_UNIT = 1000.0
"""Euros per solver money unit (k€)."""
FTE_UNIT = 1000
"""Solver staff units per full-time equivalent (milli-FTE)."""

COMMITTED, VARIABLE, EXCLUDED = "committed", "variable", "excluded"
_OWNER_INDEX = {owner.value: i for i, owner in enumerate(OWNERS)}


@dataclass(frozen=True)
class EnvelopeRow:
    """One envelope constraint: an owner's spending in a year (or cumulated up to it)."""

    owner: str
    year: int
    first_year: int  # equal to ``year`` for a strict envelope; first envelope year when carrying forward
    envelope: float  # euros (cumulated from first_year when carrying forward)
    committed: float  # euros of the committed operations over the same years
    capacity: int  # k€ left for the variable operations (never negative)

    @property
    def cumulative(self) -> bool:
        return self.first_year != self.year


@dataclass(frozen=True)
class StaffLimit:
    """One directorate's headcount, month by month from the reference month."""

    directorate: str
    headcount: float
    limit: float  # headcount x (1 + tolerance)
    committed: np.ndarray  # (months,) FTE used by the committed operations
    capacity: np.ndarray  # (months,) milli-FTE left for the variable operations (never negative)


@dataclass
class OpTable:
    """What a variable operation would do at each of its candidate start months."""

    index: int
    candidates: np.ndarray  # (K,) start months; the first is the requested start
    spend: np.ndarray  # (K, Y) euros per window year
    spend_k: np.ndarray  # (K, Y) k€, rounded up
    rows: np.ndarray  # (R,) indices of the envelope rows the operation counts against
    contrib: np.ndarray  # (K, R) k€ it adds to each of those rows
    contrib_eur: np.ndarray  # (K, R) the same in euros, unrounded
    staff: int  # index into ``FitProblem.staff_limits``; -1 when its staff is not counted
    phases: tuple[tuple[int, int, int], ...]  # (offset, months, milli-FTE) of phases with a load
    met: np.ndarray  # (K,) commitment deadline met
    done: np.ndarray  # (K,) completion deadline met

    def load_matrix(self, total: int) -> np.ndarray:
        """(K, span) milli-FTE per candidate and month, months counted from ``candidates[0]``."""
        shift = self.candidates - self.candidates[0]
        span = int(shift[-1]) + total
        months = np.arange(span)[None, :]
        load = np.zeros((len(shift), span), dtype=np.int64)
        for offset, length, milli in self.phases:
            first = shift[:, None] + offset
            load += milli * ((months >= first) & (months < first + length))
        return load


@dataclass
class Plan:
    """A start month and a keep flag per operation (portfolio order)."""

    start: np.ndarray
    keep: np.ndarray

    def copy(self) -> Plan:
        return Plan(self.start.copy(), self.keep.copy())


@dataclass
class FitProblem:
    portfolio: Portfolio
    scenario: Scenario  # as given
    locked: Scenario  # with forced-in / forced-out applied: the requested plan
    settings: FitSettings
    cols: PortfolioColumns
    requested: Result  # simulate(locked)
    committed_result: Result  # simulate with only the committed operations kept
    ids: np.ndarray
    titles: np.ndarray
    priority: np.ndarray
    original_start: np.ndarray
    base_start: np.ndarray  # requested start (after the scenario's shifts and dependency pushes)
    base_keep: np.ndarray
    total: np.ndarray  # months from start to completion
    milestone_offset: np.ndarray
    role: np.ndarray  # COMMITTED | VARIABLE | EXCLUDED
    date_fixed: np.ndarray
    started: np.ndarray
    mandatory: np.ndarray  # variable operations that must be kept
    pred: np.ndarray  # active dependency (index, -1 when none or released)
    reference: int
    commitment_deadline: int
    completion_deadline: int
    years: np.ndarray  # window years of the spending tables
    envelope_rows: list[EnvelopeRow]
    staff_limits: list[StaffLimit]
    staff_first_month: int
    tables: dict[int, OpTable]
    anru_k: np.ndarray  # ANRU line in k€ (after the cost factor)
    weight: np.ndarray  # priority weight
    owner: np.ndarray  # owner index after transfer
    committed_k: np.ndarray  # (owners, Y) k€ spent by committed operations
    smooth_years: np.ndarray  # window-year indices the smoothness objective looks at

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def variables(self) -> list[int]:
        return sorted(self.tables)

    def base_plan(self) -> Plan:
        return Plan(self.base_start.copy(), self.base_keep.copy())

    def label(self, i: int) -> str:
        return f"{self.ids[i]} « {self.titles[i]} »"

    def dependencies_touching(self, variable: Container[int]) -> Iterator[tuple[int, int]]:
        """Each (operation, predecessor) of an active dependency in which at least one side is in
        ``variable`` (placed by the model): between two fixed operations there is nothing to decide."""
        for j in range(self.n):
            p = int(self.pred[j])
            if p >= 0 and (j in variable or p in variable):
                yield j, p


def build_problem(portfolio: Portfolio, scenario: Scenario, settings: FitSettings) -> FitProblem:
    """Everything the engines need, computed once; raises ``FitError`` / ``ScenarioError``."""
    problems = settings.check_against(portfolio)
    if problems:
        raise FitError(problems)
    locked = apply_locks(scenario, settings)
    requested = _engine.simulate(portfolio, locked)
    cols = portfolio_columns(portfolio)
    plan = _engine.plan_of(cols, locked)
    n = len(cols.ids)
    ops = requested.operations
    base_start = month_index(ops["start"])  # after the scenario's shifts and dependency pushes
    base_keep = ops["kept"].to_numpy(dtype=bool).copy()
    durations = plan.durations
    total = durations.sum(axis=1)
    offsets = np.cumsum(durations, axis=1) - durations
    milestone_offset = offsets[:, 3] if locked.commitment_milestone == "works_start" else offsets[:, 1]
    reference = parse_month(locked.reference_month)

    index = cols.index
    forced_in = np.zeros(n, dtype=bool)
    forced_in[[index[i] for i in settings.forced_in]] = True
    user_fixed = np.zeros(n, dtype=bool)
    user_fixed[[index[i] for i in settings.fixed]] = True
    started = base_keep & (cols.start < reference)  # under way: its begun phases are facts
    date_fixed = started | user_fixed
    committed = base_keep & date_fixed & (started | forced_in)
    role = np.where(~base_keep, EXCLUDED, np.where(committed, COMMITTED, VARIABLE)).astype(object)

    pred = np.where((cols.dependency >= 0) & base_keep[np.maximum(cols.dependency, 0)], cols.dependency, -1)
    pred = np.where(base_keep, pred, -1)
    mandatory = (role == VARIABLE) & forced_in
    required = (role == COMMITTED) | mandatory
    for _ in range(n):  # a kept operation keeps what it waits for
        needed = np.zeros(n, dtype=bool)
        needed[pred[required & (pred >= 0)]] = True
        grown = required | (needed & (role == VARIABLE))
        if np.array_equal(grown, required):
            break
        required = grown
    mandatory = required & (role == VARIABLE)

    committed_scenario = _keep_only(locked, cols.ids, role == COMMITTED)
    committed_result = _engine.simulate(portfolio, committed_scenario)

    candidates = _candidates(locked, settings, cols, base_start, total, role, date_fixed, pred)
    years = _window_years(locked, reference, candidates, total)
    spend = _spending_tables(cols, plan, locked, candidates, years)
    envelope_rows, owner_rows = _envelope_rows(locked, settings, committed_result, years)
    staff_limits, staff_first, staff_index = _staff_limits(
        locked, settings, committed_result, reference, candidates, total
    )

    capacity_owner = _OWNER_INDEX[locked.capacity_owner.value]
    directorates = np.asarray(cols.directorates, dtype=object)
    load = np.rint(np.asarray(locked.staff_load.as_tuple()) * FTE_UNIT).astype(np.int64)
    commit_deadline = parse_month(locked.commitment_deadline)
    completion_deadline = parse_month(locked.completion_deadline)
    tables: dict[int, OpTable] = {}
    for i, cand in candidates.items():
        owner_name = OWNERS[plan.owner[i]].value
        rows, weights = owner_rows.get(owner_name, (np.zeros(0, dtype=np.int64), np.zeros((0, len(years)))))
        spend_k = np.ceil(spend[i] / MONEY_UNIT - WHOLE_UNIT_NOISE).astype(np.int64)
        counted = plan.owner[i] == capacity_owner
        staff = staff_index.get(directorates[cols.directorate[i]], -1) if counted else -1
        phases = tuple(
            (int(offsets[i, p]), int(durations[i, p]), int(load[p]))
            for p in range(4)
            if durations[i, p] > 0 and load[p] > 0
        )
        tables[i] = OpTable(
            index=i,
            candidates=cand,
            spend=spend[i],
            spend_k=spend_k,
            rows=rows,
            contrib=spend_k @ weights.T.astype(np.int64) if len(rows) else np.zeros((len(cand), 0), dtype=np.int64),
            contrib_eur=spend[i] @ weights.T if len(rows) else np.zeros((len(cand), 0)),
            staff=staff if phases else -1,
            phases=phases,
            met=cand + milestone_offset[i] <= commit_deadline,
            done=cand + total[i] - 1 <= completion_deadline,
        )

    committed_k = np.zeros((len(OWNERS), len(years)), dtype=np.int64)
    yearly = committed_result.yearly
    inside = yearly["year"].between(years[0], years[-1]).to_numpy()
    owners_idx = yearly["owner"].map(_OWNER_INDEX).to_numpy()[inside]
    committed_k[owners_idx, yearly["year"].to_numpy()[inside] - years[0]] = np.ceil(
        yearly["spending_ttc"].to_numpy()[inside] / MONEY_UNIT - WHOLE_UNIT_NOISE
    ).astype(np.int64)
    first_smooth = reference // 12
    smooth_years = np.flatnonzero((years >= first_smooth) & (years <= max(locked.horizon_year, first_smooth)))

    weight = np.array([PRIORITY_WEIGHT[int(p)] for p in cols.priority], dtype=np.int64).reshape(n)
    return FitProblem(
        portfolio=portfolio,
        scenario=scenario,
        locked=locked,
        settings=settings,
        cols=cols,
        requested=requested,
        committed_result=committed_result,
        ids=cols.ids,
        titles=cols.titles,
        priority=cols.priority,
        original_start=cols.start,
        base_start=base_start,
        base_keep=base_keep,
        total=total,
        milestone_offset=milestone_offset,
        role=role,
        date_fixed=date_fixed,
        started=started,
        mandatory=mandatory,
        pred=pred,
        reference=reference,
        commitment_deadline=commit_deadline,
        completion_deadline=completion_deadline,
        years=years,
        envelope_rows=envelope_rows,
        staff_limits=staff_limits,
        staff_first_month=staff_first,
        tables=tables,
        anru_k=np.rint(ops["anru_planned"].to_numpy(dtype=float) / MONEY_UNIT).astype(np.int64),
        weight=weight,
        owner=plan.owner.copy(),
        committed_k=committed_k,
        smooth_years=smooth_years,
    )


def apply_locks(scenario: Scenario, settings: FitSettings) -> Scenario:
    """The requested plan: the scenario with forced-in operations kept and forced-out ones dropped."""
    result = scenario
    for op_id in settings.forced_in:
        if not result.choice(op_id).keep:
            result = result.with_choice(op_id, keep=True)
    for op_id in settings.forced_out:
        if result.choice(op_id).keep:
            result = result.with_choice(op_id, keep=False)
    return result


def _keep_only(scenario: Scenario, ids: np.ndarray, kept: np.ndarray) -> Scenario:
    choices = dict(scenario.choices)
    for op_id in ids[~kept]:
        choices[op_id] = scenario.choice(op_id).model_copy(update={"keep": False})
    return scenario.model_copy(update={"choices": choices})


def _candidates(
    scenario: Scenario,
    settings: FitSettings,
    cols: PortfolioColumns,
    base_start: np.ndarray,
    total: np.ndarray,
    role: np.ndarray,
    date_fixed: np.ndarray,
    pred: np.ndarray,
) -> dict[int, np.ndarray]:
    last_year = max([scenario.horizon_year, *(y for years in scenario.envelopes.values() for y in years)])
    end_month = last_year * 12 + 11
    result: dict[int, np.ndarray] = {}
    for i in np.flatnonzero(role == VARIABLE):
        low = int(base_start[i])
        if date_fixed[i]:
            result[int(i)] = np.array([low], dtype=np.int64)
            continue
        high = min(
            low + settings.max_shift_months,
            max(low, end_month - int(total[i]) + 1),
            int(cols.start[i]) + MAX_SHIFT_MONTHS,  # a proposal must stay a valid scenario
        )
        result[int(i)] = np.arange(low, max(low, high) + 1, settings.step, dtype=np.int64)
    # A committed operation waiting for a variable one bounds that one's completion.
    for j in np.flatnonzero((role == COMMITTED) & (pred >= 0)):
        waited = int(pred[j])
        if waited in result:
            cand = result[waited]
            bounded = cand[cand + total[waited] <= base_start[j]]
            result[waited] = bounded if len(bounded) else cand[:1]
    return result


def _window_years(
    scenario: Scenario, reference: int, candidates: dict[int, np.ndarray], total: np.ndarray
) -> np.ndarray:
    years = [reference // 12, scenario.horizon_year]
    years += [y for envelope in scenario.envelopes.values() for y in envelope]
    for i, cand in candidates.items():
        years += [int(cand[0]) // 12, int(cand[-1] + total[i] - 1) // 12]
    return np.arange(min(years), max(years) + 1)


def _spending_tables(
    cols: PortfolioColumns,
    plan: _engine.Plan,
    scenario: Scenario,
    candidates: dict[int, np.ndarray],
    years: np.ndarray,
) -> dict[int, np.ndarray]:
    """Yearly TTC spending of every (operation, candidate start), by the engine's arithmetic."""
    if not candidates:
        return {}
    order = sorted(candidates)
    rows = np.concatenate([np.full(len(candidates[i]), i) for i in order])
    starts = np.concatenate([candidates[i] for i in order])
    spending = _engine.spending_at_starts(cols, plan, rows, starts, years, scenario)
    result = {}
    position = 0
    for i in order:
        k = len(candidates[i])
        result[i] = spending[position : position + k]
        position += k
    return result


def _envelope_rows(
    scenario: Scenario, settings: FitSettings, committed: Result, years: np.ndarray
) -> tuple[list[EnvelopeRow], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Envelope constraints and, per owner, (row indices, (rows x window years) 0/1 weights)."""
    yearly = committed.yearly.set_index(["owner", "year"])["spending_ttc"]
    rows: list[EnvelopeRow] = []
    per_owner: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for owner_key, envelope in scenario.envelopes.items():
        owner = Owner(owner_key)
        env_years = sorted(envelope)
        if not env_years:
            continue
        indices = []
        weights = []
        cumulative_env = cumulative_committed = 0.0
        for year in env_years:
            spent = float(yearly.get((owner.value, year), 0.0))
            weight = np.zeros(len(years))
            if settings.envelope_mode == "carry_forward":
                cumulative_env += envelope[year]
                cumulative_committed += spent
                amount, used, first = cumulative_env, cumulative_committed, env_years[0]
                weight[[y - years[0] for y in env_years if y <= year]] = 1
            else:
                amount, used, first = envelope[year], spent, year
                weight[year - years[0]] = 1
            capacity = int(np.floor(max(amount - used, 0.0) / MONEY_UNIT + WHOLE_UNIT_NOISE))
            indices.append(len(rows))
            weights.append(weight)
            rows.append(EnvelopeRow(owner.value, year, first, float(amount), float(used), capacity))
        per_owner[owner.value] = (np.array(indices, dtype=np.int64), np.array(weights))
    return rows, per_owner


def _staff_limits(
    scenario: Scenario,
    settings: FitSettings,
    committed: Result,
    reference: int,
    candidates: dict[int, np.ndarray],
    total: np.ndarray,
) -> tuple[list[StaffLimit], int, dict[str, int]]:
    last = reference + 1
    for i, cand in candidates.items():
        last = max(last, int(cand[-1] + total[i]))
    n_months = last - reference
    staff = committed.staff
    months = staff["month"].map(parse_month).to_numpy() if len(staff) else np.zeros(0, dtype=np.int64)
    limits: list[StaffLimit] = []
    index: dict[str, int] = {}
    for directorate, headcount in sorted(scenario.headcount.items()):
        used = np.zeros(n_months)
        mine = (staff["directorate"].to_numpy() == directorate) & (months >= reference) & (months < last)
        used[months[mine] - reference] = staff["load_fte"].to_numpy()[mine]
        limit = headcount * (1 + settings.staff_tolerance)
        capacity = np.maximum(
            int(np.floor(limit * FTE_UNIT + FTE_TOLERANCE)) - np.rint(used * FTE_UNIT).astype(np.int64), 0
        )
        index[directorate] = len(limits)
        limits.append(StaffLimit(directorate, float(headcount), float(limit), used, capacity))
    return limits, reference, index


# ---------------------------------------------------------------------------- objective


@dataclass(frozen=True)
class Objective:
    """The four objectives, in the issue's order, in solver units."""

    anru_k: int  # ANRU secured by variable operations (k€), maximised
    completions: int  # priority-weighted completions by the deadline, maximised
    deviation: int  # drops, moved operations and months moved, minimised
    peak_k: int  # sum over owners of the peak yearly spending (k€), minimised
    dropped_w: int = 0  # priority weights of the dropped operations (part of ``deviation``)

    def key(self) -> tuple[int, int, int, int]:
        """Larger is better, lexicographically."""
        return (self.anru_k, self.completions, -self.deviation, -self.peak_k)


def moved_weight(problem: FitProblem) -> int:
    """Cost of moving an operation at all: more than any number of months one move can take."""
    return problem.settings.max_shift_months + 1


def drop_unit(problem: FitProblem) -> int:
    """Cost of dropping a weight-1 operation: more than every possible move together."""
    return len(problem.tables) * (moved_weight(problem) + problem.settings.max_shift_months) + 1


def evaluate(problem: FitProblem, plan: Plan) -> Objective:
    """The objective of a plan, in the optimiser's own units (for hints and comparisons)."""
    anru = completions = deviation = dropped = 0
    totals = problem.committed_k.copy()
    moved, unit = moved_weight(problem), drop_unit(problem)
    for i, t in problem.tables.items():
        if not plan.keep[i]:
            deviation += unit * int(problem.weight[i])
            dropped += int(problem.weight[i])
            continue
        k = int(np.searchsorted(t.candidates, plan.start[i]))
        anru += int(problem.anru_k[i]) * bool(t.met[k])
        completions += int(problem.weight[i]) * bool(t.done[k])
        if k:
            deviation += moved + int(t.candidates[k] - t.candidates[0])
        totals[problem.owner[i]] += t.spend_k[k]
    return Objective(anru, completions, deviation, peak_total(problem, totals), dropped)


def peak_total(problem: FitProblem, totals: np.ndarray) -> int:
    owners = smooth_owners(problem)
    if not len(problem.smooth_years) or not owners:
        return 0
    return int(totals[np.ix_(np.asarray(owners), problem.smooth_years)].max(axis=1).sum())


def smooth_owners(problem: FitProblem) -> list[int]:
    return sorted({int(problem.owner[i]) for i in problem.tables})


# ------------------------------------------------------------------------- to a scenario


def plan_to_scenario(problem: FitProblem, plan: Plan, name: str, rationale: str) -> Scenario:
    """The proposal as an ordinary scenario: the requested plan plus new shifts and drops."""
    scenario = problem.locked
    choices = dict(scenario.choices)
    for i in problem.tables:
        op_id = str(problem.ids[i])
        choice = scenario.choice(op_id)
        if not plan.keep[i]:
            update: dict[str, object] = {"keep": False}
        elif plan.start[i] != problem.base_start[i]:
            update = {"keep": True, "shift_months": int(plan.start[i] - problem.original_start[i])}
        else:
            continue
        new = choice.model_copy(update=update)
        if new == OperationChoice():
            choices.pop(op_id, None)
        else:
            choices[op_id] = OperationChoice.model_validate(new.model_dump())
    return scenario.model_copy(
        update={
            "name": name[:120],
            "parent": problem.scenario.name,
            "rationale": rationale,
            "choices": choices,
        }
    )
