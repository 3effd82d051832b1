"""An import file as an update of the stored portfolio.

Builds on ``import_file.rows_to_portfolio`` (the row checks) and adds what only the store
knows:

- an operation already in the store changes only in the columns the file has; an empty cell
  in a column the file has clears that field (optional fields: empty, priority back to 3,
  VAT back to 20 %, a funding line to 0);
- ``depend_de`` may name an operation of the store, not only of the file: the dependency is
  checked later, on the store and the file together, in the write's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from formats.cells import normalise_key, parse_number
from formats.errors import ImportIssue, ImportRefused
from formats.read import read_table
from formats.rows import rows_to_portfolio
from simulation.errors import french_problems
from simulation.import_columns import COLUMN_OF_FIELD, COLUMNS, FIELD_OF_COLUMN, FUNDER_COLUMNS, VERSION_COLUMN
from simulation.model import Neighbourhood, Operation


@dataclass(frozen=True)
class ParsedImport:
    operations: tuple[Operation, ...]
    present: frozenset[str]
    row_of_id: dict[str, int]
    source: str
    versions: dict[str, int] = field(default_factory=dict)
    """Id → version the row was exported at (the optional ``version`` column); checked by the store."""

    def merged_with(self, stored: dict[str, Operation], *, replace: bool = False) -> list[Operation]:
        """The file's operations, each completed from the store for the columns the file lacks."""
        result, issues = [], []
        for op in self.operations:
            old = stored.get(op.id)
            if old is None or self.present >= set(COLUMNS):
                result.append(op)
                continue
            data = old.model_dump(mode="json")
            funding = dict(data["funding"])
            new = op.model_dump(mode="json")
            for column in self.present:
                if column in FUNDER_COLUMNS:
                    funding[column] = new["funding"].get(column, 0.0)
                else:
                    data[FIELD_OF_COLUMN[column]] = new[FIELD_OF_COLUMN[column]]
            data["funding"] = {k: v for k, v in funding.items() if v}
            try:
                result.append(Operation.model_validate(data))
            except ValidationError as exc:
                for problem in french_problems(exc, COLUMN_OF_FIELD):
                    issues.append(
                        ImportIssue(
                            self.row_of_id.get(op.id),
                            problem.field.split(".")[0] or None,
                            None,
                            f"{problem.reason} (avec les valeurs enregistrées des autres colonnes)",
                        )
                    )
        if issues:
            raise ImportRefused(issues, self.source)
        return result


def read_import(path: str | Path, neighbourhoods: tuple[Neighbourhood, ...]) -> ParsedImport:
    header, body = read_table(path)
    return parse_import(header, body, neighbourhoods, Path(path).name)


def parse_import(
    header: list[str], body: list[tuple[int, list[Any]]], neighbourhoods: tuple[Neighbourhood, ...], source: str
) -> ParsedImport:
    keys = [normalise_key(name or "") for name in header]
    present = frozenset(k for k in keys if k in COLUMNS)
    dep_index = keys.index("depend_de") if "depend_de" in keys else None
    # First pass without dependencies: they may point into the store, which only the write sees.
    blanked = [(n, [("" if i == dep_index else c) for i, c in enumerate(cells)]) for n, cells in body]
    portfolio = rows_to_portfolio(header, blanked, neighbourhoods, source)
    operations, issues = [], []
    row_of_id = {}
    versions: dict[str, int] = {}
    version_index = keys.index(VERSION_COLUMN) if VERSION_COLUMN in keys else None
    for (number, cells), op in zip(body, portfolio.operations, strict=True):
        row_of_id[op.id] = number
        written = cells[version_index] if version_index is not None and version_index < len(cells) else None
        if written is not None and str(written).strip():
            try:
                versions[op.id] = int(parse_number(written, integer=True) or 0)
            except ValueError:
                issues.append(
                    ImportIssue(
                        number, VERSION_COLUMN, written, "version illisible : le nombre écrit à l'export est attendu"
                    )
                )
                continue
        raw = cells[dep_index] if dep_index is not None and dep_index < len(cells) else None
        dependency = "" if raw is None else str(raw).strip()
        if not dependency:
            operations.append(op)
            continue
        try:
            operations.append(Operation.model_validate({**op.model_dump(mode="json"), "depends_on": dependency}))
        except ValidationError as exc:
            for problem in french_problems(exc, COLUMN_OF_FIELD):
                issues.append(ImportIssue(number, "depend_de", dependency, problem.reason))
    if issues:
        raise ImportRefused(issues, source)
    return ParsedImport(tuple(operations), present, row_of_id, source, versions)
