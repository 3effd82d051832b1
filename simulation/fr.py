"""French formatting of numbers, amounts and months: the one place the interface, the CLI
and the exports take their ``1 234 567 €``, ``12,5 M€``, ``3,5 %`` and ``mars 2027`` from.

Thousands are separated by a no-break space and units by a no-break space, as French
typography wants, so an amount never breaks across lines.
"""

from __future__ import annotations

import math

from simulation.months import french_month, parse_month
from simulation.tolerances import FTE_DELTA_NIL, MONEY_DELTA_NIL

NBSP = "\u00a0"


def number(value: float | int | None, decimals: int = 0) -> str:
    """``1 234 567`` or ``12,5``; an em dash for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def euros(value: float | None) -> str:
    """``1 234 567 €`` (rounded to the euro)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{number(round(value))}{NBSP}€"


def meuros(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """``12,5 M€`` for amounts in euros; ``+1,2 M€`` with ``signed``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    millions = value / 1e6
    if abs(millions) < 0.5 * 10**-decimals:
        millions = 0.0
    sign = "+" if signed and millions > 0 else ""
    return f"{sign}{number(millions, decimals)}{NBSP}M€"


def percent(value: float | None, decimals: int = 1) -> str:
    """``3,5 %`` for a fraction 0.035."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{number(value * 100, decimals)}{NBSP}%"


def fte(value: float | None) -> str:
    """``2,5 ETP`` (équivalents temps plein)."""
    return "—" if value is None else f"{number(value, 1)}{NBSP}ETP"


def load(value: float | None) -> str:
    """A staff load with the decimals it needs: ``0,3 ETP``, ``0,02 ETP``, ``0,035 ETP``.

    A per-operation load is often a few hundredths of a full-time post: written with one decimal
    (``fte``) it reads ``0,0 ETP``, a figure that contradicts the recruitments it adds up to.
    At least one decimal, at most three; the shortest writing that keeps the value.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    for decimals in (1, 2):
        if abs(round(value, decimals) - value) < 1e-9:
            return f"{number(value, decimals)}{NBSP}ETP"
    return f"{number(value, 3)}{NBSP}ETP"


def month(text: str | None) -> str:
    """``mars 2027`` for ``2027-03``."""
    return "—" if not text else french_month(parse_month(text))


def of_month(text: str | None) -> str:
    """``de mars 2027``, ``d'août 2025``, ``d'octobre 2026``: « de » elided before a vowel, as written."""
    name = month(text)
    return f"d'{name}" if name[:1] in "aeiouyéAEIOUYÉ" else f"de {name}"


def count(value: float, singular: str, plural: str | None = None, decimals: int = 0) -> str:
    """``1 opération``, ``3 opérations``, ``43,5 opérations`` (a mean): never « opération(s) ».

    French puts the singular below 2 (``1,5 opération``)."""
    word = singular if abs(value) < 2 else (plural or singular + "s")
    return f"{number(value, decimals)}{NBSP}{word}"


def kpi_value(key: str, value: float) -> str:
    """A headline figure as every screen and export shows it: ``12,5 M€``, ``2,5 ETP`` or ``12``."""
    from simulation.labels import FTE_KPIS, MONEY_KPIS

    if key in MONEY_KPIS:
        return meuros(value)
    if key in FTE_KPIS:
        return fte(value)
    return number(value)


def signed_count(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def kpi_delta(key: str, delta: float) -> str | None:
    """The difference of a headline figure to the reference, ``+1,2 M€``, ``-0,5 ETP``, ``+3``;
    ``None`` when it would read as nil (below ``MONEY_DELTA_NIL``, ``FTE_DELTA_NIL``, or 0)."""
    from simulation.labels import FTE_KPIS, MONEY_KPIS

    if key in MONEY_KPIS:
        return None if abs(delta) < MONEY_DELTA_NIL else meuros(delta, signed=True)
    if key in FTE_KPIS:
        return None if abs(delta) < FTE_DELTA_NIL else ("+" if delta > 0 else "") + fte(delta)
    return None if delta == 0 else signed_count(int(delta))


def kpi_judgement(key: str, delta: float) -> int:
    """+1 when the difference to the reference is an improvement, -1 when worse, 0 when it reads nil."""
    from simulation.labels import LOWER_IS_BETTER

    if kpi_delta(key, delta) is None:
        return 0
    better = delta < 0 if key in LOWER_IS_BETTER else delta > 0
    return 1 if better else -1
