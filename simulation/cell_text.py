"""Text that a spreadsheet would run as a formula, and how every writer keeps it text.

A title such as ``=HYPERLINK("http://x","clic")`` typed by a directorate must come out of
our workbooks and CSV files as the text it is, never as a live formula (CSV injection,
OWASP). Spreadsheets start a formula on ``= + - @``, and some on a leading tab or carriage
return. This module decides, without touching any file format library: the XLSX writers
(``exports``, ``store``) call :func:`keep_as_text` on their workbook before saving, the CSV
writer calls :func:`csv_text` on every text cell, the import reads both back unchanged.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""

CSV_QUOTE = "'"
"""Prefix that spreadsheets read as « this cell is text » (and do not show)."""


def formula_like(value: object) -> bool:
    """Whether ``value`` is text a spreadsheet would evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: str) -> str:
    """``value`` for a CSV cell: formula-like text gets a leading ``'`` (and so does text that
    already starts with ``'`` before a formula sign, so that :func:`from_csv_text` gives it back)."""
    return CSV_QUOTE + value if _needs_quote(value) else value


def from_csv_text(value: str) -> str:
    """The inverse of :func:`csv_text`, for the import: ``'=1+1`` reads back as ``=1+1``."""
    return value[1:] if value.startswith(CSV_QUOTE) and _needs_quote(value[1:]) else value


def _needs_quote(value: str) -> bool:
    """Formula-like, or quotes (``'``) in front of formula-like text."""
    return formula_like(value) or (value.startswith(CSV_QUOTE) and _needs_quote(value[1:]))


def keep_as_text(book: Any) -> int:
    """Make every formula-like text cell of an openpyxl workbook a plain text cell.

    openpyxl stores a string starting with ``=`` as a formula; this sets such cells (and those
    starting with ``+ - @``, tab or CR) back to text type with Excel's « quote prefix », so that
    neither opening nor editing the cell runs it. Data validations (drop-down lists) are not
    cells and keep working. Returns how many cells were changed.
    """
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed
