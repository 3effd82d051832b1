"""What a delay or an advance moves: the phases not yet begun at the reference month.

DOMAIN.md, "Operations already started": an operation whose start month precedes the reference
month is under way. A delay of k months postpones its phases not yet begun at the reference
month; the phase in progress keeps its dates and the next phase starts k months later. An
advance never brings a phase before the reference month. A phase that starts in the reference
month itself has not begun. An operation that has not started moves as a whole (its first
phase is the first not begun).

The engine applies this to whole arrays (``first_unbegun_phases``); the scenario's checks and
the Arbitrage lever ask ``shift_range`` for one operation. The loop oracle re-derives the rule
on its own, so the two are tested against each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from simulation.limits import MAX_SHIFT_MONTHS
from simulation.model import PHASES

ALL_BEGUN = len(PHASES)
"""``first_unbegun_phases`` value of an operation whose every phase began before the reference month."""


def first_unbegun_phases(starts: np.ndarray, durations: np.ndarray, reference: int) -> np.ndarray:
    """Index (0–3) of each operation's first phase starting on or after ``reference``; 4 when none.

    ``starts`` are planned start months (n,), ``durations`` the planned phase durations (n, 4).
    Phases are contiguous, so the begun ones are a prefix: their count is the index sought.
    """
    offsets = np.cumsum(durations, axis=1) - durations
    phase_starts = starts[:, None] + offsets
    return (phase_starts < reference).sum(axis=1).astype(np.int64)


def first_unbegun_phase(start: int, durations: Sequence[int], reference: int) -> int:
    """``first_unbegun_phases`` for one operation (start month and its four durations)."""
    month = start
    for k, months in enumerate(durations):
        if month >= reference:
            return k
        month += months
    return ALL_BEGUN


def phase_start(start: int, durations: Sequence[int], phase: int) -> int:
    """Planned start month of phase ``phase`` (0–3) when phases follow each other from ``start``."""
    return start + sum(durations[:phase])


def shift_range(start: int, planned: Sequence[int], durations: Sequence[int], reference: int) -> tuple[int, int] | None:
    """Lowest and highest shift (months) allowed for one operation, or ``None`` if nothing can move.

    ``planned`` are the operation's own durations (they tell which phases had begun);
    ``durations`` those the scenario uses (they place the phases). The lowest shift brings the
    first phase not yet begun exactly to the reference month.
    """
    first = first_unbegun_phase(start, planned, reference)
    if first == ALL_BEGUN:
        return None
    earliest = reference - phase_start(start, durations, first)
    return max(-MAX_SHIFT_MONTHS, min(0, earliest)), MAX_SHIFT_MONTHS


def durations_with(planned: Mapping[str, int], overrides: Mapping[str, int | None]) -> list[int]:
    """The four phase durations of an operation with a scenario's overrides applied."""
    return [overrides.get(p) if overrides.get(p) is not None else planned[p] for p in PHASES]  # type: ignore[misc]
