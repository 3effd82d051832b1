"""Writing the store's operations in the import-template format (CSV and XLSX)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

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


def blank_portfolio() -> Portfolio:
    """No operation at all: what the blank template is written from."""
    return Portfolio(neighbourhoods=(), operations=())


def write_blank_template(directory: Path) -> list[Path]:
    """``modele_operations.csv`` and ``modele_operations.xlsx`` in ``directory``: the header only
    (the workbook also has its ``colonnes`` help sheet), for a directorate to fill in."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        csv_path = write_csv(blank_portfolio(), directory / "modele_operations.csv")
        xlsx_path = write_xlsx(blank_portfolio(), directory / "modele_operations.xlsx")
    except OSError as exc:
        raise OSError(f"impossible d'écrire dans {directory} : {exc.strerror or exc}") from None
    return [csv_path, xlsx_path]


def template_bytes(portfolio: Portfolio | None, kind: Literal["csv", "xlsx"]) -> bytes:
    """The template file of ``portfolio`` (the blank template when None) as bytes, for a download."""
    writer = write_csv if kind == "csv" else write_xlsx
    with tempfile.TemporaryDirectory(prefix="simulateur-export-") as folder:
        path = writer(portfolio if portfolio is not None else blank_portfolio(), Path(folder) / f"operations.{kind}")
        return path.read_bytes()


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
