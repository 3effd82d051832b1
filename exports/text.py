"""French texts shared by every export: dates of edition, quotes, KPI values and typography.

Numbers always come from ``simulation.fr``; this module only adds what a printed document needs
on top (a day-precise date, « guillemets » and no-break spaces before ``: ; ? !``).
"""

from __future__ import annotations

import re
from datetime import date

from simulation import fr
from simulation.months import FRENCH_MONTHS

NBSP = fr.NBSP
MINUS = "\u2212"


def french_date(day: date) -> str:
    """``3 mars 2026``, ``1er avril 2026`` (no-break spaces, so a date never breaks)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number}{NBSP}{FRENCH_MONTHS[day.month - 1]}{NBSP}{day.year}"


def quote(name: str) -> str:
    """``« Référence »`` with the no-break spaces French guillemets take."""
    return f"«{NBSP}{name}{NBSP}»"


_BEFORE_PUNCTUATION = re.compile(r" ([:;?!»])")
_AFTER_GUILLEMET = re.compile(r"« ")


def typography(text: str) -> str:
    """No-break spaces before ``: ; ? ! »`` and after ``«`` (French typography)."""
    return _AFTER_GUILLEMET.sub(f"«{NBSP}", _BEFORE_PUNCTUATION.sub(NBSP + r"\1", text))


kpi_value = fr.kpi_value


def kpi_delta(key: str, delta: float) -> str:
    """``simulation.fr.kpi_delta`` as printed: ``+1,2 M€``, ``−3`` (true minus) or ``=`` when nil."""
    text = fr.kpi_delta(key, delta)
    if text is None:
        return "="
    return MINUS + text[1:] if text.startswith("-") else text


kpi_judgement = fr.kpi_judgement
