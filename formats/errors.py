"""Import refusals: every problem of a file, with its row, column, value and reason in French."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn


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
        shown = repr(self.value)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"  # a huge cell is named, not echoed
        value = "" if self.value in (None, "") else f" — valeur {shown}"
        return f"{head}{value} : {self.reason}" if head else f"{self.reason}{value}"


class ImportRefused(ValueError):
    """The whole file is refused; ``issues`` lists every problem found."""

    LISTED = 100
    """Problems spelled out in the message (``issues`` keeps them all, for a table)."""

    def __init__(self, issues: list[ImportIssue], source: str = "le fichier"):
        self.issues = issues
        self.source = source
        more = len(issues) - self.LISTED
        super().__init__(
            f"Import refusé : {len(issues)} problème(s) dans {source}, aucune donnée n'a été modifiée.\n"
            + "\n".join(f"- {issue}" for issue in issues[: self.LISTED])
            + (f"\n… et {more} autres" if more > 0 else "")
        )


def refuse(source: str, reason: str, row: int | None = None, value: Any = None) -> NoReturn:
    raise ImportRefused([ImportIssue(row, None, value, reason)], source)
