"""The phasing engine: operations + scenario -> dates, payment credits, financing, staff load.

Rules are those of DOMAIN.md ("How the engine turns operations into money and dates") and of
the foundation issue; every parameter comes from the scenario. The whole portfolio is computed
at once on an operations x months matrix (window aligned on whole calendar years), and every
figure is a reduction of it; the only Python loops are over phases (4), dependency depths and
the scenario's explicit choices.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from simulation.actuals import apply_actuals
from simulation.columns import OWNERS, PortfolioColumns, portfolio_columns
from simulation.model import FUNDERS, PHASES, Funder, Portfolio
from simulation.months import format_month, parse_month
from simulation.movable import ALL_BEGUN, first_unbegun_phases
from simulation.result import Result
from simulation.scenario import COORDINATION_TEAM, Scenario, ScenarioError
from simulation.tolerances import EURO_TOLERANCE, STAFF_OVERLOAD_FTE

_ANRU = FUNDERS.index(Funder.ANRU)
_OWNER_INDEX = {owner: i for i, owner in enumerate(OWNERS)}
_PHASE_INDEX = {phase: k for k, phase in enumerate(PHASES)}


def simulate(portfolio: Portfolio, scenario: Scenario) -> Result:
    """Run one scenario on a portfolio. Raises ``ScenarioError`` for choices that cannot apply."""
    problems = scenario.check_against(portfolio)
    if problems:
        raise ScenarioError(problems)
    cols = portfolio_columns(portfolio)
    plan = plan_of(cols, scenario)
    dates = _schedule(cols, plan, scenario)
    window = _window(cols, plan, dates, scenario)
    flows = _flows(cols, plan, dates, window, scenario, with_actuals=True)
    return _assemble(portfolio, cols, plan, dates, window, flows, scenario)


class Plan:
    """Per-operation choices of the scenario, as arrays (public: the phasing assistant builds on it)."""

    def __init__(self, cols: PortfolioColumns):
        n = len(cols.ids)
        self.keep = np.ones(n, dtype=bool)
        self.shift = np.zeros(n, dtype=np.int64)
        self.factor = np.ones(n, dtype=float)
        self.owner = cols.owner.copy()
        self.durations = cols.durations.copy()


def plan_of(cols: PortfolioColumns, scenario: Scenario) -> Plan:
    """The scenario's per-operation choices (keep, shift, cost factor, owner, durations) as arrays."""
    plan = Plan(cols)
    for op_id, choice in scenario.choices.items():
        i = cols.index[op_id]
        plan.keep[i] = choice.keep
        plan.shift[i] = choice.shift_months
        plan.factor[i] = choice.cost_factor
        if choice.owner is not None:
            plan.owner[i] = _OWNER_INDEX[choice.owner]
        for phase, months in choice.durations.model_dump().items():
            if months is not None:
                plan.durations[i, _PHASE_INDEX[phase]] = months
    return plan


class _Dates:
    """Phase start months of every operation (n, 4) and what follows from them."""

    def __init__(self, phase_start: np.ndarray, durations: np.ndarray, pushed: np.ndarray, pushed_by: np.ndarray):
        self.pushed = pushed
        self.pushed_by = pushed_by
        self.phase_start = phase_start  # (n, 4)
        self.phase_end = phase_start + durations  # exclusive
        self.start = phase_start[:, 0]
        self.works_start = phase_start[:, 3]
        self.completion = self.phase_end[:, 3] - 1


def contiguous_phase_starts(starts: np.ndarray, durations: np.ndarray) -> np.ndarray:
    """(n, 4) start months of phases that follow each other without gaps from ``starts``."""
    return starts[:, None] + (np.cumsum(durations, axis=1) - durations)


