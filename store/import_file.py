"""Reading (and writing back) the operations file the directorates fill in, one row per operation.

Reading is all or nothing: every row is checked, every problem is listed with its row, column,
value and reason (in French), and nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulation.errors import french_problems
from simulation.import_columns import (
    COLUMN_OF_FIELD,
    COLUMNS,
    FIELD_OF_COLUMN,
    FUNDER_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
)
from simulation.model import FUNDERS, FacilityType, Maturity, Nature, Neighbourhood, Operation, Owner, Portfolio


@dataclass(frozen=True)
class ImportIssue:
    """One problem of an import file; ``row`` is the line number as a spreadsheet shows it."""

    row: int | None
    column: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne {self.column}")
        head = ", ".join(where)
        value = "" if self.value in (None, "") else f" — valeur {self.value!r}"
        return f"{head}{value} : {self.reason}" if head else f"{self.reason}{value}"


class ImportRefused(ValueError):
    """The whole file is refused; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ImportIssue], source: str = "le fichier"):
        self.issues = issues
        self.source = source
        super().__init__(
            f"Import refusé : {len(issues)} problème(s) dans {source}, aucune donnée n'a été modifiée.\n"
            + "\n".join(f"- {issue}" for issue in issues)
        )


def normalise_key(text: str) -> str:
    """Lower case, no accents, underscores: how headers and coded values are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").replace("'", " ").split())


_CODES: dict[str, dict[str, str]] = {
    "type": {normalise_key(t.value): t.value for t in FacilityType},
    "nature": {normalise_key(n.value): n.value for n in Nature},
    "maitre_ouvrage": {normalise_key(o.value): o.value for o in Owner},
    "maturite": {normalise_key(m.value): m.value for m in Maturity},
}


# ---------------------------------------------------------------------------------- reading


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (row number, cells) of a CSV or XLSX file, refused if unreadable."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused([ImportIssue(None, None, str(path), "fichier introuvable")], path.name)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path.read_bytes(), path.name)
    raise ImportRefused(
        [ImportIssue(None, None, path.name, "format non reconnu : fichier .csv ou .xlsx attendu")], path.name
    )


def _read_csv(data: bytes, source: str) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [
                ImportIssue(
                    None,
                    None,
                    None,
                    f"le fichier n'est pas en UTF-8 (octet {exc.start}) : enregistrez-le en « CSV UTF-8 »",
                )
            ],
            source,
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise ImportRefused([ImportIssue(None, None, None, "le fichier est vide")], source)
    header = rows[0]
    body = [(number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    return header, body


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused([ImportIssue(None, None, path.name, f"classeur illisible ({exc})")], path.name) from None
    try:
        sheet = book["operations"] if "operations" in book.sheetnames else book.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise ImportRefused([ImportIssue(None, None, None, "la feuille est vide")], path.name)
    header = ["" if c is None else str(c) for c in rows[0]]
    body = [
        (number, cells)
        for number, cells in enumerate(rows[1:], start=2)
        if any(c is not None and str(c).strip() for c in cells)
    ]
    return header, body


def parse_number(value: Any, integer: bool = False) -> float | int | None:
    """A French or English written number: ``1 234,5``, ``1234.5``, ``1.234,5``; None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    if isinstance(value, int | float):
        number = float(value)
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
    if not math.isfinite(number):
        raise ValueError("nombre fini attendu")
    if integer:
        if number != int(number):
            raise ValueError("nombre entier attendu")
        return int(number)
    return number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def rows_to_portfolio(
    header: list[str],
    body: list[tuple[int, list[Any]]],
    neighbourhoods: tuple[Neighbourhood, ...],
    source: str = "le fichier",
) -> Portfolio:
    """Validate every row and the file as a whole; ``ImportRefused`` lists all problems."""
    issues: list[ImportIssue] = []
    position: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise_key(name or "")
        if key in COLUMNS and key not in position:
            position[key] = i
    for column in COLUMNS:
        if column not in position and column not in OPTIONAL_COLUMNS:
            issues.append(ImportIssue(1, column, None, "colonne obligatoire absente de l'en-tête"))
    if issues:
        raise ImportRefused(issues, source)
    if not body:
        raise ImportRefused([ImportIssue(None, None, None, "aucune opération dans le fichier")], source)

    by_code = {normalise_key(n.code): n.code for n in neighbourhoods}
    by_name = {normalise_key(n.name): n.code for n in neighbourhoods}
    operations: list[Operation] = []
    row_of_id: dict[str, int] = {}
    for number, cells in body:
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in position.items()}
        fields, row_issues = _row_fields(number, raw, by_code, by_name)
        issues.extend(row_issues)
        reported = {issue.column for issue in row_issues}
        try:
            operation = Operation.model_validate(fields)
        except ValidationError as exc:
            # Every problem of the row is listed, except the consequences of those already said.
            for problem in french_problems(exc, COLUMN_OF_FIELD):
                field_column: str | None = problem.field.split(".")[0] or None
                if field_column not in reported:
                    value = raw.get(field_column) if field_column is not None else None
                    issues.append(ImportIssue(number, field_column, value, problem.reason))
            continue
        if row_issues:
            continue
        if operation.id in row_of_id:
            issues.append(
                ImportIssue(
                    number, "id", operation.id, f"identifiant déjà utilisé à la ligne {row_of_id[operation.id]}"
                )
            )
            continue
        row_of_id[operation.id] = number
        operations.append(operation)
    if issues:
        raise ImportRefused(issues, source)
    return build_portfolio(neighbourhoods, operations, row_of_id, source)


