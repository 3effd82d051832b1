"""Rows of the operations file into validated ``Operation`` objects, all or nothing."""

from __future__ import annotations

import difflib
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from formats.cells import (
    CODES,
    GROUPED_BY_DOT,
    cell_text,
    column_letter,
    contained_columns,
    decimal_point_proven,
    normalise_key,
    parse_number,
)
from formats.errors import ImportIssue, ImportRefused, Issues
from simulation import fr
from simulation.errors import french_problems
from simulation.import_columns import (
    COLUMN_OF_FIELD,
    COLUMNS,
    FIELD_OF_COLUMN,
    FUNDER_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
    VERSION_COLUMN,
)
from simulation.model import Neighbourhood, Operation, Portfolio


def rows_to_portfolio(
    header: list[str],
    body: list[tuple[int, list[Any]]],
    neighbourhoods: tuple[Neighbourhood, ...],
    source: str = "le fichier",
) -> Portfolio:
    """Validate every row and the file as a whole; ``ImportRefused`` lists all problems.

    ``1.234`` is read as a decimal only when another number of the file shows that its decimal
    mark is the point; otherwise (a French file, or nothing to tell) it is refused as ambiguous.
    """
    header_problems = header_issues(header, body)
    if header_problems:
        raise Issues(header_problems).refusal(source)
    issues = Issues()
    position = {
        normalise_key(name): i
        for i, name in enumerate(header)
        if normalise_key(name or "") and normalise_key(name or "") != VERSION_COLUMN
    }
    if not body:
        raise ImportRefused([ImportIssue(None, None, None, "aucune opération dans le fichier")], source)
    point_decimal = decimal_point_proven(body, position)

    by_code = {normalise_key(n.code): n.code for n in neighbourhoods}
    by_name = {normalise_key(n.name): n.code for n in neighbourhoods}
    operations: list[Operation] = []
    row_of_id: dict[str, int] = {}
    for number, cells in body:
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in position.items()}
        fields, row_issues = _row_fields(number, raw, by_code, by_name, point_decimal)
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
        raise issues.refusal(source)
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
    missing = Issues(
        [
            ImportIssue(row_of_id.get(op.id), "depend_de", op.depends_on, "cette opération n'existe pas")
            for op in operations
            if op.depends_on is not None and op.depends_on not in known
        ]
    )
    if missing:
        raise missing.refusal(source)
    try:
        return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations))
    except ValidationError as exc:
        issues = Issues()
        for problem in french_problems(exc):
            parts = problem.field.split(".")
            if len(parts) >= 3 and parts[0] == "operations":  # operations.<index>.<field>
                op = operations[int(parts[1])]
                issues.append(ImportIssue(row_of_id.get(op.id), COLUMN_OF_FIELD.get(parts[2]), None, problem.reason))
            else:
                issues.append(ImportIssue(None, None, None, problem.reason))
        raise issues.refusal(source) from None


def header_issues(header: list[str], body: list[tuple[int, list[Any]]]) -> list[ImportIssue]:
    """Unknown, duplicated and missing columns (an unnamed column is fine only when empty)."""
    issues: list[ImportIssue] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise_key(name or "")
        letter = column_letter(i)
        if key == VERSION_COLUMN:  # read by formats.update, not a field
            continue
        if not key:
            if any(i < len(cells) and cell_text(cells[i]) for _, cells in body):
                issues.append(ImportIssue(1, letter, None, "colonne sans nom, mais remplie : nommez-la ou videz-la"))
            continue
        if key not in COLUMNS:
            close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.5) or contained_columns(key)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
            shown = str(name).strip()
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            issues.append(ImportIssue(1, shown, None, f"colonne inconnue{hint}"))
            continue
        if key in seen:
            issues.append(
                ImportIssue(
                    1,
                    key,
                    None,
                    f"colonne en double (colonnes {column_letter(seen[key])} et {letter}) : gardez-en une seule",
                )
            )
            continue
        seen[key] = i
    for column in COLUMNS:
        if column not in seen and column not in OPTIONAL_COLUMNS:
            issues.append(ImportIssue(1, column, None, "colonne obligatoire absente de l'en-tête"))
    return issues


def _row_fields(
    number: int,
    raw: dict[str, Any],
    by_code: dict[str, str],
    by_name: dict[str, str],
    point_decimal: bool = False,
) -> tuple[dict[str, Any], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    fields: dict[str, Any] = {}
    funding: dict[str, float] = {}
    for column, value in raw.items():
        text = cell_text(value) if not isinstance(value, datetime | date) else value
        if text == "" or text is None:
            if column not in OPTIONAL_COLUMNS:
                issues.append(ImportIssue(number, column, None, "valeur obligatoire manquante"))
            continue
        try:
            if column in NUMBER_COLUMNS:
                if not point_decimal and isinstance(value, str) and GROUPED_BY_DOT.match(value.strip()):
                    raise ValueError(
                        "nombre ambigu : « "
                        f"{value.strip()} » peut se lire {value.strip().replace('.', ' ')} ou "
                        f"{value.strip().replace('.', ',')} ; écrivez-le sans point"
                    )
                number_value = parse_number(value, integer=column in INTEGER_COLUMNS)
                if column == "taux_tva" and number_value is not None:
                    if not 0 <= number_value <= 30:
                        raise ValueError("le taux de TVA doit être un pourcentage compris entre 0 et 30 %")
                    if 0 < number_value < 1:
                        raise ValueError(
                            "le taux de TVA est un pourcentage : vouliez-vous dire "
                            f"{fr.number(number_value * 100, 1).removesuffix(',0')} % ?"
                        )
                    number_value = number_value / 100
                if column in FUNDER_COLUMNS:
                    if number_value:
                        funding[column] = float(number_value)
                    continue
                fields[FIELD_OF_COLUMN[column]] = number_value
            elif column in CODES:
                code = CODES[column].get(normalise_key(str(text)))
                if code is None:
                    raise ValueError("valeur inconnue, valeurs possibles : " + ", ".join(CODES[column].values()))
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