def _schedule(cols: PortfolioColumns, plan: Plan, scenario: Scenario) -> _Dates:
    """Phase dates after shifts and dependency pushes (applied depth by depth).

    A shift or a push moves the phases not yet begun at the reference month (all of them for an
    operation not started; see ``simulation.movable``); the phases already begun keep their
    dates. The part still to come of an operation waits for the month after its predecessor's
    completion, unless one of the two is dropped (a dropped predecessor releases the constraint).
    """
    reference = parse_month(scenario.reference_month)
    planned = contiguous_phase_starts(cols.start, plan.durations)
    first = first_unbegun_phases(cols.start, cols.durations, reference)
    movable = np.arange(len(PHASES))[None, :] >= first[:, None]  # (n, 4)
    can_move = first < ALL_BEGUN
    anchor = planned[np.arange(len(first)), np.minimum(first, ALL_BEGUN - 1)]  # first phase still to come
    delay = plan.shift * can_move
    pushed = np.zeros_like(delay)
    works_end = planned[:, 3] + plan.durations[:, 3]  # month after completion, before any delay
    for level in cols.dependency_levels:
        pred = cols.dependency[level]
        earliest = works_end[pred] + delay[pred] * movable[pred, 3]
        waiting = anchor[level] + delay[level]
        binding = plan.keep[level] & plan.keep[pred] & can_move[level] & (earliest > waiting)
        pushed[level] = np.where(binding, earliest - waiting, 0)
        delay[level] = delay[level] + pushed[level]
    pushed_by = np.where(pushed > 0, cols.dependency, -1)
    return _Dates(planned + delay[:, None] * movable, plan.durations, pushed, pushed_by)


