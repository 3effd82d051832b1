"""Writing operations back as the file the directorates fill in (CSV for French spreadsheets, XLSX)."""

from __future__ import annotations

import csv
import errno
import io
import tempfile
from pathlib import Path
from typing import Any, Literal

from simulation.cell_text import csv_text, keep_as_text
from simulation.import_columns import (
    COLUMN_HELP,
    COLUMNS,
    FIELD_OF_COLUMN,
    FUNDER_COLUMNS,
    VERSION_COLUMN,
)
from simulation.model import FUNDERS, Operation, Portfolio


def operation_to_row(op: Operation) -> dict[str, Any]:
    """One template row (French columns) of an operation; the inverse of the import."""
    row: dict[str, Any] = {}
    for column in COLUMNS:
        if column in FUNDER_COLUMNS:
            row[column] = op.funding.get(FUNDERS[FUNDER_COLUMNS.index(column)], 0.0)
            continue
        value = getattr(op, FIELD_OF_COLUMN[column])
        if column == "taux_tva":
            value = round(value * 100, 6)
        elif hasattr(value, "value"):
            value = value.value
        row[column] = value
    return row


def csv_cell(value: Any) -> str:
    """One CSV cell for a French spreadsheet: decimal comma, text escaped (never a formula)."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",")
    return csv_text(value) if isinstance(value, str) else str(value)


def write_csv(portfolio: Portfolio, path: str | Path, versions: dict[str, int] | None = None) -> Path:
    """Template CSV as French spreadsheets open it: UTF-8 with BOM, ``;``, decimal comma.

    ``versions`` (an export of the store) adds the ``version`` column: re-imported, each row is
    checked against what changed since (``store.stale``)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*COLUMNS, *([VERSION_COLUMN] if versions is not None else [])])
    for op in portfolio.operations:
        row = operation_to_row(op)
        version = [str(versions.get(op.id, ""))] if versions is not None else []
        writer.writerow([csv_cell(row[c]) for c in COLUMNS] + version)
    path = Path(path)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
    return path


def export_operations(portfolio: Portfolio, directory: Path, versions: dict[str, int] | None = None) -> list[Path]:
    """``operations.csv`` and ``operations.xlsx`` in ``directory``; both re-import as they are."""
    if directory.exists() and not directory.is_dir():
        raise OSError(f"impossible d'écrire dans {directory} : c'est un fichier, un dossier est attendu")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        csv_path = write_csv(portfolio, directory / "operations.csv", versions)
        xlsx_path = write_xlsx(portfolio, directory / "operations.xlsx", versions)
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0, "erreur du système de fichiers")
        raise OSError(f"impossible d'écrire dans {directory} : {reason}") from None
    return [csv_path, xlsx_path]


_OS_REASONS = {
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EISDIR: "c'est un dossier, un fichier est attendu",
}
"""The system's reasons in French (its own words are English: "File exists")."""


def blank_csv_bytes() -> bytes:
    """The blank CSV template: the header row only. The blank Excel template, with its drop-down
    lists, is ``exports.template_xlsx`` (one blank template, written in one place)."""
    return operations_bytes(Portfolio(neighbourhoods=(), operations=()), "csv")


def operations_bytes(
    portfolio: Portfolio, kind: Literal["csv", "xlsx"], versions: dict[str, int] | None = None
) -> bytes:
    """``portfolio`` in the template format as bytes, for a download (re-imports as it is)."""
    writer = write_csv if kind == "csv" else write_xlsx
    with tempfile.TemporaryDirectory(prefix="simulateur-export-") as folder:
        return writer(portfolio, Path(folder) / f"operations.{kind}", versions).read_bytes()


def write_xlsx(portfolio: Portfolio, path: Path, versions: dict[str, int] | None = None) -> Path:
    """Template workbook: an ``operations`` sheet (real numbers, frozen header, filters) and a
    ``colonnes`` sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "operations"
    sheet.append([*COLUMNS, *([VERSION_COLUMN] if versions is not None else [])])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for op in portfolio.operations:
        row = operation_to_row(op)
        sheet.append([row[c] for c in COLUMNS] + ([versions.get(op.id)] if versions is not None else []))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    help_sheet = book.create_sheet("colonnes")
    help_sheet.append(["colonne", "description"])
    for column in COLUMNS:
        help_sheet.append([column, COLUMN_HELP[column]])
    if versions is not None:
        help_sheet.append(
            [
                VERSION_COLUMN,
                "version de l'opération à l'export : ne pas modifier (l'import vérifie ce qui a changé depuis)",
            ]
        )
    keep_as_text(book)  # an operation titled "=1+1" stays text
    book.save(path)
    return path
