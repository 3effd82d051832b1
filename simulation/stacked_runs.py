"""Many variants of one portfolio run at once through the engine's own rules (the risk draws).

``stack_copies`` makes N copies of the portfolio one portfolio of N·n rows; ``run_rows`` applies
``simulate``'s schedule and flows to those rows without building the result tables. The rules
stay the engine's (``simulation.engine``): only the stacking lives here.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from simulation.columns import PortfolioColumns
from simulation.engine import Plan, _flows, _schedule, _Window, _window, deadline_misses
from simulation.model import PHASES
from simulation.scenario import COORDINATION_TEAM, Scenario


def stack_copies(
    cols: PortfolioColumns, plan: Plan, cost_scale: np.ndarray, durations: np.ndarray
) -> tuple[PortfolioColumns, Plan]:
    """``copies`` variants of the portfolio as one portfolio of ``copies × n`` rows.

    ``cost_scale`` (copies, n) multiplies each row's HT cost (the financing lines stay as they
    are); ``durations`` (copies, n, 4) replaces the plan's phase durations. Row ``c·n + i`` is
    operation ``i`` of copy ``c``; each copy waits only for its own predecessors (dependency
    indices are offset) and has its own directorates, the coordination team included
    (``copy_directorates``, D' of them, index ``c·D' + d``), so the staff load of copy ``c`` is
    rows ``c·D' … c·D' + D' − 1`` of the stacked load. The operations' own calendar
    (which phases had begun at the reference month) is unchanged.
    """
    copies, n = cost_scale.shape
    offsets = (np.arange(copies, dtype=np.int64) * n)[:, None]

    def tiled(value: object) -> object:
        """Per-operation arrays (first axis n) repeated for each copy; anything else as is."""
        if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == n:
            return np.tile(value, (copies,) + (1,) * (value.ndim - 1))
        return value

    # Every per-operation column is tiled (columns added later follow without change here),
    # then the few that are not plain copies are set.
    changes: dict[str, object] = {f.name: tiled(getattr(cols, f.name)) for f in dataclasses.fields(cols)}
    # Each copy has its own directorates and its own coordination team row (index c·D' + d).
    own = copy_directorates(cols)
    width = len(own)
    changes.update(
        index={},
        cost_ht=(cols.cost_ht[None, :] * cost_scale).ravel(),
        directorate=(cols.directorate[None, :] + np.arange(copies)[:, None] * width).ravel(),
        directorates=own * copies,
        coordination_row=np.repeat(np.arange(copies) * width + own.index(COORDINATION_TEAM), n),
        dependency=np.where(cols.dependency[None, :] >= 0, cols.dependency[None, :] + offsets, -1).ravel(),
        dependency_levels=tuple((level[None, :] + offsets).ravel() for level in cols.dependency_levels),
    )
    stacked_cols = dataclasses.replace(cols, **changes)  # type: ignore[arg-type]
    stacked_plan = Plan.__new__(Plan)
    for name, value in vars(plan).items():
        setattr(stacked_plan, name, tiled(value))
    stacked_plan.durations = durations.reshape(copies * n, len(PHASES)).astype(np.int64)
    return stacked_cols, stacked_plan


@dataclasses.dataclass(frozen=True)
class RowsRun:
    """Dates and money of ``simulate``'s rules applied to the rows of (stacked) columns."""

    window_years: np.ndarray  # (Y,) calendar years of ``spending``'s columns
    works_start: np.ndarray  # (n,) month index
    completion: np.ndarray  # (n,) month index
    commitment_missed: np.ndarray  # (n,) bool
    completion_missed: np.ndarray  # (n,) bool
    anru_lost: np.ndarray  # (n,) euros
    spending: np.ndarray  # (n, Y) TTC escalated
    staff: np.ndarray  # (directorates, M) FTE, months from January of window_years[0]


def run_rows(cols: PortfolioColumns, plan: Plan, scenario: Scenario, years: tuple[int, int] | None = None) -> RowsRun:
    """``simulate``'s schedule and flows on columns and a plan, without the result tables.

    ``years`` (first, last) fixes the window (several chunks of draws then share one); by
    default it is ``simulate``'s. ``run_rows_years`` gives the window one run would use.
    """
    dates = _schedule(cols, plan, scenario)
    window = _window(cols, plan, dates, scenario) if years is None else _Window(*years)
    flows = _flows(cols, plan, dates, window, scenario)
    return RowsRun(
        window_years=window.years,
        works_start=dates.works_start,
        completion=dates.completion,
        commitment_missed=flows.commitment_missed,
        completion_missed=flows.completion_missed,
        anru_lost=flows.anru_lost,
        spending=flows.spending,
        staff=flows.staff,
    )


def run_rows_commitment_missed(cols: PortfolioColumns, plan: Plan, scenario: Scenario) -> np.ndarray:
    """``run_rows(...).commitment_missed`` from the schedule alone (no money, no staff): what a
    Monte Carlo of the deadlines needs, several times faster."""
    return deadline_misses(plan, _schedule(cols, plan, scenario), scenario)[1]


def run_rows_years(cols: PortfolioColumns, plan: Plan, scenario: Scenario) -> tuple[int, int]:
    """First and last year of the window ``simulate`` would use for these rows."""
    window = _window(cols, plan, _schedule(cols, plan, scenario), scenario)
    return window.first_year, window.last_year


def copy_directorates(cols: PortfolioColumns) -> tuple[str, ...]:
    """The staff rows of one copy made by ``stack_copies``: the directorates, then the coordination team."""
    return cols.directorates if COORDINATION_TEAM in cols.directorates else (*cols.directorates, COORDINATION_TEAM)
