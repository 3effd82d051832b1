"""The operations room: the portfolio as stored, and every change to it (form, import, undo).

A change is checked whole (roles per directorate, dependencies with the store and the file
together, scenarios that still choose a removed operation) and written in one transaction
with its versions and history (``store.operation_rows.apply_changes``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from formats.errors import ImportIssue, ImportRefused, Issues
from formats.rows import build_portfolio
from simulation.import_columns import COLUMNS
from simulation.model import Neighbourhood, Operation, Portfolio
from store.access import Action, Person, enforce
from store.actuals import ActualsUndone, undo_actuals_import
from store.errors import StoreError
from store.journal import open_change_set
from store.operation_rows import (
    apply_changes,
    current_version,
    read_neighbourhoods,
    read_operations,
    reposition,
    valid_portfolio,
)
from store.people import acting_person
from store.room import Connection, Room
from store.stale import reconcile


@dataclass(frozen=True)
class ImportSummary:
    added: list[str]
    updated: list[str]
    total: int
    removed: list[str] | None = None
    change_set: int | None = None
    unchanged: tuple[str, ...] = ()
    """Ids of the file that match the store already (also in ``updated``, as before)."""

    def __str__(self) -> str:
        removed = f", {len(self.removed)} retirée(s)" if self.removed else ""
        same = f", {len(self.unchanged)} inchangée(s)" if self.unchanged else ""
        changed = len(self.updated) - len(self.unchanged)
        tail = f" (lot de modifications n° {self.change_set})" if self.change_set else ""
        return (
            f"{len(self.added)} opération(s) ajoutée(s), {changed} mise(s) à jour{same}{removed} ; "
            f"{self.total} opération(s) dans le portefeuille.{tail}"
        )


class OperationsRoom(Room):
    def neighbourhoods(self) -> tuple[Neighbourhood, ...]:
        return self._read(read_neighbourhoods)

    def revision(self) -> int:
        """A number that changes whenever the portfolio changes (a cache key for pages)."""
        row = self._read(
            lambda con: con.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone(), key="revision"
        )
        return int(row[0]) if row else 0

    def is_demo(self) -> bool:
        """True when the portfolio is the shipped demonstration dataset."""
        row = self._read(
            lambda con: con.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone(), key="dataset"
        )
        return row is not None and row[0] == "demo"

    def portfolio(self) -> Portfolio:
        """Today's portfolio, with the accounts' actuals of its operations."""
        return self._read(read_portfolio)

    def operation_version(self, operation_id: str) -> int:
        return self._read(lambda con: current_version(con, operation_id))

    def portfolio_with_versions(self) -> tuple[Portfolio, dict[str, int]]:
        """The portfolio and each operation's current version, read together (an export writes the
        version in its ``version`` column: re-imported, the file is checked against what changed since)."""

        def read(con: Connection) -> tuple[Portfolio, dict[str, int]]:
            portfolio = read_portfolio(con)
            rows = con.execute("SELECT id, max(version) FROM operation_versions GROUP BY id").fetchall()
            known = {str(r[0]): int(r[1]) for r in rows}
            return portfolio, {op.id: known.get(op.id, 0) for op in portfolio.operations}

        return self._read(read)

    def import_operations(self, path: str | Path, *, replace: bool = False, reason: str | None = None) -> ImportSummary:
        """Import a template file: add new ids and update existing ones (or replace all).

        All or nothing. An update changes only the columns present in the file; an empty cell
        in a present column clears that field. Dependencies are checked against the store and
        the file together. Checks and writes happen in one transaction.
        """
        from formats.update import read_import

        self.check_may_import(replace=replace)  # before the file is parsed: a refusal costs nothing
        parsed = read_import(path, self.neighbourhoods())
        source = Path(path).name

        def write(con: Connection, actor: Person) -> ImportSummary:
            if replace:
                enforce(actor, Action.REPLACE_PORTFOLIO, "remplacer tout le portefeuille (import --replace)")
            current = read_operations(con)
            incoming = parsed.merged_with({op.id: op for op in current}, replace=replace)
            if parsed.versions:
                incoming = checked_against_versions(
                    con, incoming, current, parsed.versions, parsed.present, parsed.row_of_id, source
                )
            return merge_operations(
                con,
                actor,
                current,
                incoming,
                replace=replace,
                source=source,
                reason=reason,
                row_of_id=parsed.row_of_id,
                action=f"import {source}" + (" (remplacement)" if replace else ""),
            )

        return self._write(write)

    def check_may_import(self, *, replace: bool = False) -> Person:
        """The person acting, if they may import at all; ``AccessDenied`` otherwise.

        Checked before a file is read: someone who may not import never makes the server parse
        one. The write checks again, per directorate, in its transaction.
        """

        def check(con: Connection) -> Person:
            actor = acting_person(con, self.caller)
            if replace:
                enforce(actor, Action.REPLACE_PORTFOLIO, "remplacer tout le portefeuille (import --replace)")
            enforce(actor, Action.EDIT_OPERATIONS, "importer des opérations")
            return actor

        return self._read(check)

    def save_operation(
        self, operation: Operation, *, reason: str | None = None, expected_version: int | None = None
    ) -> ImportSummary:
        """Add or update one operation (validated with the whole portfolio).

        ``expected_version``: the version the form was opened at. If the operation changed since,
        the fields changed here are checked against those changed since (``store.stale``).
        """

        def write(con: Connection, actor: Person) -> ImportSummary:
            current = read_operations(con)
            wanted = [operation]
            if expected_version is not None:
                wanted = checked_against_versions(
                    con,
                    wanted,
                    current,
                    {operation.id: expected_version},
                    frozenset(COLUMNS),
                    {},
                    f"l'opération {operation.id}",
                )
            return merge_operations(
                con,
                actor,
                current,
                wanted,
                replace=False,
                source=f"l'opération {operation.id}",
                reason=reason,
                action=f"opération {operation.id}",
            )

        return self._write(write)

    def delete_operation(self, operation_id: str, *, reason: str | None = None) -> None:
        def write(con: Connection, actor: Person) -> None:
            current = read_operations(con)
            by_id = {op.id: op for op in current}
            if operation_id not in by_id:
                raise StoreError(f"L'opération {operation_id} n'existe pas.")
            enforce(
                actor,
                Action.EDIT_OPERATIONS,
                f"supprimer l'opération {operation_id}",
                directorates={by_id[operation_id].directorate},
            )
            dependants = [op.id for op in current if op.depends_on == operation_id]
            if dependants:
                raise StoreError(
                    f"L'opération {operation_id} ne peut pas être supprimée : {', '.join(dependants)} en dépend(ent)."
                )
            refuse_if_chosen(con, {operation_id}, f"l'opération {operation_id}")
            cs = open_change_set(con, actor, f"suppression de l'opération {operation_id}", reason)
            apply_changes(con, cs, actor, {operation_id: None}, current, reason)

        self._write(write)

    def restore_operation(self, operation_id: str, version: int, *, reason: str | None = None) -> int:
        """Write version ``version`` of an operation again, as a new recorded version."""

        def write(con: Connection, actor: Person) -> int:
            enforce(actor, Action.RESTORE_VERSION, "restaurer une version antérieure")
            row = con.execute(
                "SELECT payload FROM operation_versions WHERE id = ? AND version = ?", [operation_id, version]
            ).fetchone()
            if row is None:
                known = [
                    r[0]
                    for r in con.execute(
                        "SELECT version FROM operation_versions WHERE id = ? ORDER BY version", [operation_id]
                    ).fetchall()
                ]
                raise StoreError(
                    f"L'opération {operation_id} n'a pas de version {version}"
                    + (f" (versions : {', '.join(map(str, known))})." if known else " : opération inconnue.")
                )
            if row[0] is None:
                raise StoreError(f"La version {version} de {operation_id} est sa suppression : rien à restaurer.")
            restored = Operation.model_validate_json(row[0])
            merge_operations(
                con,
                actor,
                read_operations(con),
                [restored],
                replace=False,
                source=f"l'opération {operation_id}",
                reason=reason or f"restauration de la version {version}",
                action=f"restauration de {operation_id} (version {version})",
            )
            return current_version(con, operation_id)

        return self._write(write)

    def undo_change_set(self, change_set: int, *, reason: str | None = None) -> ImportSummary | ActualsUndone:
        """Undo a whole change set (an import, ``--replace`` included, or an actuals import) as one new
        change set."""

        def write(con: Connection, actor: Person) -> ImportSummary | ActualsUndone:
            enforce(actor, Action.UNDO_CHANGE_SET, "annuler un lot de modifications")
            row = con.execute("SELECT action, undone_by FROM change_sets WHERE id = ?", [change_set]).fetchone()
            if row is None:
                raise StoreError(f"Aucun lot de modifications n° {change_set}.")
            if row[1] is not None:
                raise StoreError(f"Le lot n° {change_set} a déjà été annulé (lot n° {row[1]}).")
            touched = con.execute(
                "SELECT id, version FROM operation_versions WHERE change_set = ? ORDER BY id", [change_set]
            ).fetchall()
            if not touched:
                undone = undo_actuals_import(con, actor, change_set, row[0], reason)
                if undone is not None:
                    return undone
                raise StoreError(f"Le lot n° {change_set} ({row[0]}) ne modifie aucune opération.")
            target: dict[str, Operation | None] = {}
            later = []
            for op_id, version in touched:
                if current_version(con, op_id) != version:
                    later.append(op_id)
                    continue
                previous = con.execute(
                    "SELECT payload FROM operation_versions WHERE id = ? AND version < ? ORDER BY version DESC LIMIT 1",
                    [op_id, version],
                ).fetchone()
                payload = previous[0] if previous else None
                target[op_id] = Operation.model_validate_json(payload) if payload else None
            if later:
                raise StoreError(
                    f"Le lot n° {change_set} ne peut pas être annulé : {', '.join(later)} "
                    "a (ont) été modifiée(s) depuis. Restaurez ces opérations une à une."
                )
            current = read_operations(con)
            merged = {op.id: op for op in current}
            for op_id, op in target.items():
                if op is None:
                    merged.pop(op_id, None)
                else:
                    merged[op_id] = op
            removed = {op_id for op_id, op in target.items() if op is None}
            source = f"l'annulation du lot n° {change_set}"
            refuse_if_chosen(con, removed, source)
            build_portfolio(read_neighbourhoods(con), list(merged.values()), {}, source)
            cs = open_change_set(con, actor, f"annulation du lot n° {change_set} ({row[0]})", reason)
            added, updated, gone = apply_changes(con, cs, actor, target, current, reason)
            con.execute("UPDATE change_sets SET undone_by = ? WHERE id = ?", [cs, change_set])
            return ImportSummary(added=added, updated=updated, removed=gone, total=len(merged), change_set=cs)

        return self._write(write)


def merge_operations(
    con: Connection,
    actor: Person,
    current: list[Operation],
    incoming: list[Operation],
    *,
    replace: bool,
    source: str,
    reason: str | None,
    action: str,
    row_of_id: dict[str, int] | None = None,
) -> ImportSummary:
    """Check (roles, dependencies with store + file, scenarios) then write, in the caller's transaction."""
    by_id = {op.id: op for op in current}
    if replace:
        merged = list(incoming)
        removed = set(by_id) - {op.id for op in incoming}
        refuse_if_chosen(con, removed, source)
    else:
        merged_by_id = dict(by_id)
        for op in incoming:
            merged_by_id[op.id] = op
        merged = list(merged_by_id.values())
        removed = set()
    changed = [op for op in incoming if by_id.get(op.id) != op]
    touched = {op.directorate for op in changed} | {by_id[op.id].directorate for op in changed if op.id in by_id}
    touched |= {by_id[i].directorate for i in removed}
    if touched:
        enforce(
            actor,
            Action.EDIT_OPERATIONS,
            "modifier ces opérations"
            if len(changed) > 1
            else f"modifier l'opération {changed[0].id}"
            if changed
            else "retirer ces opérations",
            directorates=touched,
        )
    build_portfolio(read_neighbourhoods(con), merged, row_of_id or {}, source)
    target: dict[str, Operation | None] = {op.id: op for op in changed}
    target.update({i: None for i in removed})
    cs = None
    added: list[str] = []
    updated: list[str] = []
    if target:
        cs = open_change_set(con, actor, action, reason)
        if replace:
            reposition(con, [op.id for op in incoming])
        added, updated, _gone = apply_changes(con, cs, actor, target, current, reason)
    unchanged = [op.id for op in incoming if op.id in by_id and op.id not in target]
    return ImportSummary(
        added=added,
        updated=updated + unchanged,
        total=len(merged),
        removed=sorted(removed) or None,
        change_set=cs,
        unchanged=tuple(unchanged),
    )


