"""Import refusals: every problem of a file, with its row, column, value and reason in French."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from simulation import fr


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
    """The whole file is refused; ``issues`` holds the first problems found, ``total`` counts all.

    A hostile file can raise a problem per cell: only the first ``LISTED`` are kept (``Issues``
    counts the others without keeping them), and the message ends with « … et N autres ».
    """

    LISTED = 100
    """Problems kept and spelled out; past them, only counted."""

    def __init__(self, issues: list[ImportIssue], source: str = "le fichier", total: int | None = None):
        self.issues = issues[: self.LISTED]
        self.source = source
        self.total = max(total or 0, len(issues))
        more = self.total - len(self.issues)
        super().__init__(
            f"Import refusé : {fr.number(self.total, 0)} problème(s) dans {source}, aucune donnée n'a été modifiée.\n"
            + "\n".join(f"- {issue}" for issue in self.issues)
            + (f"\n… et {fr.number(more, 0)} autres" if more > 0 else "")
        )

    @property
    def more(self) -> int:
        """Problems counted but not kept."""
        return self.total - len(self.issues)


class Issues:
    """Problems of a file as they are found: the first ``ImportRefused.LISTED`` kept, the rest counted."""

    def __init__(self, first: list[ImportIssue] | None = None) -> None:
        self.kept: list[ImportIssue] = []
        self.total = 0
        self.extend(first or [])

    def append(self, issue: ImportIssue) -> None:
        self.total += 1
        if len(self.kept) < ImportRefused.LISTED:
            self.kept.append(issue)

    def extend(self, issues: list[ImportIssue]) -> None:
        for issue in issues:
            self.append(issue)

    def __bool__(self) -> bool:
        return self.total > 0

    def refusal(self, source: str) -> ImportRefused:
        return ImportRefused(self.kept, source, self.total)


def refuse(source: str, reason: str, row: int | None = None, value: Any = None) -> NoReturn:
    raise ImportRefused([ImportIssue(row, None, value, reason)], source)
