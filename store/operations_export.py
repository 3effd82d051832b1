"""Writing the store's operations in the import-template format (CSV and XLSX)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from simulation.cell_text import keep_as_text
from simulation.import_columns import COLUMN_HELP, COLUMNS
from simulation.model import Portfolio
from store.import_file import operation_to_row, write_csv


def export_operations(portfolio: Portfolio, directory: Path) -> list[Path]:
    """``operations.csv`` and ``operations.xlsx`` in ``directory``; both re-import as they are."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        csv_path = write_csv(portfolio, directory / "operations.csv")
        xlsx_path = write_xlsx(portfolio, directory / "operations.xlsx")
    except OSError as exc:
        raise OSError(f"impossible d'écrire dans {directory} : {exc.strerror or exc}") from None
    return [csv_path, xlsx_path]


def blank_csv_bytes() -> bytes:
    """The blank CSV template: the header row only. The blank Excel template, with its drop-down
    lists, is ``exports.template_xlsx`` (one blank template, written in one place)."""
    return operations_bytes(Portfolio(neighbourhoods=(), operations=()), "csv")


def operations_bytes(portfolio: Portfolio, kind: Literal["csv", "xlsx"]) -> bytes:
    """``portfolio`` in the template format as bytes, for a download (re-imports as it is)."""
    writer = write_csv if kind == "csv" else write_xlsx
    with tempfile.TemporaryDirectory(prefix="simulateur-export-") as folder:
        return writer(portfolio, Path(folder) / f"operations.{kind}").read_bytes()


def write_xlsx(portfolio: Portfolio, path: Path) -> Path:
    """Template workbook: an ``operations`` sheet (real numbers, frozen header, filters) and a
    ``colonnes`` sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "operations"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for op in portfolio.operations:
        row = operation_to_row(op)
        sheet.append([row[c] for c in COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    help_sheet = book.create_sheet("colonnes")
    help_sheet.append(["colonne", "description"])
    for column in COLUMNS:
        help_sheet.append([column, COLUMN_HELP[column]])
    keep_as_text(book)  # an operation titled "=1+1" stays text
    book.save(path)
    return path
