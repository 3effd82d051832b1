"""Every bound a person meets, in one place: what an operation and a scenario may hold, and what
the workshop levers offer.

The model's fields (``simulation.model``, ``simulation.scenario``), the blank import template
(``exports.import_template``), the Arbitrage lever table (``ui.frames.lever_table``), its sliders and the
phasing assistant all read these names; the README's table of limits is generated from them
(``docs/limits.py``). Change a limit here and every check, file and screen follows.

Two kinds of bound, on purpose:
- what a *scenario or operation* may hold (a file, the CLI, the database): the widest;
- what a *lever* offers in a workshop (the table's cells, a slider's reach): inside the first.
  A slider's reach is widened to show the value in force, so a choice made elsewhere (200 % in
  the table) is never drawn as another value (150 %) on the slider.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- an operation

PHASE_MONTHS_MAX = 240
"""Longest phase, in months (20 years), for every phase."""
WORKS_MONTHS_MIN = 1
"""The works phase lasts at least one month (the other phases may last zero)."""
PRIORITY_RANGE = (1, 5)
"""Priority: 1 highest, 5 lowest."""
PRICE_YEAR_RANGE = (1990, 2100)
"""Price year of an operation's cost."""
VAT_RATE_MAX = 0.30
"""Highest VAT rate (a fraction: 0.30 for 30 %)."""
AREA_M2_MAX = 10_000_000
"""Largest floor area, in m² (a typo guard: no facility comes near)."""
CAPACITY_MAX = 1_000_000
"""Largest capacity, in classes or places (a typo guard)."""

# --------------------------------------------------------------------------- a scenario's choices

MAX_SHIFT_MONTHS = 240
"""The largest delay or advance a scenario may ask for one operation (20 years)."""
COST_FACTOR_MAX = 5.0
"""A scenario's cost factor k: 0 < k ≤ 5 (scope reduced or enlarged; funding × min(k, 1))."""
YEAR_RANGE = (2000, 2100)
"""Years a scenario's horizon and envelopes may name."""
RECRUITMENT_LEAD_MONTHS_MAX = 60
"""Longest recruitment lead a scenario may state, in months."""

# --------------------------------------------------------------------------- workshop levers

COST_PERCENT_RANGE = (10, 300)
"""Cost factor a lever may set, in % of the programme (inside the scenario's 0 < k ≤ 5)."""
COST_SLIDER_PERCENT = (50, 150)
"""The cost slider's usual reach, in %; widened to the value in force, the table reaches the rest."""
COST_STEP_PERCENT = 5
"""Step of the cost slider and of the table's cost cell, in %."""
SHIFT_SLIDER_MONTHS = 120
"""The shift slider's reach (± months) around no shift; widened to the value in force, the
table reaches the scenario's ±``MAX_SHIFT_MONTHS``."""
PHASING_MAX_SHIFT_INPUT = 120
"""Largest shift the phasing assistant's form offers (the assistant itself accepts ``MAX_SHIFT_MONTHS``)."""
PHASING_MAX_SHIFT_STEP = 3
"""Step of that form field, in months (a quarter)."""
ENVELOPE_LEVELS = tuple(round(0.5 + 0.05 * i, 2) for i in range(21))
"""The envelope level slider: 50 % to 150 % of the saved scenario's envelopes, by 5 %."""
ESCALATION_RATES = tuple(round(0.005 * i, 3) for i in range(21))
"""The escalation slider: 0 % to 10 % a year, by 0,5 %."""
HEADCOUNT_STEP = 0.5
"""Step of a headcount slider, in FTE."""
HEADCOUNT_SLIDER_MAX = 40.0
"""Top of a headcount slider, in FTE (a larger headcount in force is still shown)."""
HEADCOUNTS = tuple(HEADCOUNT_STEP * i for i in range(int(HEADCOUNT_SLIDER_MAX / HEADCOUNT_STEP) + 1))
"""A directorate's headcount slider: 0 to 40 FTE by half an FTE (the value in force is added)."""


def slider_reach(low: int, high: int, value: int) -> tuple[int, int]:
    """A slider's bounds: its usual reach ``low``–``high`` widened to show ``value`` as it is."""
    return min(low, value), max(high, value)
