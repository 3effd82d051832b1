"""Writing the store's operations in the import-template format (CSV and XLSX)."""

from __future__ import annotations

from pathlib import Path

from simulation.model import Portfolio
from store.template import COLUMN_HELP, COLUMNS, operation_to_row, write_csv


def export_operations(portfolio: Portfolio, directory: Path) -> list[Path]:
    """``operations.csv`` and ``operations.xlsx`` in ``directory``; both re-import as they are."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        csv_path = write_csv(portfolio, directory / "operations.csv")
        xlsx_path = write_xlsx(portfolio, directory / "operations.xlsx")
    except OSError as exc:
        raise OSError(f"impossible d'écrire dans {directory} : {exc.strerror or exc}") from None
    return [csv_path, xlsx_path]


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
    book.save(path)
    return path
