"""Calendar months as integers.

The engine counts months as ``year * 12 + (month - 1)`` so that phase arithmetic is plain
integer addition (a phase of ``d`` months starting at ``m`` ends at ``m + d - 1``) and whole
portfolios fit in numpy arrays. Users and files speak ``YYYY-MM``; these helpers translate.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")

FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def parse_month(value: object) -> int:
    """Month index of ``YYYY-MM`` text, a date or a datetime; ``ValueError`` in French otherwise."""
    if isinstance(value, datetime | date):
        return value.year * 12 + value.month - 1
    if isinstance(value, str):
        match = _MONTH_RE.match(value)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12:
                return year * 12 + month - 1
    raise ValueError(f"mois invalide {value!r} : format attendu AAAA-MM (par exemple 2027-03)")


def format_month(index: int) -> str:
    """``YYYY-MM`` text of a month index."""
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def month_year(index: int) -> int:
    return int(index) // 12


def french_month(index: int) -> str:
    """``mars 2027``: how the interface writes a month."""
    year, month0 = divmod(int(index), 12)
    return f"{FRENCH_MONTHS[month0]} {year}"


def normalise_month(value: object) -> str:
    """Canonical ``YYYY-MM`` text (used as a pydantic validator)."""
    return format_month(parse_month(value))
