"""The actuals file (*réalisé*): CP paid per operation and year, as the finance system exports them.

Columns ``id;annee;mandate_ttc``, then optional ``engage_ttc`` and one ``recu_<funder>`` per
funder; one row per operation and year. Read with the operations file's hardening
(``formats.read``: bounded before parsing, Excel's French encodings), French numbers
(``formats.cells``), and refused whole with every problem named by row and column
(``formats.errors``): unknown operations and columns, negative amounts, a year twice.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path
from typing import Any

from formats.cells import GROUPED_BY_DOT, cell_text, column_letter, normalise_key, parse_number
from formats.errors import ImportIssue, ImportRefused
from formats.limits import ImportLimits
from formats.read import read_table
from formats.shipped import DEMO_ACTUALS_CSV, DEMO_AP_CSV
from simulation.cell_text import keep_as_text
from simulation.model import FUNDERS, Actual, Portfolio

RECEIVED_COLUMNS: tuple[str, ...] = tuple(f"recu_{f.value}" for f in FUNDERS)
ACTUAL_COLUMNS: tuple[str, ...] = ("id", "annee", "mandate_ttc", "engage_ttc", *RECEIVED_COLUMNS)
REQUIRED = ("id", "annee", "mandate_ttc")
SHEET = "realise"

ACTUAL_HELP: dict[str, str] = {
    "id": "Identifiant de l'opération, tel qu'au portefeuille (ex. AIRB-01).",
    "annee": "Année civile de l'exercice (ex. 2024).",
    "mandate_ttc": "Crédits de paiement mandatés dans l'année, TTC en euros courants.",
    "engage_ttc": "Engagements juridiques signés dans l'année, TTC en euros (facultatif).",
    **{f"recu_{f.value}": f"Subvention reçue de {f.value} dans l'année, en euros (facultatif)." for f in FUNDERS},
}


def actual_header_issues(header: list[str], body: list[tuple[int, list[Any]]]) -> list[ImportIssue]:
    """Unknown, duplicated and missing columns of an actuals file."""
    issues: list[ImportIssue] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise_key(name or "")
        if not key:
            if any(i < len(cells) and cell_text(cells[i]) for _, cells in body):
                issues.append(ImportIssue(1, column_letter(i), None, "colonne sans nom, mais remplie"))
            continue
        if key not in ACTUAL_COLUMNS:
            close = difflib.get_close_matches(key, ACTUAL_COLUMNS, n=1, cutoff=0.5)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
            shown = str(name).strip()
            issues.append(ImportIssue(1, shown[:60], None, f"colonne inconnue{hint}"))
        elif key in seen:
            issues.append(ImportIssue(1, key, None, "colonne en double : gardez-en une seule"))
        else:
            seen[key] = i
    for column in REQUIRED:
        if column not in seen:
            issues.append(ImportIssue(1, column, None, "colonne obligatoire absente de l'en-tête"))
    return issues


def read_actuals(path: str | Path, known_ids: set[str], limits: ImportLimits | None = None) -> tuple[Actual, ...]:
    """Every row of the file as an ``Actual``, or ``ImportRefused`` listing every problem."""
    source = Path(path).name
    header, body = read_table(path, limits, sheet=SHEET, header_check=actual_header_issues)
    issues = actual_header_issues(header, body)
    if issues:
        raise ImportRefused(issues, source)
    if not body:
        raise ImportRefused([ImportIssue(None, None, None, "aucune ligne de réalisé dans le fichier")], source)
    position = {normalise_key(name): i for i, name in enumerate(header) if normalise_key(name or "")}
    actuals: list[Actual] = []
    row_of: dict[tuple[str, int], int] = {}
    for number, cells in body:
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in position.items()}
        fields, row_issues = _row(number, raw, known_ids)
        issues.extend(row_issues)
        if row_issues:
            continue
        key = (fields["operation_id"], fields["year"])
        if key in row_of:
            issues.append(
                ImportIssue(number, "annee", key[1], f"{key[0]} {key[1]} figure déjà à la ligne {row_of[key]}")
            )
            continue
        row_of[key] = number
        actuals.append(Actual.model_validate(fields))
    if issues:
        raise ImportRefused(issues, source)
    return tuple(actuals)


def _row(number: int, raw: dict[str, Any], known_ids: set[str]) -> tuple[dict[str, Any], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    fields: dict[str, Any] = {"received": {}}
    for column, value in raw.items():
        text = cell_text(value)
        if not text:
            if column in REQUIRED:
                issues.append(ImportIssue(number, column, None, "valeur obligatoire manquante"))
            continue
        if column == "id":
            if text not in known_ids:
                issues.append(ImportIssue(number, "id", text, "opération inconnue du portefeuille"))
            fields["operation_id"] = text
            continue
        try:
            if isinstance(value, str) and GROUPED_BY_DOT.match(value.strip()):
                raise ValueError(f"nombre ambigu : « {value.strip()} » ; écrivez-le sans point")
            amount = parse_number(value, integer=column == "annee")
        except ValueError as exc:
            issues.append(ImportIssue(number, column, value, str(exc)))
            continue
        if amount is None:
            continue
        if column == "annee":
            if not 1990 <= amount <= 2100:
                issues.append(ImportIssue(number, column, value, "année invraisemblable : entre 1990 et 2100"))
            fields["year"] = int(amount)
            continue
        if amount < 0:
            issues.append(ImportIssue(number, column, value, "montant négatif refusé : un montant payé est positif"))
            continue
        if amount > 10_000_000_000:
            issues.append(ImportIssue(number, column, value, "montant invraisemblable : au plus 10 milliards d'euros"))
            continue
        if column == "mandate_ttc":
            fields["mandate_ttc"] = float(amount)
        elif column == "engage_ttc":
            fields["engage_ttc"] = float(amount)
        else:
            fields["received"][column.removeprefix("recu_")] = float(amount)
    return fields, issues


def actual_row(actual: Actual) -> dict[str, Any]:
    """One row of the file (French columns) of an actual; the inverse of the import."""
    row: dict[str, Any] = {"id": actual.operation_id, "annee": actual.year, "mandate_ttc": actual.mandate_ttc}
    row["engage_ttc"] = actual.engage_ttc
    for funder in FUNDERS:
        row[f"recu_{funder.value}"] = actual.received.get(funder)
    return row


def actuals_xlsx_bytes(actuals: tuple[Actual, ...] = ()) -> bytes:
    """A ``realise`` workbook (the blank template when ``actuals`` is empty), with a help sheet.

    Values only, never formulas: an identifier typed ``=1+1`` stays text.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(ACTUAL_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for actual in actuals:
        row = actual_row(actual)
        sheet.append([row[c] for c in ACTUAL_COLUMNS])
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("colonnes")
    help_sheet.append(["colonne", "description"])
    for column in ACTUAL_COLUMNS:
        help_sheet.append([column, ACTUAL_HELP[column]])
    keep_as_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_demo_accounts(portfolio: Portfolio) -> Portfolio:
    """The demo portfolio with its illustrative AP voted and actuals, as the seeded store holds it."""
    lines = DEMO_AP_CSV.read_text(encoding="utf-8").splitlines()[1:]
    ap = {op_id: float(amount) for op_id, amount in (line.split(";") for line in lines if line)}
    operations = tuple(op.model_copy(update={"ap_votee": ap.get(op.id)}) for op in portfolio.operations)
    actuals = read_actuals(DEMO_ACTUALS_CSV, {op.id for op in operations})
    actuals = tuple(sorted(actuals, key=lambda a: (a.operation_id, a.year)))  # the store's order
    return portfolio.model_copy(update={"operations": operations, "actuals": actuals})