def deadline_misses(plan: Plan, dates: _Dates, scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The commitment milestone (month index) of each operation, and which kept operations miss
    the commitment deadline and the completion deadline."""
    milestone = dates.works_start if scenario.commitment_milestone == "works_start" else dates.phase_start[:, 1]
    commitment_missed = plan.keep & (milestone > parse_month(scenario.commitment_deadline))
    completion_missed = plan.keep & (dates.completion > parse_month(scenario.completion_deadline))
    return milestone, commitment_missed, completion_missed


class _Window:
    def __init__(self, first_year: int, last_year: int):
        self.first_year = first_year
        self.last_year = last_year
        self.years = np.arange(first_year, last_year + 1)
        self.first_month = first_year * 12
        self.n_months = 12 * len(self.years)


def _window(cols: PortfolioColumns, plan: Plan, dates: _Dates, scenario: Scenario) -> _Window:
    """Whole years from the first spending (or the reference year) to the last FCTVA receipt.

    It reaches at least the horizon and every envelope year, so no money falls outside it.
    """
    years = [parse_month(scenario.reference_month) // 12, scenario.horizon_year]
    years += [year for envelope in scenario.envelopes.values() for year in envelope]
    closed = [year for year in cols.actual_years if year < years[0]]
    if closed and cols.paid[:, : len(closed)].any():
        years.append(min(closed))  # money already paid lies inside the window, even if dropped since
    if plan.keep.any():
        years.append(int(dates.start[plan.keep].min()) // 12)
        years.append(int(dates.completion[plan.keep].max()) // 12 + scenario.fctva_lag_years)
    return _Window(min(years), max(years))


class _Flows:
    """Yearly money per operation and monthly staff load per operation."""

    spending: np.ndarray  # (n, Y) TTC escalated
    subsidies_by_funder: np.ndarray  # (n, F) totals received (ANRU zeroed when lost)
    subsidies: np.ndarray  # (n, Y)
    fctva: np.ndarray  # (n, Y)
    staff: np.ndarray  # (directorates, M) FTE
    anru_planned: np.ndarray
    anru_lost: np.ndarray
    anru_forgone: np.ndarray
    commitment_month: np.ndarray
    commitment_missed: np.ndarray
    completion_missed: np.ndarray
    cost_ht: np.ndarray
    spending_share: np.ndarray  # (n, Y) share of each year in the operation's spending
    planned: np.ndarray  # (n, Y) the plan's TTC spending, before the accounts
    paid_years: np.ndarray  # (n, Y) CP paid in closed years (the accounts)
    paid: np.ndarray  # (n,) CP paid in closed years
    paid_this_year: np.ndarray  # (n,) CP paid so far in the reference year (shown, not used)
    remaining: np.ndarray  # (n,) plan's whole TTC cost - paid, at least 0
    overrun: np.ndarray  # (n,) paid beyond the plan's whole TTC cost


def _flows(
    cols: PortfolioColumns,
    plan: Plan,
    dates: _Dates,
    window: _Window,
    scenario: Scenario,
    *,
    with_actuals: bool = False,
) -> _Flows:
    """Money and staff of every operation; ``with_actuals`` puts the accounts' closed years in
    (``simulate`` only: the phasing assistant's and the risk draws' rows are plans)."""
    flows = _Flows()
    # Shares of the phases that last at least a month, scaled up to sum to 1.
    has_months = plan.durations > 0
    shares = np.asarray(scenario.phase_shares.as_tuple())[None, :] * has_months
    shares = shares / shares.sum(axis=1, keepdims=True)
    flows.cost_ht = cols.cost_ht * plan.factor * plan.keep
    monthly_ht = flows.cost_ht[:, None] * shares / np.maximum(plan.durations, 1)  # (n, 4)

    # Spending is even within a phase, so a year's share of a phase is the number of months
    # the two overlap: (operations x phases x years) instead of one column per month.
    year_start = window.first_month + 12 * np.arange(len(window.years))
    overlap = np.minimum(dates.phase_end[:, :, None], year_start[None, None, :] + 12) - np.maximum(
        dates.phase_start[:, :, None], year_start[None, None, :]
    )
    yearly_ht = np.einsum("nk,nky->ny", monthly_ht, np.clip(overlap, 0, None))
    escalation = (1.0 + scenario.escalation_rate) ** (window.years[None, :] - cols.price_year[:, None])
    flows.spending = yearly_ht * escalation * (1.0 + cols.vat_rate)[:, None]
    flows.planned = flows.spending
    _actuals(cols, dates, window, scenario, monthly_ht, escalation, flows, with_actuals)

    # Staff load: each phase adds its load from its first month and removes it after its
    # last; a cumulative sum over months gives the load of every directorate and month.
    capacity_owner = _OWNER_INDEX[scenario.capacity_owner]
    counted = plan.keep & (plan.owner == capacity_owner)
    load = np.asarray(scenario.staff_load.as_tuple())[None, :] * counted[:, None] * has_months  # (n, 4)
    steps = np.zeros((len(_directorates(cols, scenario)), window.n_months + 1))
    rows = np.broadcast_to(cols.directorate[:, None], load.shape)
    # Dropped operations (load 0) may lie outside the window: clip their indices into it.
    first = np.clip(dates.phase_start - window.first_month, 0, window.n_months)
    after = np.clip(dates.phase_end - window.first_month, 0, window.n_months)
    np.add.at(steps, (rows, first), load)
    np.add.at(steps, (rows, after), -load)
    # The coordination team carries its own load for the same operations in progress.
    coordination = np.asarray(scenario.coordination_load.as_tuple())[None, :] * counted[:, None] * has_months
    team_row = (
        cols.coordination_row
        if cols.coordination_row is not None
        else np.full(load.shape[0], _directorates(cols, scenario).index(COORDINATION_TEAM))
    )
    team = np.broadcast_to(team_row[:, None], load.shape)
    np.add.at(steps, (team, first), coordination)
    np.add.at(steps, (team, after), -coordination)
    flows.staff = np.round(np.cumsum(steps, axis=1)[:, :-1], 9)  # (directorates, months)

    flows.commitment_month, flows.commitment_missed, flows.completion_missed = deadline_misses(plan, dates, scenario)

    # Funding: lines scaled by min(k, 1); ANRU lost past the commitment deadline; none if dropped.
    lines = cols.funding * np.minimum(plan.factor, 1.0)[:, None]
    flows.anru_planned = lines[:, _ANRU].copy()
    flows.anru_forgone = np.where(plan.keep, 0.0, flows.anru_planned)
    flows.anru_lost = np.where(flows.commitment_missed, flows.anru_planned, 0.0)
    received = lines * plan.keep[:, None]
    received[:, _ANRU] -= flows.anru_lost
    flows.subsidies_by_funder = received

    total = flows.spending.sum(axis=1)
    flows.spending_share = np.divide(
        flows.spending, total[:, None], out=np.zeros_like(flows.spending), where=total[:, None] > 0
    )
    flows.subsidies = received.sum(axis=1)[:, None] * flows.spending_share

    # FCTVA: only owners the scenario declares eligible recover it (after any owner transfer).
    lag = scenario.fctva_lag_years
    eligible = np.isin(plan.owner, [_OWNER_INDEX[o] for o in scenario.fctva_eligible_owners])
    flows.fctva = np.zeros_like(flows.spending)
    flows.fctva[:, lag:] = scenario.fctva_rate * flows.spending[:, : flows.spending.shape[1] - lag]
    flows.fctva *= eligible[:, None]
    return flows


def _actuals(
    cols: PortfolioColumns,
    dates: _Dates,
    window: _Window,
    scenario: Scenario,
    monthly_ht: np.ndarray,
    escalation: np.ndarray,
    flows: _Flows,
    with_actuals: bool,
) -> None:
    """The accounts' rule (``simulation.actuals.apply_actuals``) on the yearly matrices."""
    n, n_years = flows.spending.shape
    reference = parse_month(scenario.reference_month)
    reference_year = reference // 12
    flows.paid_years = np.zeros((n, n_years))
    flows.paid_this_year = np.zeros(n)
    if not with_actuals or not cols.has_actuals.any():
        flows.paid = np.zeros(n)
        flows.remaining = flows.spending.sum(axis=1)
        flows.overrun = np.zeros(n)
        return
    for j, year in enumerate(cols.actual_years):
        if window.first_year <= year < reference_year:  # an earlier year is in the window unless all zero
            flows.paid_years[:, year - window.first_year] = cols.paid[:, j]
        elif year == reference_year:
            flows.paid_this_year = cols.paid[:, j].copy()
    # The plan's spending in months from the reference month on (spending is even within a phase).
    year_start = window.first_month + 12 * np.arange(n_years)
    from_month = np.maximum(year_start, reference)
    overlap = np.minimum(dates.phase_end[:, :, None], year_start[None, None, :] + 12) - np.maximum(
        dates.phase_start[:, :, None], from_month[None, None, :]
    )
    future = np.einsum("nk,nky->ny", monthly_ht, np.clip(overlap, 0, None)) * escalation
    future *= (1.0 + cols.vat_rate)[:, None]
    split = apply_actuals(
        flows.spending, future, flows.paid_years, cols.has_actuals, reference_year - window.first_year
    )
    flows.spending = split.spending
    flows.paid = split.paid
    flows.remaining = split.remaining
    flows.overrun = split.overrun


def spending_at_starts(
    cols: PortfolioColumns, plan: Plan, rows: np.ndarray, starts: np.ndarray, years: np.ndarray, scenario: Scenario
) -> np.ndarray:
    """Yearly TTC spending (len(rows), len(years)) of operations ``rows`` started at ``starts``.

    Each (row, start) pair is one candidate: the same operation may appear several times with
    different starts. Phases follow each other from the start, with the plan's durations, cost
    factor and owner; the arithmetic is ``simulate``'s own. Used by the phasing assistant to
    tabulate every candidate start at once. ``years`` must be consecutive.
    """
    expanded = dataclasses.replace(
        cols,
        cost_ht=cols.cost_ht[rows],
        vat_rate=cols.vat_rate[rows],
        price_year=cols.price_year[rows],
        funding=cols.funding[rows],
        directorate=cols.directorate[rows],
    )
    sub = Plan.__new__(Plan)
    sub.keep = np.ones(len(rows), dtype=bool)
    sub.shift = np.zeros(len(rows), dtype=np.int64)
    sub.factor = plan.factor[rows]
    sub.owner = plan.owner[rows]
    sub.durations = plan.durations[rows]
    dates = _Dates(
        contiguous_phase_starts(starts, sub.durations), sub.durations, np.zeros_like(starts), np.full_like(starts, -1)
    )
    window = _Window(int(years[0]), int(years[-1]))
    return _flows(expanded, sub, dates, window, scenario).spending


_LABEL_FIRST_MONTH = 1900 * 12
_MONTH_LABELS = np.array([format_month(m) for m in range(_LABEL_FIRST_MONTH, 2200 * 12)], dtype=object)


def _month_text(index: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` text for an array of month indices (a table lookup, no per-item formatting)."""
    return _MONTH_LABELS[np.clip(index - _LABEL_FIRST_MONTH, 0, len(_MONTH_LABELS) - 1)]


def _assemble(
    portfolio: Portfolio,
    cols: PortfolioColumns,
    plan: Plan,
    dates: _Dates,
    window: _Window,
    flows: _Flows,
    scenario: Scenario,
) -> Result:
    ops = portfolio.operations
    n = len(ops)
    spending_total = flows.spending.sum(axis=1)
    subsidies_total = flows.subsidies_by_funder.sum(axis=1)
    fctva_total = flows.fctva.sum(axis=1)
    status = np.where(
        ~plan.keep, "dropped", np.where(flows.commitment_missed | flows.completion_missed, "late", "on_time")
    )
    owner_names = np.array([o.value for o in OWNERS], dtype=object)
    operations = pd.DataFrame(
        {
            "operation_id": cols.ids,
            "title": cols.titles,
            "neighbourhood": cols.neighbourhoods,
            "facility_type": cols.facility_types,
            "directorate": np.array(cols.directorates, dtype=object)[cols.directorate] if n else [],
            "owner": owner_names[plan.owner],
            "original_owner": owner_names[cols.owner],
            "priority": cols.priority,
            "kept": plan.keep,
            "shift_months": plan.shift,
            "pushed_months": dates.pushed,
            "pushed_by": np.where(dates.pushed_by >= 0, cols.ids[np.maximum(dates.pushed_by, 0)], None) if n else [],
            "cost_factor": plan.factor,
            "start": _month_text(dates.start),
            "design_start": _month_text(dates.phase_start[:, 1]),
            "tendering_start": _month_text(dates.phase_start[:, 2]),
            "works_start": _month_text(dates.works_start),
            "completion": _month_text(dates.completion),
            "commitment_month": _month_text(flows.commitment_month),
            "commitment_missed": flows.commitment_missed,
            "completion_missed": flows.completion_missed,
            "status": status,
            "cost_ht": flows.cost_ht,
            "spending_ttc": spending_total,
            **{f"funding_{f.value}": flows.subsidies_by_funder[:, j] for j, f in enumerate(FUNDERS)},
            "subsidies": subsidies_total,
            "anru_planned": flows.anru_planned,
            "anru_secured": flows.subsidies_by_funder[:, _ANRU],
            "anru_lost": flows.anru_lost,
            "anru_forgone": flows.anru_forgone,
            "fctva": fctva_total,
            "net_cost": spending_total - subsidies_total - fctva_total,
            "planned_ttc": flows.planned.sum(axis=1),
            "paid_ttc": flows.paid,
            "paid_this_year_ttc": flows.paid_this_year,
            "remaining_ttc": flows.remaining,
            "incurred_overrun_ttc": flows.overrun,
            "ap_voted": cols.ap_voted,
            "ap_revision_needed": np.where(
                np.isnan(cols.ap_voted),
                np.nan,
                np.maximum(flows.planned.sum(axis=1) - np.nan_to_num(cols.ap_voted), 0.0),
            ),
        }
    )

    yearly = _yearly(plan, window, flows, scenario)
    staff = _staff(cols, window, flows, scenario)
    n_years = len(window.years)
    operation_years = pd.DataFrame(
        {
            "operation_id": pd.Categorical.from_codes(np.repeat(np.arange(n), n_years), categories=pd.Index(cols.ids))
            if n
            else pd.Categorical([]),
            "year": np.tile(window.years, n),
            "spending_ttc": flows.spending.ravel(),
            "subsidies": flows.subsidies.ravel(),
            "fctva": flows.fctva.ravel(),
            "planned_ttc": flows.planned.ravel(),
            "paid_ttc": flows.paid_years.ravel(),
        }
    )
    funding = _funding(plan, window, flows)
    kpis = _kpis(plan, dates, flows, yearly, staff, scenario, spending_total, subsidies_total, fctva_total)
    kpis.update(
        paid_ttc=float(flows.paid.sum()),
        paid_this_year_ttc=float(flows.paid_this_year.sum()),
        remaining_ttc=float(flows.remaining.sum()),
        incurred_overrun_ttc=float(flows.overrun.sum()),
        ap_voted=float(np.nansum(cols.ap_voted)),
        ap_revision_needed=float(np.nansum(operations["ap_revision_needed"].to_numpy(dtype=float))),
    )
    return Result(
        scenario=scenario,
        operations=operations,
        yearly=yearly,
        staff=staff,
        operation_years=operation_years,
        funding=funding,
        kpis=kpis,
    )


def _owner_matrix(plan: Plan) -> np.ndarray:
    """(owners, n) one-hot matrix, so per-owner sums are a matrix product."""
    return (plan.owner[None, :] == np.arange(len(OWNERS))[:, None]).astype(float)


def _yearly(plan: Plan, window: _Window, flows: _Flows, scenario: Scenario) -> pd.DataFrame:
    by_owner = _owner_matrix(plan)
    spending = by_owner @ flows.spending
    subsidies = by_owner @ flows.subsidies
    fctva = by_owner @ flows.fctva
    paid = by_owner @ flows.paid_years
    envelope = np.full_like(spending, np.nan)
    for owner, years in scenario.envelopes.items():
        row = _OWNER_INDEX[owner]
        for year, amount in years.items():
            envelope[row, year - window.first_year] = amount
    shown = (np.abs(spending).sum(axis=1) > 0) | ~np.isnan(envelope).all(axis=1)
    n_years = len(window.years)
    rows = np.repeat(np.flatnonzero(shown), n_years)
    gap = spending[shown] - envelope[shown]
    return pd.DataFrame(
        {
            "owner": np.array([o.value for o in OWNERS], dtype=object)[rows],
            "year": np.tile(window.years, int(shown.sum())),
            "spending_ttc": spending[shown].ravel(),
            "envelope": envelope[shown].ravel(),
            "gap": gap.ravel(),
            "over_envelope": (np.nan_to_num(gap, nan=-np.inf) > EURO_TOLERANCE).ravel(),
            "subsidies": subsidies[shown].ravel(),
            "fctva": fctva[shown].ravel(),
            "net_cost": (spending - subsidies - fctva)[shown].ravel(),
            "paid_ttc": paid[shown].ravel(),
        }
    )


def _funding(plan: Plan, window: _Window, flows: _Flows) -> pd.DataFrame:
    n_years = len(window.years)
    per_funder_year = (flows.subsidies_by_funder[:, :, None] * flows.spending_share[:, None, :]).reshape(
        len(plan.keep), -1
    )
    amounts = (_owner_matrix(plan) @ per_funder_year).ravel()  # owners x funders x years
    n_funders = len(FUNDERS)
    owners = np.repeat(np.array([o.value for o in OWNERS], dtype=object), n_funders * n_years)
    funders = np.tile(np.repeat(np.array([f.value for f in FUNDERS], dtype=object), n_years), len(OWNERS))
    years = np.tile(window.years, len(OWNERS) * n_funders)
    received = amounts != 0
    return pd.DataFrame(
        {"owner": owners[received], "funder": funders[received], "year": years[received], "amount": amounts[received]}
    )


def _directorates(cols: PortfolioColumns, scenario: Scenario) -> list[str]:
    """The portfolio's directorates, then those only the scenario's headcount names, then the
    coordination team (always present: it has a headcount of 0 unless the scenario sets one)."""
    names = list(cols.directorates) + sorted(set(scenario.headcount) - set(cols.directorates) - {COORDINATION_TEAM})
    return names if COORDINATION_TEAM in names else [*names, COORDINATION_TEAM]


def monthly_headcount(directorates: list[str], first_month: int, n_months: int, scenario: Scenario) -> np.ndarray:
    """(directorates, months) headcount: the scenario's ``headcount`` plus every recruitment in force.

    A recruitment adds its FTE from its ``from`` month to its ``to`` month, both included (to the
    end when open). A directorate without a headcount has NaN (not set) unless it receives a
    recruitment, which then counts from 0; the coordination team starts from 0.
    """
    base = [scenario.headcount.get(d, 0.0 if d == COORDINATION_TEAM else np.nan) for d in directorates]
    headcount = np.repeat(np.array(base, dtype=float)[:, None], n_months, axis=1)
    row = {d: i for i, d in enumerate(directorates)}
    for recruitment in scenario.recruitments:
        i = row.get(recruitment.direction)
        if i is None:
            continue
        begin = max(parse_month(recruitment.start) - first_month, 0)
        end = n_months if recruitment.end is None else min(parse_month(recruitment.end) - first_month + 1, n_months)
        if begin < end:
            headcount[i, begin:end] = np.nan_to_num(headcount[i, begin:end], nan=0.0) + recruitment.fte
        if np.isnan(headcount[i]).any():  # recruited: the months outside the recruitment count from 0
            headcount[i] = np.nan_to_num(headcount[i], nan=0.0)
    return headcount


def _staff(cols: PortfolioColumns, window: _Window, flows: _Flows, scenario: Scenario) -> pd.DataFrame:
    directorates = _directorates(cols, scenario)
    load = flows.staff
    headcount = monthly_headcount(directorates, window.first_month, window.n_months, scenario)
    months = window.first_month + np.arange(window.n_months)
    overload = np.maximum(load - headcount, 0.0)
    return pd.DataFrame(
        {
            "directorate": np.repeat(np.array(directorates, dtype=object), window.n_months),
            "month": np.tile(_month_text(months), len(directorates)),
            "load_fte": load.ravel(),
            "headcount": headcount.ravel(),
            "overload_fte": np.nan_to_num(overload, nan=0.0).ravel(),
        }
    )


def _kpis(
    plan: Plan,
    dates: _Dates,
    flows: _Flows,
    yearly: pd.DataFrame,
    staff: pd.DataFrame,
    scenario: Scenario,
    spending_total: np.ndarray,
    subsidies_total: np.ndarray,
    fctva_total: np.ndarray,
) -> dict[str, float | int]:
    late = flows.commitment_missed | flows.completion_missed
    from_reference = staff["month"].to_numpy() >= scenario.reference_month
    load = staff["load_fte"].to_numpy()[from_reference]
    overload = staff["overload_fte"].to_numpy()[from_reference]
    gap = yearly["gap"].to_numpy()
    return {
        "n_operations": len(plan.keep),
        "n_kept": int(plan.keep.sum()),
        "n_dropped": int((~plan.keep).sum()),
        "n_on_time": int((plan.keep & ~late).sum()),
        "n_late": int(late.sum()),
        "n_commitment_missed": int(flows.commitment_missed.sum()),
        "n_completion_missed": int(flows.completion_missed.sum()),
        "n_pushed": int((dates.pushed > 0).sum()),
        "cost_ht": float(flows.cost_ht.sum()),
        "spending_ttc": float(spending_total.sum()),
        "subsidies": float(subsidies_total.sum()),
        "anru_planned": float(flows.anru_planned.sum()),
        "anru_secured": float(flows.subsidies_by_funder[:, _ANRU].sum()),
        "anru_lost": float(flows.anru_lost.sum()),
        "anru_forgone": float(flows.anru_forgone.sum()),
        "fctva": float(fctva_total.sum()),
        "net_cost": float(spending_total.sum() - subsidies_total.sum() - fctva_total.sum()),
        "years_over_envelope": int(yearly["over_envelope"].sum()),
        "calendar_years_over_envelope": int(yearly.loc[yearly["over_envelope"].to_numpy(dtype=bool), "year"].nunique()),
        "total_overrun": float(np.nansum(np.clip(gap, 0, None))),
        "peak_staff_load": float(load.max(initial=0.0)),
        "peak_staff_overload": float(overload.max(initial=0.0)),
        "staff_overload_months": int((overload > STAFF_OVERLOAD_FTE).sum()),
    }
