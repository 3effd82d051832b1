"""Cell values the way French spreadsheets write them: numbers with a decimal comma, coded values."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from simulation import fr
from simulation.cell_text import from_csv_text
from simulation.import_columns import (
    COLUMNS,
    NUMBER_COLUMNS,
)
from simulation.model import FacilityType, Maturity, Nature, Owner


def normalise_key(text: str) -> str:
    """Lower case, no accents, underscores: how headers and coded values are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").replace("'", " ").split())


CODES: dict[str, dict[str, str]] = {
    "type": {normalise_key(t.value): t.value for t in FacilityType},
    "nature": {normalise_key(n.value): n.value for n in Nature},
    "maitre_ouvrage": {normalise_key(o.value): o.value for o in Owner},
    "maturite": {normalise_key(m.value): m.value for m in Maturity},
}


def parse_number(value: Any, integer: bool = False) -> float | int | None:
    """A French or English written number: ``1 234,5``, ``1234.5``, ``1.234,5``; None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise ValueError("nombre fini attendu") from None
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
        if not text:
            return None
        if "," in text and "." in text:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError("nombre attendu") from None
        if math.isinf(number) and "inf" not in text.lower():
            raise ValueError(
                f"nombre démesuré ({fr.number(len(text), 0)} caractères) : il dépasse tout montant possible"
            )
    if not math.isfinite(number):
        raise ValueError("nombre fini attendu")
    if integer:
        if number != int(number):
            raise ValueError("nombre entier attendu")
        return int(number)
    return number


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return from_csv_text(str(value).strip())


def contained_columns(key: str) -> list[str]:
    """A known column whose name is part of ``key`` (``subvention_anru`` → ``anru``)."""
    parts = set(key.split("_"))
    return [column for column in COLUMNS if column in parts or column.split("_")[0] in parts][:1]


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


GROUPED_BY_DOT = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")

_POINT_DECIMAL = re.compile(r"^[+-]?\d*\.(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(,\d{3})+\.\d+$")


def decimal_point_proven(body: list[tuple[int, list[Any]]], position: dict[str, int]) -> bool:
    """Whether the file writes decimals with a point (``1800000.25``, ``1,234.5``) and never
    with a comma (``12,5``): only then is ``1.234`` a decimal number."""
    numeric = [i for column, i in position.items() if column in NUMBER_COLUMNS]
    proven = False
    for _, cells in body:
        for i in numeric:
            cell = cells[i] if i < len(cells) else None
            if not isinstance(cell, str):
                continue
            text = cell.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            if "," in text and "." not in text:
                return False
            proven = proven or bool(_POINT_DECIMAL.match(text))
    return proven
