"""The history journal: every write appends its change set and one line per changed field.

Rooms call ``open_change_set`` then ``record`` inside the transaction of the write they
journal, so a change and its history land together or not at all. ``JournalRoom`` reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulation.model import TEXT_MAX
from simulation.user_text import text_problem
from store.access import Person
from store.bulk import insert_rows
from store.errors import StoreError
from store.room import Connection, Room


@dataclass(frozen=True)
class HistoryEntry:
    change_set: int
    at: datetime
    user: str
    kind: str
    target: str | None
    directorate: str | None
    field: str | None
    before: Any
    after: Any
    reason: str | None
    version: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "user": self.user,
            "kind": self.kind,
            "target": self.target,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "version": self.version,
            "change_set": self.change_set,
            "directorate": self.directorate,
        }


@dataclass(frozen=True)
class ChangeSet:
    id: int
    at: datetime
    user: str
    action: str
    reason: str | None
    undone_by: int | None


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def next_id(con: Connection, table: str, column: str) -> int:
    row = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


def open_change_set(con: Connection, actor: Person, action: str, reason: str | None) -> int:
    """A new change set (one user action, possibly touching many records); returns its number.

    The motive is a person's text, shown in the history and the CLI: line breaks are fine,
    control characters (ESC…) and more than 2 000 characters are refused.
    """
    problem = text_problem(reason, TEXT_MAX) if reason else None
    if problem:
        raise StoreError(f"Motif refusé : {problem}. Rien n'a été enregistré.")
    cs = next_id(con, "change_sets", "id")
    con.execute("INSERT INTO change_sets VALUES (?, ?, ?, ?, ?, NULL)", [cs, now(), actor.name, action, reason or None])
    return cs


HISTORY_COLUMNS = [
    "change_set", "seq", "changed_at", "user_name", "kind", "target", "directorate", "field", "before", "after",
    "reason", "version",
]  # fmt: skip
HISTORY_TYPES = ["INTEGER", "INTEGER", "TIMESTAMP", *["VARCHAR"] * 8, "INTEGER"]


def record_many(con: Connection, cs: int, actor: Person, lines: list[tuple[Any, ...]], reason: str | None) -> None:
    """Many history lines of change set ``cs`` in one statement; each line is
    ``(kind, target, directorate, field, before, after, version)``."""
    rows_found = con.execute("SELECT coalesce(max(seq), 0) FROM history WHERE change_set = ?", [cs]).fetchall()
    first = int(rows_found[0][0]) + 1
    stamp = now()
    rows = [_history_row(cs, first + i, stamp, actor, line, reason) for i, line in enumerate(lines)]
    insert_rows(con, "history", HISTORY_COLUMNS, HISTORY_TYPES, rows)


def _history_row(cs: int, seq: int, stamp: Any, actor: Person, line: tuple[Any, ...], reason: str | None) -> list[Any]:
    """One row of the history table, in ``HISTORY_COLUMNS`` order, from a line
    ``(kind, target, directorate, field, before, after, version)``: values before and after dumped
    as JSON, an empty reason kept as NULL."""
    kind, target, directorate, field, before, after, version = line
    return [
        cs,
        seq,
        stamp,
        actor.name,
        kind,
        target,
        directorate,
        field,
        dump(before),
        dump(after),
        reason or None,
        version,
    ]


def record(
    con: Connection,
    cs: int,
    actor: Person,
    kind: str,
    target: str | None,
    directorate: str | None,
    field: str | None,
    before: Any,
    after: Any,
    reason: str | None,
    version: int | None,
) -> None:
    """One line of history in change set ``cs``."""
    row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM history WHERE change_set = ?", [cs]).fetchone()
    con.execute(
        "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _history_row(
            cs, row[0] if row else 1, now(), actor, (kind, target, directorate, field, before, after, version), reason
        ),
    )


class JournalRoom(Room):
    def history(
        self,
        *,
        operation: str | None = None,
        scenario: str | None = None,
        directorate: str | None = None,
        user: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[HistoryEntry]:
        """The history, newest first, filtered."""
        filters = (
            ("kind = 'opération' AND target = ?", operation),
            ("kind = 'scénario' AND target = ?", scenario),
            ("directorate = ?", directorate),
            ("user_name = ?", user),
            ("changed_at >= ?", since),
            ("changed_at <= ?", until),
        )
        where = [clause for clause, value in filters if value is not None]
        params: list[Any] = [value for _clause, value in filters if value is not None]
        sql = (
            "SELECT change_set, changed_at, user_name, kind, target, directorate, field, before, after, reason, version "
            "FROM history"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY change_set DESC, seq"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        rows = self._read(lambda con: con.execute(sql, params).fetchall())
        return [
            HistoryEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], load(r[7]), load(r[8]), r[9], r[10]) for r in rows
        ]

    def change_sets(self) -> list[ChangeSet]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT id, changed_at, user_name, action, reason, undone_by FROM change_sets ORDER BY id DESC"
            ).fetchall()
        )
        return [ChangeSet(*r) for r in rows]
