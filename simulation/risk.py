"""How likely is the plan to hold: Monte Carlo draws of costs and durations (issue 10).

The model (scenario keys ``uncertainty`` and ``uncertainty_correlation``, defaults and their
source in ``simulation.scenario``):

- each kept operation gets a cost draw ``c`` and a duration draw ``d`` from the triangular
  distributions of its maturity;
- its HT cost (after the scenario's cost factor) is multiplied by ``1 + c``; its financing lines
  stay as they are (the owner bears the overrun);
- each phase not yet begun at the reference month (``simulation.movable``; a phase starting in
  the reference month itself has not begun) lasts ``round_half_up(months × (1 + d))``; a 0-month
  phase stays 0;
- the dependencies, deadlines, ANRU rule, envelopes and staff load then apply exactly as in
  ``simulate``: the draws go through the engine's own functions (``stacked_runs.stack_copies`` and
  ``stacked_runs.run_rows``), N copies of the portfolio stacked as one, in chunks of at most
  ``ROWS_PER_CHUNK`` rows.

Random numbers: ``numpy.random.default_rng(seed)`` draws, in this order, the cost common factor
(N), the cost idiosyncratic terms (N × n, every operation of the portfolio, kept or not, so an
operation's draws do not change when another one is dropped), the duration common factor (N)
and the duration idiosyncratic terms (N × n). Gaussian copula: ``z = √ρ·z₀ + √(1−ρ)·ε``,
``u = Φ(z)``, value ``F⁻¹(u)``. The same inputs and seed give byte-identical results.

Statistics: percentiles are numpy's (linear interpolation); "late" means a deadline missed
(commitment or completion), as in ``simulate``; a year is over the envelope when CP exceed it by
more than one euro (no envelope: never over), a directorate-month is overloaded when the load
exceeds the headcount (none set: never overloaded). The loop oracle is
``simulation.oracle.simulate_risk_slowly``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.columns import OWNERS, PortfolioColumns, portfolio_columns
from simulation.engine import Plan, monthly_headcount, plan_of, simulate
from simulation.model import PHASES, Maturity, Portfolio
from simulation.months import format_month, parse_month
from simulation.movable import first_unbegun_phases
from simulation.result import Result
from simulation.scenario import COORDINATION_TEAM, Scenario, ScenarioError
from simulation.stacked_runs import (
    copy_directorates,
    run_rows,
    run_rows_commitment_missed,
    run_rows_years,
    stack_copies,
)
from simulation.tolerances import EURO_NIL, EURO_TOLERANCE, SHARE_NIL, STAFF_OVERLOAD_FTE

DEFAULT_DRAWS = 1000
"""Number of draws when none is asked for."""

DEFAULT_SEED = 2021
"""Seed of the random generator when none is asked for (the year of the committee)."""

MAX_DRAWS = 100_000
"""Most draws one run may ask for."""

ROWS_PER_CHUNK = 25_000
"""Stacked rows (draws × operations) computed at once: bounds memory (a few kB a row) and keeps arrays cache-sized."""

_MATURITIES: tuple[Maturity, ...] = tuple(Maturity)


class RiskSettingsError(ValueError):
    """Settings of a risk run that cannot apply (French message)."""


def check_draws(draws: object) -> int:
    """The number of draws as an int from 1 to ``MAX_DRAWS``, or a French ``RiskSettingsError``."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer):
        raise RiskSettingsError(f"nombre de tirages : nombre entier attendu (reçu {draws!r})")
    if not 1 <= int(draws) <= MAX_DRAWS:
        raise RiskSettingsError(f"nombre de tirages : doit être compris entre 1 et 100 000 (reçu {int(draws)})")
    return int(draws)


