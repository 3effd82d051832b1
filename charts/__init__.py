"""Altair chart builders: plain functions from a ``Result`` (and the portfolio) to a chart spec.

Pure: no Streamlit here. Pages draw these specs, and the committee exports render the very same
specs to PNG/SVG, so a chart looks the same on screen and in a note. French locale lives in the
spec (numbers ``1 234,5``, months ``mars 2027``), every axis says its unit, and the palette is
colour-blind safe (Okabe–Ito).
"""

from charts.calendar import GanttFrames, calendar_pages, gantt, gantt_frames
from charts.money import (
    SpendingFrames,
    compare_spending,
    limit_series,
    owner_envelopes,
    spending_chart,
    spending_frames,
    spending_vs_envelope,
    status_by_neighbourhood,
)
from charts.risk import commitment_odds, cp_fan, fan_caption
from charts.staff import staff_heatmap, staff_lines
from charts.theme import (
    CATEGORY_PALETTE,
    ENVELOPE_COLOUR,
    GROUPINGS,
    OKABE_ITO,
    OVERRUN_COLOUR,
    PHASE_COLOURS,
    STATUS_COLOURS,
    colour_word,
    finish,
)

__all__ = [
    "CATEGORY_PALETTE",
    "ENVELOPE_COLOUR",
    "GROUPINGS",
    "OKABE_ITO",
    "OVERRUN_COLOUR",
    "PHASE_COLOURS",
    "STATUS_COLOURS",
    "GanttFrames",
    "SpendingFrames",
    "calendar_pages",
    "colour_word",
    "commitment_odds",
    "compare_spending",
    "cp_fan",
    "fan_caption",
    "finish",
    "gantt",
    "gantt_frames",
    "limit_series",
    "owner_envelopes",
    "spending_chart",
    "spending_frames",
    "spending_vs_envelope",
    "staff_heatmap",
    "staff_lines",
    "status_by_neighbourhood",
]
