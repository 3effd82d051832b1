"""The portfolio as numpy columns, built once per portfolio and reused by every simulation.

Converting ~100 (or 3 000) pydantic objects to arrays costs more than a whole simulation, so
the arrays are cached on the (immutable) portfolio object itself.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from simulation.model import FUNDERS, Owner, Portfolio
from simulation.months import parse_month

OWNERS: tuple[Owner, ...] = tuple(Owner)


@dataclass(frozen=True)
class PortfolioColumns:
    ids: np.ndarray  # (n,) object
    index: dict[str, int]
    start: np.ndarray  # (n,) int month index
    durations: np.ndarray  # (n, 4) int months per phase
    cost_ht: np.ndarray  # (n,) float, euros of price_year
    vat_rate: np.ndarray  # (n,) float
    price_year: np.ndarray  # (n,) int
    funding: np.ndarray  # (n, F) float, funders in FUNDERS order
    owner: np.ndarray  # (n,) int index into OWNERS
    directorate: np.ndarray  # (n,) int index into directorates
    directorates: tuple[str, ...]
    dependency: np.ndarray  # (n,) int index of the operation waited for, -1 if none
    dependency_levels: tuple[np.ndarray, ...]  # indices of dependent ops, by depth 1, 2, ...
    titles: np.ndarray  # (n,) object
    neighbourhoods: np.ndarray  # (n,) object, codes
    facility_types: np.ndarray  # (n,) object, codes
    priority: np.ndarray  # (n,) int
    ap_voted: np.ndarray  # (n,) float, AP voted TTC, NaN when none
    has_actuals: np.ndarray  # (n,) bool, the accounts hold at least one year of this operation
    paid: np.ndarray  # (n, len(actual_years)) CP paid (mandate_ttc) per operation and year
    actual_years: tuple[int, ...]  # the years ``paid``'s columns stand for (a tuple: never tiled)
    coordination_row: np.ndarray | None = None
    """(n,) staff row of the coordination team each operation loads; None: the one team row.
    Set only for stacked copies of a portfolio (each copy has its own team row)."""


_CACHE: dict[int, tuple[weakref.ref[Portfolio], PortfolioColumns]] = {}


def portfolio_columns(portfolio: Portfolio) -> PortfolioColumns:
    """Columns of a portfolio, cached by object identity (portfolios are immutable).

    Identity, not equality: hashing a hundred operations would cost more than the cache saves,
    and a cache entry dies with its portfolio.
    """
    key = id(portfolio)
    entry = _CACHE.get(key)
    if entry is not None and entry[0]() is portfolio:
        return entry[1]
    columns = _build(portfolio)

    def forget(_ref: weakref.ref[Portfolio]) -> None:
        _CACHE.pop(key, None)

    _CACHE[key] = (weakref.ref(portfolio, forget), columns)
    return columns


def _build(portfolio: Portfolio) -> PortfolioColumns:
    ops = portfolio.operations
    n = len(ops)
    index = {op.id: i for i, op in enumerate(ops)}
    directorates = tuple(sorted({op.directorate for op in ops}))
    directorate_index = {d: i for i, d in enumerate(directorates)}
    owner_index = {o: i for i, o in enumerate(OWNERS)}
    dependency = np.array([index[op.depends_on] if op.depends_on is not None else -1 for op in ops], dtype=np.int64)
    has_actuals, paid, actual_years = _actual_columns(portfolio, index)
    return PortfolioColumns(
        ids=np.array([op.id for op in ops], dtype=object),
        index=index,
        start=np.array([parse_month(op.start) for op in ops], dtype=np.int64).reshape(n),
        durations=np.array(
            [(op.programming_months, op.design_months, op.tendering_months, op.works_months) for op in ops],
            dtype=np.int64,
        ).reshape(n, 4),
        cost_ht=np.array([op.cost_ht for op in ops], dtype=float).reshape(n),
        vat_rate=np.array([op.vat_rate for op in ops], dtype=float).reshape(n),
        price_year=np.array([op.price_year for op in ops], dtype=np.int64).reshape(n),
        funding=np.array([[op.funding.get(f, 0.0) for f in FUNDERS] for op in ops], dtype=float).reshape(
            n, len(FUNDERS)
        ),
        owner=np.array([owner_index[op.owner] for op in ops], dtype=np.int64).reshape(n),
        directorate=np.array([directorate_index[op.directorate] for op in ops], dtype=np.int64).reshape(n),
        directorates=directorates,
        dependency=dependency,
        dependency_levels=_levels(dependency),
        titles=np.array([op.title for op in ops], dtype=object),
        neighbourhoods=np.array([op.neighbourhood for op in ops], dtype=object),
        facility_types=np.array([op.facility_type.value for op in ops], dtype=object),
        priority=np.array([op.priority for op in ops], dtype=np.int64).reshape(n),
        ap_voted=np.array([np.nan if op.ap_votee is None else op.ap_votee for op in ops], dtype=float).reshape(n),
        has_actuals=has_actuals,
        paid=paid,
        actual_years=actual_years,
    )


def _actual_columns(portfolio: Portfolio, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    """The accounts as an (operations x years) matrix of CP paid."""
    n = len(portfolio.operations)
    years = tuple(sorted({a.year for a in portfolio.actuals}))
    column = {year: j for j, year in enumerate(years)}
    paid = np.zeros((n, len(years)))
    has = np.zeros(n, dtype=bool)
    for actual in portfolio.actuals:
        i = index[actual.operation_id]
        paid[i, column[actual.year]] += actual.mandate_ttc
        has[i] = True
    return has, paid, years


def _levels(dependency: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dependent operations grouped by depth, so pushes can be applied level by level.

    The portfolio guarantees there is no cycle, so depths are finite.
    """
    n = len(dependency)
    depth = np.zeros(n, dtype=np.int64)
    for _ in range(n):
        has_dep = dependency >= 0
        new_depth = np.where(has_dep, depth[np.maximum(dependency, 0)] + 1, 0)
        if np.array_equal(new_depth, depth):
            break
        depth = new_depth
    return tuple(np.flatnonzero(depth == level) for level in range(1, int(depth.max(initial=0)) + 1))
