"""Calendar months as integers.

The engine counts months as ``year * 12 + (month - 1)`` so that phase arithmetic is plain
integer addition (a phase of ``d`` months starting at ``m`` ends at ``m + d - 1``) and whole
portfolios fit in numpy arrays. Users and files speak ``YYYY-MM``; these helpers translate.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_FRENCH_MONTH_RE = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")  # 03/2027, as French spreadsheets write it

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
        year_month = _MONTH_RE.match(value)
        month_year = _FRENCH_MONTH_RE.match(value)
        parts = None
        if year_month:
            parts = int(year_month.group(1)), int(year_month.group(2))
        elif month_year:
            parts = int(month_year.group(2)), int(month_year.group(1))
        if parts is not None and 1 <= parts[1] <= 12:
            return parts[0] * 12 + parts[1] - 1
    raise ValueError(f"mois invalide {value!r} : format attendu AAAA-MM (par exemple 2027-03) ou MM/AAAA")


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


def month_index(text: pd.Series) -> np.ndarray:
    """Month indices of a column of ``YYYY-MM`` text (vectorised ``parse_month`` for engine output)."""
    values = text.astype(str)
    return values.str.slice(0, 4).astype(int).to_numpy() * 12 + values.str.slice(5, 7).astype(int).to_numpy() - 1
