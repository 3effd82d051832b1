"""The operations and neighbourhoods tables: reading rows into models, writing models into rows.

Every write of operations goes through ``apply_changes``, which also records a version of each
operation and its history lines in the caller's transaction, and bumps the revision that page
caches follow.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from simulation.errors import french_message
from simulation.journal_fields import journal_row
from simulation.model import FUNDERS, Actual, Neighbourhood, Operation, Portfolio
from store.access import Person
from store.bulk import insert_rows
from store.errors import StoreError
from store.journal import now, record_many
from store.room import Connection

FUNDER_COLUMNS = [f"funding_{f.value}" for f in FUNDERS]
OPERATION_FIELDS = [
    "id",
    "neighbourhood",
    "title",
    "facility_type",
    "nature",
    "owner",
    "directorate",
    "maturity",
    "area_m2",
    "capacity",
    "programme",
    "cost_ht",
    "price_year",
    "vat_rate",
    "start",
    "programming_months",
    "design_months",
    "tendering_months",
    "works_months",
    "priority",
    "depends_on",
    "ap_votee",
]


_OPERATION_TYPES = {
    **{field: "VARCHAR" for field in OPERATION_FIELDS},
    **dict.fromkeys(FUNDER_COLUMNS, "DOUBLE"),
    **dict.fromkeys(("area_m2", "cost_ht", "vat_rate"), "DOUBLE"),
    **dict.fromkeys(
        (
            "position",
            "capacity",
            "price_year",
            "programming_months",
            "design_months",
            "tendering_months",
            "works_months",
            "priority",
        ),
        "INTEGER",
    ),
    "updated_at": "TIMESTAMP",
}


def read_neighbourhoods(con: Connection) -> tuple[Neighbourhood, ...]:
    rows = con.execute("SELECT code, name, status, project FROM neighbourhoods ORDER BY rowid").fetchall()
    return tuple(Neighbourhood(code=r[0], name=r[1], status=r[2], project=r[3] or "") for r in rows)


def insert_neighbourhoods(con: Connection, neighbourhoods: tuple[Neighbourhood, ...]) -> None:
    con.executemany(
        "INSERT INTO neighbourhoods VALUES (?, ?, ?, ?)",
        [[n.code, n.name, n.status, n.project] for n in neighbourhoods],
    )


def read_operations(con: Connection) -> list[Operation]:
    """The stored operations, each validated on its own (the portfolio's coherence is not assumed)."""
    columns = ", ".join(OPERATION_FIELDS + FUNDER_COLUMNS)
    cursor = con.execute(f"SELECT {columns} FROM operations ORDER BY position")
    names = [d[0] for d in cursor.description]
    operations = []
    for values in cursor.fetchall():
        data = dict(zip(names, values, strict=True))
        funding = {f.value: data.pop(f"funding_{f.value}") for f in FUNDERS}
        try:
            operations.append(Operation.model_validate({**data, "funding": funding}))
        except ValidationError as exc:
            raise StoreError(f"L'opération {data['id']} enregistrée est illisible :\n{french_message(exc)}") from None
    return operations


def valid_portfolio(
    neighbourhoods: tuple[Neighbourhood, ...], operations: list[Operation], actuals: list[Actual] | None = None
) -> Portfolio:
    try:
        return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations), actuals=tuple(actuals or ()))
    except ValidationError as exc:
        raise StoreError(
            "Le portefeuille enregistré est incohérent :\n"
            + french_message(exc)
            + "\nCorrigez-le par un import (les dépendances sont vérifiées avec la base) ou `import --replace`."
        ) from None