def check_seed(seed: object) -> int:
    """The seed as a non-negative int, or a French ``RiskSettingsError``."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or int(seed) < 0:
        raise RiskSettingsError(f"graine : nombre entier positif ou nul attendu (reçu {seed!r})")
    return int(seed)


# --- Distributions ---

_SQRT_HALF = math.sqrt(0.5)
_ERFC_COEFFICIENTS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Φ(z), the standard normal CDF, vectorised (absolute error below 1.2e-7).

    ``Φ(z) = erfc(−z/√2) / 2`` with the Chebyshev-fitted erfc of Press et al., *Numerical
    Recipes* (fractional error below 1.2e-7 everywhere); numpy has no erf and scipy is not
    needed for this one function.
    """
    x = -np.asarray(z, dtype=float) * _SQRT_HALF
    t = 1.0 / (1.0 + 0.5 * np.abs(x))
    poly = np.full_like(t, _ERFC_COEFFICIENTS[-1])
    for coefficient in _ERFC_COEFFICIENTS[-2::-1]:
        poly = coefficient + t * poly
    erfc_abs = t * np.exp(-x * x + poly)
    erfc = np.where(x >= 0, erfc_abs, 2.0 - erfc_abs)
    return 0.5 * erfc


def triangular_quantile(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """F⁻¹(u) of the triangular distribution Tri(low, mode, high), elementwise (broadcasting).

    A degenerate distribution (low = high) gives ``low``.
    """
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    split = (mode - low) / safe
    left = low + np.sqrt(np.clip(u * width * (mode - low), 0.0, None))
    right = high - np.sqrt(np.clip((1.0 - u) * width * (high - mode), 0.0, None))
    return np.where(width > 0, np.where(u < split, left, right), low)


def triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    """P(X ≤ x) for X ~ Tri(low, mode, high) (used by tests and the exact cases)."""
    if x < low:
        return 0.0
    if x >= high:
        return 1.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low)) if mode > low else 0.0
    return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))