def checked_against_versions(
    con: Connection,
    incoming: list[Operation],
    current: list[Operation],
    versions: dict[str, int],
    present: frozenset[str],
    row_of_id: dict[str, int],
    source: str,
) -> list[Operation]:
    """``incoming`` with each row read at a known version reconciled with what changed since
    (``store.stale.reconcile``); ``ImportRefused`` naming who changed what when one conflicts."""
    by_id = {op.id: op for op in current}
    issues = Issues()
    result = []
    for op in incoming:
        if op.id not in versions:
            result.append(op)
            continue
        safe, problems = reconcile(con, op, versions[op.id], by_id.get(op.id), present, row_of_id.get(op.id))
        issues.extend(problems)
        if safe is not None:
            result.append(safe)
    if issues:
        raise issues.refusal(source)
    return result


def refuse_if_chosen(con: Connection, removed: set[str], source: str) -> None:
    """A removed operation that a saved scenario still chooses would break that scenario: refused."""
    if not removed:
        return
    issues = []
    for name, payload in con.execute("SELECT name, payload FROM scenarios ORDER BY name").fetchall():
        choices = json.loads(payload).get("choices") or {}
        for op_id in sorted(removed & set(choices)):
            issues.append(
                ImportIssue(None, "id", op_id, f"absente du fichier mais utilisée par le scénario « {name} »")
            )
    if issues:
        raise ImportRefused(issues, source)


def read_portfolio(con: Connection) -> Portfolio:
    """Today's portfolio with the accounts' actuals: what every figure of the store is computed on
    (pages, ``run``, a decision's figures), so that they all agree."""
    from store.actuals import read_actuals

    operations = read_operations(con)
    actuals = read_actuals(con, known={op.id for op in operations})
    return valid_portfolio(read_neighbourhoods(con), operations, actuals)