def current_version(con: Connection, operation_id: str) -> int:
    row = con.execute("SELECT max(version) FROM operation_versions WHERE id = ?", [operation_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def reposition(con: Connection, order: list[str]) -> None:
    """After a replace, operations follow the file's order."""
    positions = dict(con.execute("SELECT id, position FROM operations").fetchall())
    offset = max(positions.values(), default=0) + len(order) + 1
    for index, op_id in enumerate(order):
        if op_id in positions:
            con.execute("UPDATE operations SET position = ? WHERE id = ?", [offset + index, op_id])


def apply_changes(
    con: Connection,
    cs: int,
    actor: Person,
    target: dict[str, Operation | None],
    current: list[Operation],
    reason: str | None,
) -> tuple[list[str], list[str], list[str]]:
    """Write ``target`` (id → new operation, or None to delete), a version and history per operation.

    Versions, history lines and operations are each written in one statement (``store.bulk``):
    the transaction of a 9 000-row import stays short.
    """
    by_id = {op.id: op for op in current}
    added, updated, removed = [], [], []
    writes = []
    known = dict(con.execute("SELECT id, max(version) FROM operation_versions GROUP BY id").fetchall())
    versions: list[list[Any]] = []
    lines: list[tuple[Any, ...]] = []
    for op_id, new in target.items():
        old = by_id.get(op_id)
        if old == new:
            continue
        version = int(known.get(op_id) or 0) + 1
        versions.append([op_id, version, cs, None if new is None else new.model_dump_json()])
        either = new if new is not None else old
        directorate = either.directorate if either is not None else None
        if old is None and new is not None:
            added.append(op_id)
            lines.append(("opération", op_id, directorate, None, None, journal_row(new), version))
        elif new is None and old is not None:
            removed.append(op_id)
            lines.append(("opération", op_id, directorate, None, journal_row(old), None, version))
        elif old is not None and new is not None:
            updated.append(op_id)
            before, after = journal_row(old), journal_row(new)
            lines += [
                ("opération", op_id, directorate, field, before[field], after[field], version)
                for field in before
                if before[field] != after[field]
            ]
        writes.append((op_id, new))
    insert_rows(con, "operation_versions", ["id", "version", "change_set", "payload"], _VERSION_TYPES, versions)
    record_many(con, cs, actor, lines, reason)
    write_operations(con, writes)
    return added, updated, removed


_VERSION_TYPES = ["VARCHAR", "INTEGER", "INTEGER", "VARCHAR"]


def write_operations(con: Connection, writes: list[tuple[str, Operation | None]]) -> None:
    """The operations table itself; bumps the revision that page caches follow."""
    if not writes:
        return
    insert_operations(
        con,
        tuple(op for _i, op in writes if op is not None),
        replace=False,
        deleted=[i for i, op in writes if op is None],
    )


def insert_operations(
    con: Connection,
    operations: tuple[Operation, ...],
    *,
    replace: bool,
    deleted: list[str] | None = None,
) -> None:
    if replace:
        con.execute("DELETE FROM operations")
    positions = dict(con.execute("SELECT id, position FROM operations").fetchall())
    stamp = now()
    rows = []
    next_position = max(positions.values(), default=-1) + 1
    for op in operations:
        position = positions.get(op.id)
        if position is None:
            position, next_position = next_position, next_position + 1
        data = op.model_dump(mode="json")
        rows.append(
            [data["id"], position]
            + [data[f] for f in OPERATION_FIELDS[1:]]
            + [op.funding.get(f, 0.0) for f in FUNDERS]
            + [stamp]
        )
    gone = [r[0] for r in rows] + list(deleted or [])
    if not replace and gone:
        con.execute("DELETE FROM operations WHERE id IN (SELECT unnest(?))", [gone])
    columns = ["id", "position", *OPERATION_FIELDS[1:], *FUNDER_COLUMNS, "updated_at"]
    insert_rows(con, "operations", columns, [_OPERATION_TYPES[c] for c in columns], rows)
    bump_revision(con)


def bump_revision(con: Connection) -> None:
    """The portfolio changed (operations or actuals): pages and caches keyed on the revision read it again."""
    con.execute(
        "INSERT INTO meta VALUES ('revision', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)"
    )