def standard_normals(draws: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The run's normal variates, in the documented order: z₀ cost, ε cost, z₀ duration, ε duration."""
    rng = np.random.default_rng(seed)
    z0_cost = rng.standard_normal(draws)
    eps_cost = rng.standard_normal((draws, n))
    z0_duration = rng.standard_normal(draws)
    eps_duration = rng.standard_normal((draws, n))
    return z0_cost, eps_cost, z0_duration, eps_duration


def uncertainty_arrays(maturity: np.ndarray, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) ``[low, mode, high]`` of the cost and of the duration of each operation, by maturity index."""
    table_cost = np.array([scenario.uncertainty[m].cost for m in _MATURITIES], dtype=float).reshape(-1, 3)
    table_duration = np.array([scenario.uncertainty[m].duration for m in _MATURITIES], dtype=float).reshape(-1, 3)
    return table_cost[maturity], table_duration[maturity]


def draw_fractions(maturity: np.ndarray, scenario: Scenario, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Cost draws ``c`` and duration draws ``d``, each (draws, n), through the Gaussian copula."""
    rho = scenario.uncertainty_correlation
    z0_cost, eps_cost, z0_duration, eps_duration = standard_normals(draws, len(maturity), seed)
    cost_tri, duration_tri = uncertainty_arrays(maturity, scenario)
    common, own = math.sqrt(rho), math.sqrt(1.0 - rho)
    u_cost = normal_cdf(common * z0_cost[:, None] + own * eps_cost)
    u_duration = normal_cdf(common * z0_duration[:, None] + own * eps_duration)
    cost = triangular_quantile(u_cost, cost_tri[:, 0], cost_tri[:, 1], cost_tri[:, 2])
    duration = triangular_quantile(u_duration, duration_tri[:, 0], duration_tri[:, 1], duration_tri[:, 2])
    return cost, duration


def drawn_durations(durations: np.ndarray, movable: np.ndarray, d: np.ndarray) -> np.ndarray:
    """(draws, n, 4) phase durations: ``round_half_up(months × (1 + d))`` where ``movable``, else kept."""
    scaled = np.floor(durations[None, :, :] * (1.0 + d[:, :, None]) + 0.5).astype(np.int64)
    return np.where(movable[None, :, :], scaled, durations[None, :, :])


def unbegun_mask(cols: PortfolioColumns, scenario: Scenario) -> np.ndarray:
    """(n, 4) True for each phase not yet begun at the reference month (the operation's own calendar)."""
    first = first_unbegun_phases(cols.start, cols.durations, parse_month(scenario.reference_month))
    return np.arange(len(PHASES))[None, :] >= first[:, None]


def maturity_indices(portfolio: Portfolio) -> np.ndarray:
    index = {m: k for k, m in enumerate(_MATURITIES)}
    return np.array([index[op.maturity] for op in portfolio.operations], dtype=np.int64)


# --- The run ---

RISK_OPERATION_COLUMNS: dict[str, str] = {
    "operation_id": "stable id (kept operations only)",
    "title": "title",
    "maturity": "maturity code",
    "directorate": "piloting directorate",
    "p_commitment_on_time": "share of draws whose commitment milestone is on or before the deadline",
    "p_completion_on_time": "share of draws whose completion is on or before the completion deadline",
    "p_on_time": "share of draws meeting both deadlines",
    "cost_ttc_plan": "TTC spending of the deterministic plan (simulate's spending_ttc)",
    "cost_ttc_mean": "mean TTC spending over the draws (escalated, incl. VAT)",
    "cost_ttc_p90": "90th percentile of the TTC spending",
    "anru_lost_plan": "ANRU lost in the deterministic plan",
    "anru_lost_mean": "mean ANRU lost over the draws",
    "overrun_share": "share of the P90 cost overrun (mean over the draws at or above the P90 of the "
    "portfolio's overrun against the plan, divided by that tail's mean overrun; 0 when none)",
}

RISK_YEARLY_COLUMNS: dict[str, str] = {
    "owner": "owner code",
    "year": "calendar year",
    "plan": "CP of the deterministic plan",
    "p10": "10th percentile of the CP over the draws",
    "p50": "median CP",
    "p90": "90th percentile of the CP",
    "envelope": "the scenario's envelope (NaN when none)",
    "p_over": "share of draws whose CP exceed the envelope by more than one euro (0 without envelope)",
}

RISK_STAFF_COLUMNS: dict[str, str] = {
    "directorate": "directorate with a headcount",
    "month": "'YYYY-MM', from the reference month",
    "headcount": "FTE",
    "p_overload": "share of draws whose load exceeds the headcount that month",
}


@dataclass(frozen=True)
class RiskResult:
    draws: int
    seed: int
    plan: Result  # the deterministic plan (simulate), shown beside every risk figure
    operations: pd.DataFrame  # RISK_OPERATION_COLUMNS
    yearly: pd.DataFrame  # RISK_YEARLY_COLUMNS
    staff: pd.DataFrame  # RISK_STAFF_COLUMNS
    anru_lost_draws: np.ndarray  # (draws,) portfolio ANRU lost per draw
    late_draws: np.ndarray  # (draws,) number of late operations per draw
    p_all_committed: float  # share of draws in which every kept operation meets the commitment deadline

    @property
    def anru_lost(self) -> dict[str, float]:
        return _mean_p90(self.anru_lost_draws)

    @property
    def late_operations(self) -> dict[str, float]:
        return _mean_p90(self.late_draws)

    @property
    def p_commitment_mean(self) -> float:
        """Mean over kept operations of P(commitment on time): the expected share committed on time."""
        p = self.operations["p_commitment_on_time"].to_numpy(dtype=float)
        return float(p.mean()) if len(p) else 1.0

    def to_json(self) -> dict[str, object]:
        """The CLI's fixed JSON shape (issue 10)."""
        ops = self.operations
        op_columns = ("p_commitment_on_time", "p_completion_on_time", "cost_ttc_mean", "cost_ttc_p90", "anru_lost_mean")
        op_values = {c: ops[c].to_numpy(dtype=float).tolist() for c in op_columns}
        operations = [
            {"id": str(op_id), **{c: op_values[c][k] for c in op_columns}}
            for k, op_id in enumerate(ops["operation_id"].tolist())
        ]
        yearly = self.yearly
        y_values = {c: yearly[c].to_numpy(dtype=float).tolist() for c in ("p10", "p50", "p90", "envelope", "p_over")}
        years = yearly["year"].to_numpy(dtype=np.int64).tolist()
        rows = [
            {
                "owner": str(owner),
                "year": years[k],
                "p10": y_values["p10"][k],
                "p50": y_values["p50"][k],
                "p90": y_values["p90"][k],
                "envelope": None if math.isnan(y_values["envelope"][k]) else y_values["envelope"][k],
                "p_over": y_values["p_over"][k],
            }
            for k, owner in enumerate(yearly["owner"].tolist())
        ]
        return {
            "draws": self.draws,
            "seed": self.seed,
            "operations": operations,
            "yearly": rows,
            "anru_lost": self.anru_lost,
            "late_operations": self.late_operations,
        }


def _mean_p90(values: np.ndarray) -> dict[str, float]:
    if len(values) == 0:
        return {"mean": 0.0, "p90": 0.0}
    return {"mean": float(np.mean(values)), "p90": float(np.percentile(values, 90))}


def simulate_risk(
    portfolio: Portfolio, scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> RiskResult:
    """``draws`` Monte Carlo runs of the scenario (see the module docstring for the model)."""
    draws = check_draws(draws)
    seed = check_seed(seed)
    plan_result = simulate(portfolio, scenario)  # also refuses choices that cannot apply
    drawn = _drawn(portfolio, scenario, draws, seed)
    cols, plan, chunks, stacked = drawn.cols, drawn.plan, drawn.chunks, drawn.stacked
    n = len(cols.ids)

    # One window for every chunk: the union of the windows simulate would use.
    first_year, last_year = 10_000, 0
    for lo, hi in chunks:
        first, last = run_rows_years(*stacked(lo, hi), scenario)
        first_year, last_year = min(first_year, first), max(last_year, last)
    years = np.arange(first_year, last_year + 1)
    n_years = len(years)

    teams = list(copy_directorates(cols))  # the directorates, then the coordination team
    n_dirs = len(teams)
    n_months = 12 * n_years
    headcount = monthly_headcount(teams, first_year * 12, n_months, scenario)  # recruitments month by month
    overloaded = np.zeros((n_dirs, n_months), dtype=np.int64)
    owner_onehot = (plan.owner[None, :] == np.arange(len(OWNERS))[:, None]).astype(float)
    spending_ttc = np.empty((draws, n))
    anru_lost = np.empty((draws, n))
    commitment_missed = np.empty((draws, n), dtype=bool)
    completion_missed = np.empty((draws, n), dtype=bool)
    owner_spending = np.empty((draws, len(OWNERS), n_years))
    for lo, hi in chunks:
        copies = hi - lo
        run = run_rows(*stacked(lo, hi), scenario, years=(first_year, last_year))
        spending = run.spending.reshape(copies, n, n_years)
        spending_ttc[lo:hi] = spending.sum(axis=2)
        anru_lost[lo:hi] = run.anru_lost.reshape(copies, n)
        commitment_missed[lo:hi] = run.commitment_missed.reshape(copies, n)
        completion_missed[lo:hi] = run.completion_missed.reshape(copies, n)
        owner_spending[lo:hi] = np.einsum("on,cny->coy", owner_onehot, spending)
        load = run.staff[: copies * n_dirs].reshape(copies, n_dirs, n_months)
        overloaded += (np.nan_to_num(load - headcount[None, :, :], nan=0.0) > STAFF_OVERLOAD_FTE).sum(axis=0)

    kept = plan.keep
    late = commitment_missed | completion_missed
    operations = _operations_table(
        portfolio, plan_result, kept, spending_ttc, anru_lost, commitment_missed, completion_missed
    )
    yearly = _yearly_table(plan_result, scenario, years, owner_spending)
    staff = _staff_table(teams, scenario, headcount, years, overloaded, draws)
    all_committed = ~(commitment_missed[:, kept]).any(axis=1) if n else np.ones(draws, dtype=bool)
    return RiskResult(
        draws=draws,
        seed=seed,
        plan=plan_result,
        operations=operations,
        yearly=yearly,
        staff=staff,
        anru_lost_draws=anru_lost.sum(axis=1),
        late_draws=late.sum(axis=1).astype(float),
        p_all_committed=float(all_committed.mean()),
    )


def commitment_odds(
    portfolio: Portfolio, scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> float:
    """``simulate_risk(...).p_commitment_mean`` from the same draws, computed on the dates alone
    (the money and the staff load are left out): the Synthèse card asks only for this figure."""
    draws = check_draws(draws)
    seed = check_seed(seed)
    simulate(portfolio, scenario)  # refuses, as simulate_risk does, choices that cannot apply
    drawn = _drawn(portfolio, scenario, draws, seed)
    kept = drawn.plan.keep
    if not kept.any():
        return 1.0
    n = len(drawn.cols.ids)
    missed = np.empty((draws, n), dtype=bool)
    for lo, hi in drawn.chunks:
        missed[lo:hi] = run_rows_commitment_missed(*drawn.stacked(lo, hi), scenario).reshape(hi - lo, n)
    return float((1.0 - missed.mean(axis=0))[kept].mean())


@dataclass(frozen=True)
class _Drawn:
    """The plan and the drawn cost and duration fractions of ``draws`` copies, by chunks of rows."""

    cols: PortfolioColumns
    plan: Plan
    cost: np.ndarray  # (draws, n) cost overrun fractions
    duration: np.ndarray  # (draws, n) duration fractions
    movable: np.ndarray  # (n, 4) phases not begun at the reference month
    chunks: list[tuple[int, int]]  # [lo, hi) ranges of draws, ROWS_PER_CHUNK rows at most each

    def stacked(self, lo: int, hi: int) -> tuple[PortfolioColumns, Plan]:
        """Copies ``lo`` to ``hi - 1`` as one portfolio of stacked rows (``stack_copies``)."""
        durations = drawn_durations(self.plan.durations, self.movable, self.duration[lo:hi])
        return stack_copies(self.cols, self.plan, 1.0 + self.cost[lo:hi], durations)


def _drawn(portfolio: Portfolio, scenario: Scenario, draws: int, seed: int) -> _Drawn:
    cols = portfolio_columns(portfolio)
    plan = plan_of(cols, scenario)
    cost, duration = draw_fractions(maturity_indices(portfolio), scenario, draws, seed)
    per_chunk = max(1, ROWS_PER_CHUNK // max(len(cols.ids), 1))
    chunks = [(lo, min(lo + per_chunk, draws)) for lo in range(0, draws, per_chunk)]
    return _Drawn(cols, plan, cost, duration, unbegun_mask(cols, scenario), chunks)


def _operations_table(
    portfolio: Portfolio,
    plan_result: Result,
    kept: np.ndarray,
    spending_ttc: np.ndarray,
    anru_lost: np.ndarray,
    commitment_missed: np.ndarray,
    completion_missed: np.ndarray,
) -> pd.DataFrame:
    ops = plan_result.operations
    plan_cost = ops["spending_ttc"].to_numpy(dtype=float)
    overrun = spending_ttc - plan_cost[None, :]
    total = overrun.sum(axis=1)
    if len(total):
        tail = total >= np.percentile(total, 90)
        tail_mean = float(total[tail].mean())
        share = overrun[tail].mean(axis=0) / tail_mean if tail_mean > 0 else np.zeros(len(plan_cost))
    else:
        share = np.zeros(len(plan_cost))
    table = pd.DataFrame(
        {
            "operation_id": ops["operation_id"].to_numpy(),
            "title": ops["title"].to_numpy(),
            "maturity": np.array([op.maturity.value for op in portfolio.operations], dtype=object),
            "directorate": ops["directorate"].to_numpy(),
            "p_commitment_on_time": 1.0 - commitment_missed.mean(axis=0),
            "p_completion_on_time": 1.0 - completion_missed.mean(axis=0),
            "p_on_time": 1.0 - (commitment_missed | completion_missed).mean(axis=0),
            "cost_ttc_plan": plan_cost,
            "cost_ttc_mean": spending_ttc.mean(axis=0),
            "cost_ttc_p90": np.percentile(spending_ttc, 90, axis=0) if len(spending_ttc) else plan_cost,
            "anru_lost_plan": ops["anru_lost"].to_numpy(dtype=float),
            "anru_lost_mean": anru_lost.mean(axis=0),
            "overrun_share": share,
        }
    )
    return table[kept].reset_index(drop=True)


def _yearly_table(
    plan_result: Result, scenario: Scenario, years: np.ndarray, owner_spending: np.ndarray
) -> pd.DataFrame:
    n_owners = len(OWNERS)
    envelope = np.full((n_owners, len(years)), np.nan)
    owner_index = {owner: k for k, owner in enumerate(OWNERS)}
    for owner, amounts in scenario.envelopes.items():
        for year, amount in amounts.items():
            if years[0] <= year <= years[-1]:
                envelope[owner_index[owner], year - years[0]] = amount
    shown = (np.abs(owner_spending).sum(axis=(0, 2)) > 0) | ~np.isnan(envelope).all(axis=1)
    quantiles = np.percentile(owner_spending, [10, 50, 90], axis=0)  # (3, owners, years)
    over = (np.nan_to_num(owner_spending - envelope[None], nan=-np.inf) > EURO_TOLERANCE).mean(axis=0)
    plan_yearly = plan_result.yearly.set_index(["owner", "year"])["spending_ttc"]
    rows = np.flatnonzero(shown)
    owner_names = np.array([o.value for o in OWNERS], dtype=object)
    owner_col = np.repeat(owner_names[rows], len(years))
    year_col = np.tile(years, len(rows))
    plan_values = plan_yearly.reindex(pd.MultiIndex.from_arrays([owner_col, year_col])).fillna(0.0).to_numpy()
    return pd.DataFrame(
        {
            "owner": owner_col,
            "year": year_col,
            "plan": plan_values,
            "p10": quantiles[0][rows].ravel(),
            "p50": quantiles[1][rows].ravel(),
            "p90": quantiles[2][rows].ravel(),
            "envelope": envelope[rows].ravel(),
            "p_over": over[rows].ravel(),
        }
    )


def _staff_table(
    teams: list[str],
    scenario: Scenario,
    headcount: np.ndarray,
    years: np.ndarray,
    overloaded: np.ndarray,
    draws: int,
) -> pd.DataFrame:
    """P(overload) per team and month from the reference month, for teams with a headcount.

    ``teams`` are the rows of ``headcount`` and ``overloaded`` (months × years); directorates that
    only the scenario's headcount names carry no load, so they are never overloaded.
    """
    months = years[0] * 12 + np.arange(12 * len(years))
    from_reference = months >= parse_month(scenario.reference_month)
    extra = sorted(set(scenario.headcount) - set(teams))
    # simulate's order: the directorates, those only the headcount names, the coordination team.
    order = [t for t in teams if t != COORDINATION_TEAM] + extra + [t for t in teams if t == COORDINATION_TEAM]
    rows = [teams.index(t) if t in teams else len(teams) + extra.index(t) for t in order]
    names = np.array(order, dtype=object)
    all_headcount = np.vstack(
        [headcount, monthly_headcount(extra, int(months[0]), len(months), scenario)] if extra else [headcount]
    )[rows]
    counts = np.vstack([overloaded, np.zeros((len(extra), overloaded.shape[1]), dtype=overloaded.dtype)])[rows]
    shown = all_headcount[:, from_reference]
    with_headcount = np.flatnonzero(~np.isnan(shown).all(axis=1))
    shown_months = months[from_reference]
    return pd.DataFrame(
        {
            "directorate": np.repeat(names[with_headcount], len(shown_months)),
            "month": np.tile(np.array([format_month(int(m)) for m in shown_months], dtype=object), len(with_headcount)),
            "headcount": shown[with_headcount].ravel(),
            "p_overload": (counts[with_headcount][:, from_reference] / draws).ravel(),
        }
    )


def where_to_act(risk: RiskResult, limit: int | None = None) -> pd.DataFrame:
    """Kept operations ranked by expected ANRU lost, then by their share of the P90 overrun.

    Operations with neither expected loss nor overrun share are left out. Columns: those of
    ``RISK_OPERATION_COLUMNS`` plus ``rank_anru`` and ``rank_overrun`` (1 = act first).
    """
    ops = risk.operations.copy()
    ops["rank_anru"] = ops["anru_lost_mean"].rank(ascending=False, method="first").astype(int)
    ops["rank_overrun"] = ops["overrun_share"].rank(ascending=False, method="first").astype(int)
    ops = ops[(ops["anru_lost_mean"] > EURO_NIL) | (ops["overrun_share"] > SHARE_NIL)]
    ops = ops.sort_values(["anru_lost_mean", "overrun_share", "operation_id"], ascending=[False, False, True])
    ops = ops.reset_index(drop=True)
    return ops if limit is None else ops.head(limit)


__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEED",
    "MAX_DRAWS",
    "RiskResult",
    "RiskSettingsError",
    "ScenarioError",
    "check_draws",
    "simulate_risk",
    "where_to_act",
]