def build_portfolio(
    neighbourhoods: tuple[Neighbourhood, ...],
    operations: list[Operation],
    row_of_id: dict[str, int] | None = None,
    source: str = "le fichier",
) -> Portfolio:
    """The portfolio, or ``ImportRefused`` naming rows for dependency problems."""
    row_of_id = row_of_id or {}
    known = {op.id for op in operations}
    issues = [
        ImportIssue(row_of_id.get(op.id), "depend_de", op.depends_on, "cette opération n'existe pas")
        for op in operations
        if op.depends_on is not None and op.depends_on not in known
    ]
    if issues:
        raise ImportRefused(issues, source)
    try:
        return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations))
    except ValidationError as exc:
        issues = []
        for problem in french_problems(exc):
            parts = problem.field.split(".")
            if len(parts) >= 3 and parts[0] == "operations":  # operations.<index>.<field>
                op = operations[int(parts[1])]
                issues.append(ImportIssue(row_of_id.get(op.id), COLUMN_OF_FIELD.get(parts[2]), None, problem.reason))
            else:
                issues.append(ImportIssue(None, None, None, problem.reason))
        raise ImportRefused(issues, source) from None


def _row_fields(
    number: int, raw: dict[str, Any], by_code: dict[str, str], by_name: dict[str, str]
) -> tuple[dict[str, Any], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    fields: dict[str, Any] = {}
    funding: dict[str, float] = {}
    for column, value in raw.items():
        text = _text(value) if not isinstance(value, datetime | date) else value
        if text == "" or text is None:
            if column not in OPTIONAL_COLUMNS:
                issues.append(ImportIssue(number, column, None, "valeur obligatoire manquante"))
            continue
        try:
            if column in NUMBER_COLUMNS:
                number_value = parse_number(value, integer=column in INTEGER_COLUMNS)
                if column == "taux_tva" and number_value is not None:
                    number_value = number_value / 100
                if column in FUNDER_COLUMNS:
                    if number_value:
                        funding[column] = float(number_value)
                    continue
                fields[FIELD_OF_COLUMN[column]] = number_value
            elif column in _CODES:
                code = _CODES[column].get(normalise_key(str(text)))
                if code is None:
                    raise ValueError("valeur inconnue, valeurs possibles : " + ", ".join(_CODES[column].values()))
                fields[FIELD_OF_COLUMN[column]] = code
            elif column == "quartier":
                key = normalise_key(str(text))
                code = by_code.get(key) or by_name.get(key)
                if code is None:
                    raise ValueError("quartier inconnu : code ou nom officiel attendu (voir data/quartiers.csv)")
                fields["neighbourhood"] = code
            else:
                fields[FIELD_OF_COLUMN[column]] = text
        except ValueError as exc:
            issues.append(ImportIssue(number, column, value, str(exc)))
    fields["funding"] = funding
    return fields, issues


# ---------------------------------------------------------------------------------- writing


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


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",")
    return str(value)


def write_csv(portfolio: Portfolio, path: str | Path) -> Path:
    """Template CSV as French spreadsheets open it: UTF-8 with BOM, ``;``, decimal comma."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for op in portfolio.operations:
        row = operation_to_row(op)
        writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
    path = Path(path)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
    return path
