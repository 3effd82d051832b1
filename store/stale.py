"""No silent overwrite: a change made from what a person read is checked against what changed since.

An export carries each operation's version (the ``version`` column), and the form holds the
version it was opened at. When the stored operation has moved on since, the change is compared
field by field with what the person read:

- the fields the person changed and someone else changed since, to another value: refused,
  naming who changed what and when (nothing is written);
- otherwise the person's own changes are applied onto the current operation: someone else's
  work in the other fields is kept (a partial import, or a form touching other fields, merges).

Everything runs in the write's transaction, after the one-writer lock: of two people saving at
once, the second is checked against the first's saved work.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from formats.errors import ImportIssue
from simulation.errors import french_problems
from simulation.import_columns import COLUMN_OF_FIELD, COLUMNS, VERSION_COLUMN
from simulation.journal_fields import FUNDING_PREFIX, domain_field, journal_row, shown_value
from simulation.model import Operation
from simulation.user_text import one_line
from store.operation_rows import current_version
from store.room import Connection


def operation_at(con: Connection, operation_id: str, version: int) -> Operation | None:
    row = con.execute(
        "SELECT payload FROM operation_versions WHERE id = ? AND version = ?", [operation_id, version]
    ).fetchone()
    return Operation.model_validate_json(row[0]) if row and row[0] else None


def reconcile(
    con: Connection,
    wanted: Operation,
    read_version: int,
    current: Operation | None,
    present: frozenset[str],
    row: int | None,
) -> tuple[Operation | None, list[ImportIssue]]:
    """``wanted`` (made from version ``read_version``) made safe to write over ``current``.

    Returns the operation to write (``wanted`` itself when nothing changed since, the person's
    changes applied onto ``current`` when they touch other fields), or the issues naming who
    changed what since.
    """
    now_version = current_version(con, wanted.id)
    if now_version == read_version:
        return wanted, []
    if current is None:
        if now_version == 0:
            return wanted, []  # a new operation: nothing to overwrite
        who = _last_change(con, wanted.id, read_version, None)
        return None, [ImportIssue(row, VERSION_COLUMN, read_version, f"opération supprimée depuis votre lecture{who}")]
    read = operation_at(con, wanted.id, read_version)
    if read is None or read_version > now_version:
        reason = f"version {read_version} inconnue (version actuelle : {now_version}) : repartez d'un export récent"
        return None, [ImportIssue(row, VERSION_COLUMN, read_version, reason)]
    before, mine, now = journal_row(read), journal_row(wanted), journal_row(current)
    fields = [domain_field(c) for c in COLUMNS if c in present]  # the journal's names for the file's columns
    changed_by_me = [f for f in fields if mine[f] != before[f]]
    conflicts = [f for f in changed_by_me if now[f] != before[f] and now[f] != mine[f]]
    if conflicts:
        return None, [
            ImportIssue(
                row,
                COLUMN_OF_DOMAIN.get(name, name),
                shown_value(name, mine[name]),
                f"modifiée depuis votre lecture (version {read_version}, actuelle {now_version})"
                f"{_last_change(con, wanted.id, read_version, name)} : rien n'a été écrit, repartez de "
                "la version actuelle",
            )
            for name in conflicts
        ]
    merged, problems = _apply(current, wanted, changed_by_me)
    return merged, [ImportIssue(row, p.field.split(".")[0] or None, None, p.reason) for p in problems]


def _apply(base: Operation, source: Operation, fields: list[str]) -> tuple[Operation | None, list[Any]]:
    """``base`` with the values of ``source`` in ``fields`` (the person's own changes, journal names)."""
    data = base.model_dump(mode="json")
    new = source.model_dump(mode="json")
    funding = dict(data["funding"])
    for name in fields:
        if name.startswith(FUNDING_PREFIX):
            funder = name.removeprefix(FUNDING_PREFIX)
            funding[funder] = new["funding"].get(funder, 0.0)
        else:
            data[name] = new[name]
    data["funding"] = {k: v for k, v in funding.items() if v}
    try:
        return Operation.model_validate(data), []
    except ValidationError as exc:
        return None, french_problems(exc, COLUMN_OF_FIELD)


def _last_change(con: Connection, operation_id: str, since: int, name: str | None) -> str:
    """« par Léa le 07/12/2026 à 14:05 (a → b) »: the latest change of field ``name`` since ``since``
    (recorded under its domain name, or its column in an older journal)."""
    field_clause = "AND field IN (?, ?)" if name is not None else ""
    params: list[Any] = [operation_id, since] + ([name, COLUMN_OF_DOMAIN.get(name, name)] if name is not None else [])
    found = con.execute(
        "SELECT user_name, changed_at, before, after FROM history WHERE kind = 'opération' AND target = ? "
        f"AND version > ? {field_clause} ORDER BY changed_at DESC, seq DESC LIMIT 1",
        params,
    ).fetchone()
    if found is None:
        return ""
    user, at, old, new = found
    change = f" ({one_line(_shown(name, old))} → {one_line(_shown(name, new))})" if name is not None else ""
    return f" par {one_line(user)} le {at:%d/%m/%Y à %H:%M}{change}"


def _shown(name: str | None, stored: Any) -> str:
    if stored is None:
        return "∅"
    try:
        value = json.loads(stored)
    except (TypeError, ValueError):
        value = stored
    return "∅" if value in (None, "") else str(shown_value(name, value))


COLUMN_OF_DOMAIN = {domain_field(column): column for column in COLUMNS}
"""The file's column of each journal field (``cost_ht`` → ``cout_ht``), to name it in a refusal."""
