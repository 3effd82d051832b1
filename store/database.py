"""The DuckDB store and its service layer: every read and write of the shared portfolio.

Every write goes through this class: it knows who is acting (``Store.as_user``), checks their
role (``store.access``), and appends to the history in the same transaction as the change, so
a refusal or a failure changes nothing. Conflicting writes (DuckDB's optimistic concurrency)
are retried, then reported in French.

The database file is opened for each unit of work, not for the life of the process
(``store.connection``): the CLI can import, export, report or back up while the app runs.

The schema carries a version table and migrations; an empty database is created and seeded
from ``data/`` on first open. History starts with an "état initial" entry.
"""

from __future__ import annotations

import getpass
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from pydantic import ValidationError

from simulation.drift import Drift, drift
from simulation.errors import french_message
from simulation.model import FUNDERS, Neighbourhood, Operation, Portfolio
from simulation.scenario import Scenario
from store import connection, paths
from store.access import AccessDenied, Person, Role, parse_role, require, require_directorates, require_scenario_owner
from store.errors import ScenarioConflict, StoreError
from store.files import load_neighbourhoods, load_portfolio, load_scenario_file
from store.import_file import (
    ImportIssue,
    ImportRefused,
    build_portfolio,
    operation_to_row,
)
from store.opening import DatabaseRefused, check_database

T = TypeVar("T")


_FUNDER_COLUMNS = [f"funding_{f.value}" for f in FUNDERS]
_OPERATION_FIELDS = [
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
]

MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE neighbourhoods (
            code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, status VARCHAR NOT NULL, project VARCHAR
        );
        CREATE TABLE operations (
            id VARCHAR PRIMARY KEY, position INTEGER NOT NULL,
            neighbourhood VARCHAR NOT NULL, title VARCHAR NOT NULL, facility_type VARCHAR NOT NULL,
            nature VARCHAR NOT NULL, owner VARCHAR NOT NULL, directorate VARCHAR NOT NULL,
            maturity VARCHAR NOT NULL, area_m2 DOUBLE, capacity INTEGER, programme VARCHAR,
            cost_ht DOUBLE NOT NULL, price_year INTEGER NOT NULL, vat_rate DOUBLE NOT NULL,
            start VARCHAR NOT NULL, programming_months INTEGER NOT NULL, design_months INTEGER NOT NULL,
            tendering_months INTEGER NOT NULL, works_months INTEGER NOT NULL, priority INTEGER NOT NULL,
            depends_on VARCHAR,
            funding_anru DOUBLE NOT NULL, funding_etat DOUBLE NOT NULL, funding_region DOUBLE NOT NULL,
            funding_departement DOUBLE NOT NULL, funding_caf DOUBLE NOT NULL,
            funding_metropole DOUBLE NOT NULL, funding_autres DOUBLE NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE scenarios (
            name VARCHAR PRIMARY KEY, payload VARCHAR NOT NULL, author VARCHAR, rationale VARCHAR,
            parent VARCHAR, is_reference BOOLEAN NOT NULL, version INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        """,
    ),
    (
        2,
        """
        CREATE TABLE people (
            name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, directorates VARCHAR NOT NULL,
            email VARCHAR, created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE change_sets (
            id INTEGER PRIMARY KEY, changed_at TIMESTAMP NOT NULL, user_name VARCHAR NOT NULL,
            action VARCHAR NOT NULL, reason VARCHAR, undone_by INTEGER
        );
        CREATE TABLE history (
            change_set INTEGER NOT NULL, seq INTEGER NOT NULL, changed_at TIMESTAMP NOT NULL,
            user_name VARCHAR NOT NULL, kind VARCHAR NOT NULL, target VARCHAR, directorate VARCHAR,
            field VARCHAR, before VARCHAR, after VARCHAR, reason VARCHAR, version INTEGER,
            PRIMARY KEY (change_set, seq)
        );
        CREATE TABLE operation_versions (
            id VARCHAR NOT NULL, version INTEGER NOT NULL, change_set INTEGER NOT NULL, payload VARCHAR,
            PRIMARY KEY (id, version)
        );
        CREATE TABLE scenario_bin (
            bin_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, payload VARCHAR NOT NULL, author VARCHAR,
            rationale VARCHAR, parent VARCHAR, version INTEGER NOT NULL, created_at TIMESTAMP NOT NULL,
            deleted_by VARCHAR NOT NULL, deleted_at TIMESTAMP NOT NULL
        );
        CREATE TABLE milestones (
            name VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL,
            operations VARCHAR NOT NULL, change_set INTEGER NOT NULL
        );
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

SYSTEM_USER = "système"
CONFLICT_RETRIES = 8


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    author: str
    rationale: str
    parent: str | None
    is_reference: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredScenario:
    scenario: Scenario
    info: ScenarioInfo


@dataclass(frozen=True)
class BinnedScenario:
    name: str
    author: str
    version: int
    deleted_by: str
    deleted_at: datetime


@dataclass(frozen=True)
class ImportSummary:
    added: list[str]
    updated: list[str]
    total: int
    removed: list[str] | None = None
    change_set: int | None = None

    def __str__(self) -> str:
        removed = f", {len(self.removed)} retirée(s)" if self.removed else ""
        tail = f" (lot de modifications n° {self.change_set})" if self.change_set else ""
        return (
            f"{len(self.added)} opération(s) ajoutée(s), {len(self.updated)} mise(s) à jour{removed} ; "
            f"{self.total} opération(s) dans le portefeuille.{tail}"
        )


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


@dataclass(frozen=True)
class MilestoneInfo:
    name: str
    created_at: datetime
    created_by: str
    n_operations: int


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _unjson(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "inconnu"


# One writer at a time in a process: DuckDB would otherwise make concurrent writers retry.
_WRITE_LOCK = threading.RLock()


class Store:
    """The shared database, seen by one person. Create with ``Store.open(path, user=...)``."""

    def __init__(self, path: Path, *, user: str | None = None, wait: float | None = None, linger: float = 1.0):
        self.path = path
        self.user = user
        self.wait = wait  # None: $SIMULATEUR_DB_WAIT_S (read at each unit of work), else 30 s
        self.linger = linger

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        seed: bool = True,
        user: str | None = None,
        wait: float | None = None,
        linger: float = 1.0,
    ) -> Store:
        """Open (creating, migrating and seeding if needed) the database at ``path``."""
        path = Path(path) if path is not None else paths.default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        store = cls(path, user=user, wait=wait, linger=linger)
        store._check_opening()  # newer or damaged: refused in French before anything is written
        store._migrate()
        if seed and store._is_empty():
            store.seed()
        return store

    def _check_opening(self) -> None:
        try:
            self._read(lambda con: check_database(con, self.path, SCHEMA_VERSION))
        except DatabaseRefused as exc:
            raise StoreError(str(exc)) from None

    def cursor(self) -> Store:
        """A handle on the same database for another thread or session."""
        return Store(self.path, user=self.user, wait=self.wait, linger=self.linger)

    def as_user(self, user: str | None) -> Store:
        """The same database, with ``user`` acting."""
        return Store(self.path, user=user, wait=self.wait, linger=self.linger)

    def close(self) -> None:
        connection.release(self.path)

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            con = connection.connect(self.path, paths.database_wait_seconds() if self.wait is None else self.wait)
        except connection.DatabaseBusy as exc:
            raise StoreError(str(exc)) from None
        try:
            yield con
        finally:
            con.close()
            connection.linger(self.path, self.linger)

    def _read(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with self._connection() as con:
            return fn(con)

    def _write(self, fn: Callable[[duckdb.DuckDBPyConnection, Person], T], *, system: bool = False) -> T:
        """Run ``fn`` (checks, then writes) in one transaction, retried on a write conflict."""
        for attempt in range(CONFLICT_RETRIES):
            with _WRITE_LOCK, self._connection() as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    actor = (
                        Person(SYSTEM_USER, Role.ADMINISTRATEUR, implicit=True) if system else _actor(con, self.user)
                    )
                    result = fn(con, actor)
                    con.execute("COMMIT")
                    return result
                except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
                    _rollback(con)
                    if "conflict" not in str(exc).lower() and not isinstance(exc, duckdb.ConstraintException):
                        raise StoreError(f"Écriture refusée par la base : {exc}") from None
                except BaseException:
                    _rollback(con)
                    raise
            time.sleep(0.01 * (attempt + 1))
        raise ScenarioConflict("Quelqu'un d'autre a enregistré au même moment : rien n'a été écrit, réessayez.")

    def _migrate(self) -> None:
        def migrate(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] if row and row[0] is not None else 0
            for version, sql in MIGRATIONS:
                if version > current:
                    con.execute(sql)
                    con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
            if 0 < current < 2:
                _initial_state(con, "état initial (base reprise de la version précédente)")
            if current < 2 and con.execute("SELECT count(*) FROM meta WHERE key = 'dataset'").fetchone() == (0,):
                _mark_dataset(con)

        self._write(migrate, system=True)

    def schema_version(self) -> int:
        row = self._read(lambda con: con.execute("SELECT max(version) FROM schema_version").fetchone())
        return int(row[0]) if row and row[0] is not None else 0

    def _is_empty(self) -> bool:
        row = self._read(lambda con: con.execute("SELECT count(*) FROM neighbourhoods").fetchone())
        return not row or row[0] == 0

    def seed(
        self,
        operations_file: str | Path = paths.DEMO_OPERATIONS_CSV,
        scenario_file: str | Path = paths.DEMO_SCENARIO_JSON,
        neighbourhoods_file: str | Path = paths.NEIGHBOURHOODS_CSV,
        variant_files: tuple[Path, ...] = paths.DEMO_VARIANT_JSONS,
    ) -> None:
        """Fill an empty store with the shipped neighbourhoods, portfolio and scenarios."""
        neighbourhoods = load_neighbourhoods(neighbourhoods_file)
        portfolio = load_portfolio(operations_file, neighbourhoods)
        reference = load_scenario_file(scenario_file)
        variants = [load_scenario_file(path) for path in variant_files]
        for variant in variants:
            problems = variant.check_against(portfolio)
            if problems:
                raise StoreError(f"Scénario livré « {variant.name} » invalide : " + " ; ".join(problems))
        demo = Path(operations_file).resolve() == paths.DEMO_OPERATIONS_CSV.resolve()

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            _insert_neighbourhoods(con, neighbourhoods)
            _insert_operations(con, portfolio.operations, replace=True)
            _insert_scenario(con, reference, is_reference=True)
            for variant in variants:
                _insert_scenario(con, variant, is_reference=False)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [reference.name])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', ?)", ["demo" if demo else "ville"])
            source = "jeu de démonstration" if demo else Path(operations_file).name
            _initial_state(con, f"état initial ({source})")

        self._write(write, system=True)

    # ------------------------------------------------------------------ people

    def people(self) -> list[Person]:
        return self._read(_people)

    def whoami(self) -> Person:
        """The person acting; ``AccessDenied`` if people are defined and the user is unknown."""
        return self._read(lambda con: _actor(con, self.user))

    def add_person(
        self, name: str, role: str, directorates: tuple[str, ...] = (), *, reason: str | None = None
    ) -> None:
        name = (name or "").strip()
        if not name:
            raise StoreError("Le nom de la personne ne peut pas être vide.")
        parsed = parse_role(role)

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            require(actor, Role.ADMINISTRATEUR, "gérer les personnes et les droits")
            if con.execute("SELECT 1 FROM people WHERE lower(name) = lower(?)", [name]).fetchone():
                raise StoreError(f"« {name} » est déjà défini(e). Modifiez ses droits avec « users set ».")
            if not _people(con) and parsed != Role.ADMINISTRATEUR:
                raise StoreError(
                    "La première personne définie doit être administrateur, sinon plus personne ne pourrait "
                    "gérer les droits."
                )
            con.execute(
                "INSERT INTO people VALUES (?, ?, ?, NULL, ?)", [name, parsed.value, _json(list(directorates)), _now()]
            )
            cs = _change_set(con, actor, "personne ajoutée", reason)
            _record(
                con,
                cs,
                actor,
                "personne",
                name,
                None,
                None,
                None,
                {"role": parsed.value, "directions": list(directorates)},
                reason,
                None,
            )

        self._write(write)

    def set_person(
        self,
        name: str,
        *,
        role: str | None = None,
        directorates: tuple[str, ...] | None = None,
        reason: str | None = None,
    ) -> None:
        parsed = parse_role(role) if role is not None else None

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            require(actor, Role.ADMINISTRATEUR, "gérer les personnes et les droits")
            person = _find_person(con, name)
            new_role = parsed or person.role
            new_dirs = person.directorates if directorates is None else tuple(directorates)
            if person.role == Role.ADMINISTRATEUR and new_role != Role.ADMINISTRATEUR:
                _refuse_last_admin(con, person.name)
            con.execute(
                "UPDATE people SET role = ?, directorates = ? WHERE name = ?",
                [new_role.value, _json(list(new_dirs)), person.name],
            )
            cs = _change_set(con, actor, "droits modifiés", reason)
            if new_role != person.role:
                _record(
                    con,
                    cs,
                    actor,
                    "personne",
                    person.name,
                    None,
                    "role",
                    person.role.value,
                    new_role.value,
                    reason,
                    None,
                )
            if new_dirs != person.directorates:
                _record(
                    con,
                    cs,
                    actor,
                    "personne",
                    person.name,
                    None,
                    "directions",
                    list(person.directorates),
                    list(new_dirs),
                    reason,
                    None,
                )

        self._write(write)

    def remove_person(self, name: str, *, reason: str | None = None) -> None:
        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            require(actor, Role.ADMINISTRATEUR, "gérer les personnes et les droits")
            person = _find_person(con, name)
            if person.role == Role.ADMINISTRATEUR:
                _refuse_last_admin(con, person.name)
            con.execute("DELETE FROM people WHERE name = ?", [person.name])
            cs = _change_set(con, actor, "personne retirée", reason)
            _record(
                con,
                cs,
                actor,
                "personne",
                person.name,
                None,
                None,
                {"role": person.role.value, "directions": list(person.directorates)},
                None,
                reason,
                None,
            )

        self._write(write)

    # ------------------------------------------------------------------ portfolio

    def neighbourhoods(self) -> tuple[Neighbourhood, ...]:
        return self._read(_neighbourhoods)

    def revision(self) -> int:
        """A number that changes whenever the portfolio changes (a cache key for pages)."""
        row = self._read(lambda con: con.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone())
        return int(row[0]) if row else 0

    def is_demo(self) -> bool:
        """True when the portfolio is the shipped demonstration dataset."""
        row = self._read(lambda con: con.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone())
        return row is not None and row[0] == "demo"

    def portfolio(self) -> Portfolio:
        def read(con: duckdb.DuckDBPyConnection) -> Portfolio:
            return _valid_portfolio(_neighbourhoods(con), _operations(con))

        return self._read(read)

    def operation_version(self, operation_id: str) -> int:
        row = self._read(
            lambda con: con.execute(
                "SELECT max(version) FROM operation_versions WHERE id = ?", [operation_id]
            ).fetchone()
        )
        return int(row[0]) if row and row[0] is not None else 0

    def import_operations(self, path: str | Path, *, replace: bool = False, reason: str | None = None) -> ImportSummary:
        """Import a template file: add new ids and update existing ones (or replace all).

        All or nothing. An update changes only the columns present in the file; an empty cell
        in a present column clears that field. Dependencies are checked against the store and
        the file together. Checks and writes happen in one transaction.
        """
        from store.import_update import read_import

        parsed = read_import(path, self.neighbourhoods())
        source = Path(path).name

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> ImportSummary:
            if replace:
                require(actor, Role.ADMINISTRATEUR, "remplacer tout le portefeuille (import --replace)")
            current = _operations(con)
            incoming = parsed.merged_with({op.id: op for op in current}, replace=replace)
            return _merge(
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

    def save_operation(self, operation: Operation, *, reason: str | None = None) -> ImportSummary:
        """Add or update one operation (validated with the whole portfolio)."""

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> ImportSummary:
            return _merge(
                con,
                actor,
                _operations(con),
                [operation],
                replace=False,
                source=f"l'opération {operation.id}",
                reason=reason,
                action=f"opération {operation.id}",
            )

        return self._write(write)

    def delete_operation(self, operation_id: str, *, reason: str | None = None) -> None:
        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            current = _operations(con)
            by_id = {op.id: op for op in current}
            if operation_id not in by_id:
                raise StoreError(f"L'opération {operation_id} n'existe pas.")
            require_directorates(actor, {by_id[operation_id].directorate}, f"supprimer l'opération {operation_id}")
            dependants = [op.id for op in current if op.depends_on == operation_id]
            if dependants:
                raise StoreError(
                    f"L'opération {operation_id} ne peut pas être supprimée : {', '.join(dependants)} en dépend(ent)."
                )
            _refuse_if_chosen(con, {operation_id}, f"l'opération {operation_id}")
            cs = _change_set(con, actor, f"suppression de l'opération {operation_id}", reason)
            _apply(con, cs, actor, {operation_id: None}, current, reason)

        self._write(write)

    def restore_operation(self, operation_id: str, version: int, *, reason: str | None = None) -> int:
        """Write version ``version`` of an operation again, as a new recorded version."""

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> int:
            require(actor, Role.ADMINISTRATEUR, "restaurer une version antérieure")
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
            current = _operations(con)
            _merge(
                con,
                actor,
                current,
                [restored],
                replace=False,
                source=f"l'opération {operation_id}",
                reason=reason or f"restauration de la version {version}",
                action=f"restauration de {operation_id} (version {version})",
            )
            return _current_version(con, operation_id)

        return self._write(write)

    def undo_change_set(self, change_set: int, *, reason: str | None = None) -> ImportSummary:
        """Undo a whole change set (an import, ``--replace`` included) as one new change set."""

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> ImportSummary:
            require(actor, Role.ADMINISTRATEUR, "annuler un lot de modifications")
            row = con.execute("SELECT action, undone_by FROM change_sets WHERE id = ?", [change_set]).fetchone()
            if row is None:
                raise StoreError(f"Aucun lot de modifications n° {change_set}.")
            if row[1] is not None:
                raise StoreError(f"Le lot n° {change_set} a déjà été annulé (lot n° {row[1]}).")
            touched = con.execute(
                "SELECT id, version FROM operation_versions WHERE change_set = ? ORDER BY id", [change_set]
            ).fetchall()
            if not touched:
                raise StoreError(f"Le lot n° {change_set} ({row[0]}) ne modifie aucune opération.")
            target: dict[str, Operation | None] = {}
            later = []
            for op_id, version in touched:
                if _current_version(con, op_id) != version:
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
            current = _operations(con)
            merged = {op.id: op for op in current}
            for op_id, op in target.items():
                if op is None:
                    merged.pop(op_id, None)
                else:
                    merged[op_id] = op
            removed = {op_id for op_id, op in target.items() if op is None}
            _refuse_if_chosen(con, removed, f"l'annulation du lot n° {change_set}")
            _checked(list(merged.values()), _neighbourhoods(con), {}, f"l'annulation du lot n° {change_set}")
            cs = _change_set(con, actor, f"annulation du lot n° {change_set} ({row[0]})", reason)
            added, updated, gone = _apply(con, cs, actor, target, current, reason)
            con.execute("UPDATE change_sets SET undone_by = ? WHERE id = ?", [cs, change_set])
            return ImportSummary(added=added, updated=updated, removed=gone, total=len(merged), change_set=cs)

        return self._write(write)

    # ------------------------------------------------------------------ scenarios

    def reference_name(self) -> str:
        row = self._read(lambda con: con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone())
        if row is None:
            raise StoreError("La base ne contient pas de scénario de référence.")
        return str(row[0])

    def reference_scenario(self) -> StoredScenario:
        """The reference scenario, in one read (what a page compares against at every rerun)."""

        def read(con: duckdb.DuckDBPyConnection) -> StoredScenario:
            row = con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone()
            if row is None:
                raise StoreError("La base ne contient pas de scénario de référence.")
            return _load_scenario(con, str(row[0]))

        return self._read(read)

    def list_scenarios(self) -> list[ScenarioInfo]:
        return self._read(_list_scenarios)

    def load_scenario(self, name: str) -> StoredScenario:
        return self._read(lambda con: _load_scenario(con, name))

    def save_scenario(
        self, scenario: Scenario, *, expected_version: int | None = None, reason: str | None = None
    ) -> int:
        """Save under ``scenario.name``; returns the new version number.

        A new name is created. An existing name is overwritten only when ``expected_version``
        is the version the caller loaded: if someone saved in between, ``ScenarioConflict``
        says so and nothing is written (the caller can save under another name). The author
        recorded is the person acting.
        """

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> int:
            return _save_scenario(con, actor, scenario, expected_version, reason)

        return self._write(write)

    def duplicate_scenario(
        self, source: str, new_name: str, *, author: str = "", rationale: str | None = None
    ) -> Scenario:
        original = self.load_scenario(source).scenario
        copy = original.model_copy(
            update={
                "name": _checked_name(new_name),
                "parent": source,
                "author": author or original.author,
                "rationale": original.rationale if rationale is None else rationale,
            }
        )
        self.save_scenario(copy)
        return self.load_scenario(copy.name).scenario

    def rename_scenario(self, old: str, new: str, *, reason: str | None = None) -> None:
        new = _checked_name(new)

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            stored = _load_scenario(con, old)
            require_scenario_owner(actor, stored.info.author, stored.info.is_reference, f"renommer « {old} »")
            if con.execute("SELECT 1 FROM scenarios WHERE name = ?", [new]).fetchone():
                raise ScenarioConflict(f"Un scénario « {new} » existe déjà. Choisissez un autre nom.")
            renamed = stored.scenario.model_copy(update={"name": new})
            version = stored.info.version + 1
            con.execute(
                "UPDATE scenarios SET name = ?, payload = ?, version = ?, updated_at = ? WHERE name = ?",
                [new, renamed.model_dump_json(), version, _now(), old],
            )
            con.execute("UPDATE scenarios SET parent = ? WHERE parent = ?", [new, old])
            if stored.info.is_reference:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [new])
            cs = _change_set(con, actor, f"scénario « {old} » renommé", reason)
            _record(con, cs, actor, "scénario", new, None, "name", old, new, reason, version)

        self._write(write)

    def delete_scenario(self, name: str, *, reason: str | None = None) -> None:
        """Send a scenario to the bin (its author or an administrateur can restore it)."""

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            stored = _load_scenario(con, name)
            if stored.info.is_reference:
                raise StoreError(f"Le scénario de référence « {name} » ne peut pas être supprimé.")
            require_scenario_owner(actor, stored.info.author, False, f"supprimer « {name} »")
            payload = con.execute("SELECT payload FROM scenarios WHERE name = ?", [name]).fetchone()
            bin_id = _next_id(con, "scenario_bin", "bin_id")
            info = stored.info
            con.execute(
                "INSERT INTO scenario_bin VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    bin_id,
                    name,
                    payload[0] if payload else "{}",
                    info.author,
                    info.rationale,
                    info.parent,
                    info.version,
                    info.created_at,
                    actor.name,
                    _now(),
                ],
            )
            con.execute("DELETE FROM scenarios WHERE name = ?", [name])
            cs = _change_set(con, actor, f"scénario « {name} » mis à la corbeille", reason)
            _record(con, cs, actor, "scénario", name, None, None, "enregistré", "corbeille", reason, info.version)

        self._write(write)

    def binned_scenarios(self) -> list[BinnedScenario]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT name, author, version, deleted_by, deleted_at FROM scenario_bin ORDER BY deleted_at DESC, bin_id DESC"
            ).fetchall()
        )
        return [BinnedScenario(r[0], r[1] or "", int(r[2]), r[3], r[4]) for r in rows]

    def restore_scenario(self, name: str, *, reason: str | None = None) -> int:
        """Take the last binned scenario of that name out of the bin, as a new version."""

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> int:
            row = con.execute(
                "SELECT bin_id, payload, author, rationale, parent, version, created_at FROM scenario_bin "
                "WHERE name = ? ORDER BY bin_id DESC LIMIT 1",
                [name],
            ).fetchone()
            if row is None:
                raise StoreError(f"Aucun scénario « {name} » dans la corbeille.")
            author = row[2] or ""
            if author != actor.name and not actor.at_least(Role.ADMINISTRATEUR):
                raise AccessDenied(
                    f"Refusé : {actor.describe()} ne peut pas restaurer « {name} » : seuls son auteur "
                    f"({author or 'inconnu'}) et les administrateurs le peuvent."
                )
            if con.execute("SELECT 1 FROM scenarios WHERE name = ?", [name]).fetchone():
                raise ScenarioConflict(f"Un scénario « {name} » existe déjà : renommez-le avant de restaurer.")
            version = int(row[5]) + 1
            con.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?)",
                [name, row[1], author, row[3], row[4], version, row[6], _now()],
            )
            con.execute("DELETE FROM scenario_bin WHERE bin_id = ?", [row[0]])
            cs = _change_set(con, actor, f"scénario « {name} » restauré", reason)
            _record(con, cs, actor, "scénario", name, None, None, "corbeille", "restauré", reason, version)
            return version

        return self._write(write)

    def purge_scenario(self, name: str, *, reason: str | None = None) -> None:
        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> None:
            require(actor, Role.ADMINISTRATEUR, "vider la corbeille")
            if not con.execute("SELECT 1 FROM scenario_bin WHERE name = ?", [name]).fetchone():
                raise StoreError(f"Aucun scénario « {name} » dans la corbeille.")
            con.execute("DELETE FROM scenario_bin WHERE name = ?", [name])
            cs = _change_set(con, actor, f"scénario « {name} » purgé", reason)
            _record(con, cs, actor, "scénario", name, None, None, "corbeille", "purgé", reason, None)

        self._write(write)

    # ------------------------------------------------------------------ history

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
        where: list[str] = []
        params: list[Any] = []
        if operation is not None:
            where.append("kind = 'opération' AND target = ?")
            params.append(operation)
        if scenario is not None:
            where.append("kind = 'scénario' AND target = ?")
            params.append(scenario)
        if directorate is not None:
            where.append("directorate = ?")
            params.append(directorate)
        if user is not None:
            where.append("user_name = ?")
            params.append(user)
        if since is not None:
            where.append("changed_at >= ?")
            params.append(since)
        if until is not None:
            where.append("changed_at <= ?")
            params.append(until)
        sql = (
            "SELECT change_set, changed_at, user_name, kind, target, directorate, field, before, after, reason, version "
            "FROM history"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY change_set DESC, seq"
            + (f" LIMIT {int(limit)}" if limit else "")
        )
        rows = self._read(lambda con: con.execute(sql, params).fetchall())
        return [
            HistoryEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _unjson(r[7]), _unjson(r[8]), r[9], r[10])
            for r in rows
        ]

    def change_sets(self) -> list[ChangeSet]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT id, changed_at, user_name, action, reason, undone_by FROM change_sets ORDER BY id DESC"
            ).fetchall()
        )
        return [ChangeSet(*r) for r in rows]

    # ------------------------------------------------------------------ milestones

    def create_milestone(self, name: str, *, reason: str | None = None) -> MilestoneInfo:
        name = (name or "").strip()
        if not name:
            raise StoreError("Le nom du jalon ne peut pas être vide.")

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> MilestoneInfo:
            require(actor, Role.ARBITRE, "figer un jalon du portefeuille")
            if con.execute("SELECT 1 FROM milestones WHERE name = ?", [name]).fetchone():
                raise StoreError(f"Un jalon « {name} » existe déjà. Choisissez un autre nom.")
            operations = _operations(con)
            payload = json.dumps([op.model_dump(mode="json") for op in operations], ensure_ascii=False)
            cs = _change_set(con, actor, f"jalon « {name} » figé", reason)
            stamp = _now()
            con.execute("INSERT INTO milestones VALUES (?, ?, ?, ?, ?)", [name, stamp, actor.name, payload, cs])
            _record(con, cs, actor, "jalon", name, None, None, None, {"opérations": len(operations)}, reason, None)
            return MilestoneInfo(name, stamp, actor.name, len(operations))

        return self._write(write)

    def milestones(self) -> list[MilestoneInfo]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT name, created_at, created_by, json_array_length(operations) FROM milestones ORDER BY created_at, name"
            ).fetchall()
        )
        return [MilestoneInfo(r[0], r[1], r[2], int(r[3])) for r in rows]

    def milestone_portfolio(self, name: str) -> Portfolio:
        """The portfolio as frozen at the milestone (a scenario can run on it)."""

        def read(con: duckdb.DuckDBPyConnection) -> Portfolio:
            return _valid_portfolio(_neighbourhoods(con), _milestone_operations(con, name))

        return self._read(read)

    def drift(self, name: str) -> Drift:
        """Today's portfolio against the milestone ``name``, with the reference's commitment milestone."""

        def read(con: duckdb.DuckDBPyConnection) -> Drift:
            before = _milestone_operations(con, name)
            reference = con.execute("SELECT payload FROM scenarios WHERE is_reference").fetchone()
            milestone = Scenario.model_validate_json(reference[0]).commitment_milestone if reference else "works_start"
            return drift(tuple(before), tuple(_operations(con)), milestone)

        return self._read(read)

    # ------------------------------------------------------------------ whole database

    def backup(self, destination: str | Path) -> Path:
        """A consistent copy of the whole database, that ``Store.open`` (``--db``) opens."""
        destination = Path(destination).resolve()
        if destination == self.path.resolve():
            raise StoreError("La sauvegarde ne peut pas remplacer la base elle-même.")
        if destination.exists():
            raise StoreError(f"{destination} existe déjà : choisissez un autre fichier.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partiel")
        partial.unlink(missing_ok=True)
        with _WRITE_LOCK, self._connection() as con:
            database = con.execute("SELECT current_database()").fetchone()
            alias = "sauvegarde"
            con.execute(f"ATTACH '{_sql_text(partial)}' AS {alias}")
            try:
                con.execute(f'COPY FROM DATABASE "{database[0] if database else "main"}" TO {alias}')
            finally:
                con.execute(f"DETACH {alias}")
        partial.replace(destination)
        return destination

    def init_portfolio(
        self, operations_file: str | Path, scenario_file: str | Path | None = None, *, force: bool = False
    ) -> ImportSummary:
        """Make the store hold the City's own portfolio and reference scenario, without the demo.

        On a store that already has operations, refused unless ``force`` (administrateur only).
        """
        neighbourhoods = load_neighbourhoods()
        portfolio = load_portfolio(operations_file, neighbourhoods)
        reference = load_scenario_file(scenario_file) if scenario_file else Scenario(name="Référence")
        problems = reference.check_against(portfolio)
        if problems:
            raise StoreError(f"Scénario « {reference.name} » invalide : " + " ; ".join(problems))

        def write(con: duckdb.DuckDBPyConnection, actor: Person) -> ImportSummary:
            existing = _operations(con)
            has_scenarios = bool(con.execute("SELECT count(*) FROM scenarios").fetchone()[0])  # type: ignore[index]
            if existing or has_scenarios:
                if not force:
                    raise StoreError(
                        f"La base {self.path} contient déjà {len(existing)} opération(s) : rien n'a été fait. "
                        "Un administrateur peut la remplacer avec --force (une sauvegarde est prise avant)."
                    )
                require(actor, Role.ADMINISTRATEUR, "réinitialiser la base (init --force)")
            if not _neighbourhoods(con):
                _insert_neighbourhoods(con, neighbourhoods)
            cs = _change_set(con, actor, f"initialisation ({Path(operations_file).name})", None)
            for info in _list_scenarios(con):
                _record(
                    con,
                    cs,
                    actor,
                    "scénario",
                    info.name,
                    None,
                    None,
                    "enregistré",
                    "corbeille",
                    "remplacé par init",
                    info.version,
                )
                bin_id = _next_id(con, "scenario_bin", "bin_id")
                con.execute(
                    "INSERT INTO scenario_bin SELECT ?, name, payload, author, rationale, parent, version, created_at, "
                    "?, ? FROM scenarios WHERE name = ?",
                    [bin_id, actor.name, _now(), info.name],
                )
            con.execute("DELETE FROM scenarios")
            target: dict[str, Operation | None] = {op.id: None for op in existing}
            target.update({op.id: op for op in portfolio.operations})
            con.execute("DELETE FROM operations")
            _apply(con, cs, actor, target, [], None)
            _insert_scenario(
                con, reference.model_copy(update={"author": reference.author or actor.name}), is_reference=True
            )
            con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [reference.name])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', 'ville')")
            return ImportSummary(
                added=[op.id for op in portfolio.operations],
                updated=[],
                removed=[op.id for op in existing if op.id not in portfolio.by_id],
                total=len(portfolio.operations),
                change_set=cs,
            )

        return self._write(write)


# ---------------------------------------------------------------------- inside a transaction


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def _people(con: duckdb.DuckDBPyConnection) -> list[Person]:
    rows = con.execute("SELECT name, role, directorates FROM people ORDER BY name").fetchall()
    return [Person(r[0], Role(r[1]), tuple(_unjson(r[2]) or ())) for r in rows]


def _actor(con: duckdb.DuckDBPyConnection, user: str | None) -> Person:
    people = _people(con)
    if not people:
        return Person(user or "poste local", Role.ADMINISTRATEUR, implicit=True)
    if not user:
        raise AccessDenied(
            "Personne n'est identifié : choisissez votre nom (application) ou indiquez --user NOM (ligne de commande)."
        )
    for person in people:
        if person.name.lower() == user.strip().lower():
            return person
    rows = con.execute("SELECT name FROM people WHERE lower(email) = lower(?)", [user.strip()]).fetchall()
    if rows:
        return next(p for p in people if p.name == rows[0][0])
    raise AccessDenied(
        f"« {user} » n'est pas une personne connue de la base : rien n'a été fait. "
        f"Personnes définies : {', '.join(p.name for p in people)}. Un administrateur peut l'ajouter."
    )


def _find_person(con: duckdb.DuckDBPyConnection, name: str) -> Person:
    for person in _people(con):
        if person.name.lower() == (name or "").strip().lower():
            return person
    raise StoreError(f"Aucune personne nommée « {name} ».")


def _refuse_last_admin(con: duckdb.DuckDBPyConnection, name: str) -> None:
    admins = [p for p in _people(con) if p.role == Role.ADMINISTRATEUR]
    if [p.name for p in admins] == [name]:
        raise StoreError(f"{name} est le dernier administrateur : nommez-en un autre avant de le retirer.")


def _next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    row = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1


def _change_set(con: duckdb.DuckDBPyConnection, actor: Person, action: str, reason: str | None) -> int:
    cs = _next_id(con, "change_sets", "id")
    con.execute(
        "INSERT INTO change_sets VALUES (?, ?, ?, ?, ?, NULL)", [cs, _now(), actor.name, action, reason or None]
    )
    return cs


def _record(
    con: duckdb.DuckDBPyConnection,
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
    row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM history WHERE change_set = ?", [cs]).fetchone()
    con.execute(
        "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            cs,
            row[0] if row else 1,
            _now(),
            actor.name,
            kind,
            target,
            directorate,
            field,
            _json(before),
            _json(after),
            reason or None,
            version,
        ],
    )


def _initial_state(con: duckdb.DuckDBPyConnection, label: str) -> None:
    """History's first entry, and version 1 of every operation already there."""
    system = Person(SYSTEM_USER, Role.ADMINISTRATEUR, implicit=True)
    cs = _change_set(con, system, "état initial", label)
    operations = _operations(con)
    con.executemany(
        "INSERT INTO operation_versions VALUES (?, 1, ?, ?)",
        [[op.id, cs, op.model_dump_json()] for op in operations],
    )
    scenarios = con.execute("SELECT count(*) FROM scenarios").fetchone()
    _record(
        con,
        cs,
        system,
        "état initial",
        None,
        None,
        None,
        None,
        {"opérations": len(operations), "scénarios": int(scenarios[0]) if scenarios else 0},
        label,
        1,
    )


def _mark_dataset(con: duckdb.DuckDBPyConnection) -> None:
    try:
        demo_ids = {op.id for op in load_portfolio(paths.DEMO_OPERATIONS_CSV).operations}
    except (ImportRefused, OSError):
        demo_ids = set()
    ids = {r[0] for r in con.execute("SELECT id FROM operations").fetchall()}
    con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', ?)", ["demo" if ids and ids == demo_ids else "ville"])


def _neighbourhoods(con: duckdb.DuckDBPyConnection) -> tuple[Neighbourhood, ...]:
    rows = con.execute("SELECT code, name, status, project FROM neighbourhoods ORDER BY rowid").fetchall()
    return tuple(Neighbourhood(code=r[0], name=r[1], status=r[2], project=r[3] or "") for r in rows)


def _insert_neighbourhoods(con: duckdb.DuckDBPyConnection, neighbourhoods: tuple[Neighbourhood, ...]) -> None:
    con.executemany(
        "INSERT INTO neighbourhoods VALUES (?, ?, ?, ?)",
        [[n.code, n.name, n.status, n.project] for n in neighbourhoods],
    )


def _operations(con: duckdb.DuckDBPyConnection) -> list[Operation]:
    """The stored operations, each validated on its own (the portfolio's coherence is not assumed)."""
    columns = ", ".join(_OPERATION_FIELDS + _FUNDER_COLUMNS)
    cursor = con.execute(f"SELECT {columns} FROM operations ORDER BY position")
    names = [d[0] for d in cursor.description]
    operations = []
    for values in cursor.fetchall():
        record = dict(zip(names, values, strict=True))
        funding = {f.value: record.pop(f"funding_{f.value}") for f in FUNDERS}
        try:
            operations.append(Operation.model_validate({**record, "funding": funding}))
        except ValidationError as exc:
            raise StoreError(f"L'opération {record['id']} enregistrée est illisible :\n{french_message(exc)}") from None
    return operations


def _valid_portfolio(neighbourhoods: tuple[Neighbourhood, ...], operations: list[Operation]) -> Portfolio:
    try:
        return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations))
    except ValidationError as exc:
        raise StoreError(
            "Le portefeuille enregistré est incohérent :\n"
            + french_message(exc)
            + "\nCorrigez-le par un import (les dépendances sont vérifiées avec la base) ou `import --replace`."
        ) from None


def _milestone_operations(con: duckdb.DuckDBPyConnection, name: str) -> list[Operation]:
    row = con.execute("SELECT operations FROM milestones WHERE name = ?", [name]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM milestones ORDER BY created_at").fetchall()]
        raise StoreError(f"Aucun jalon « {name} ». Jalons : {', '.join(f'« {k} »' for k in known) or 'aucun'}.")
    return [Operation.model_validate(item) for item in json.loads(row[0])]


def _current_version(con: duckdb.DuckDBPyConnection, operation_id: str) -> int:
    row = con.execute("SELECT max(version) FROM operation_versions WHERE id = ?", [operation_id]).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _checked(
    operations: list[Operation], neighbourhoods: tuple[Neighbourhood, ...], row_of_id: dict[str, int], source: str
) -> Portfolio:
    return build_portfolio(neighbourhoods, operations, row_of_id, source)


def _merge(
    con: duckdb.DuckDBPyConnection,
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
        _refuse_if_chosen(con, removed, source)
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
        require_directorates(
            actor,
            touched,
            "modifier ces opérations"
            if len(changed) > 1
            else f"modifier l'opération {changed[0].id}"
            if changed
            else "retirer ces opérations",
        )
    _checked(merged, _neighbourhoods(con), row_of_id or {}, source)
    target: dict[str, Operation | None] = {op.id: op for op in changed}
    target.update({i: None for i in removed})
    cs = None
    added: list[str] = []
    updated: list[str] = []
    if target:
        cs = _change_set(con, actor, action, reason)
        if replace:
            _reposition(con, [op.id for op in incoming])
        added, updated, _gone = _apply(con, cs, actor, target, current, reason)
    unchanged = [op.id for op in incoming if op.id in by_id and op.id not in target]
    return ImportSummary(
        added=added, updated=updated + unchanged, total=len(merged), removed=sorted(removed) or None, change_set=cs
    )


def _reposition(con: duckdb.DuckDBPyConnection, order: list[str]) -> None:
    """After a replace, operations follow the file's order."""
    positions = dict(con.execute("SELECT id, position FROM operations").fetchall())
    offset = max(positions.values(), default=0) + len(order) + 1
    for index, op_id in enumerate(order):
        if op_id in positions:
            con.execute("UPDATE operations SET position = ? WHERE id = ?", [offset + index, op_id])


def _apply(
    con: duckdb.DuckDBPyConnection,
    cs: int,
    actor: Person,
    target: dict[str, Operation | None],
    current: list[Operation],
    reason: str | None,
) -> tuple[list[str], list[str], list[str]]:
    """Write ``target`` (id → new operation, or None to delete), a version and history per operation."""
    by_id = {op.id: op for op in current}
    added, updated, removed = [], [], []
    writes = []
    for op_id, new in target.items():
        old = by_id.get(op_id)
        if old == new:
            continue
        version = _current_version(con, op_id) + 1
        con.execute(
            "INSERT INTO operation_versions VALUES (?, ?, ?, ?)",
            [op_id, version, cs, None if new is None else new.model_dump_json()],
        )
        either = new if new is not None else old
        directorate = either.directorate if either is not None else None
        if old is None and new is not None:
            added.append(op_id)
            _record(con, cs, actor, "opération", op_id, directorate, None, None, _row(new), reason, version)
        elif new is None and old is not None:
            removed.append(op_id)
            _record(con, cs, actor, "opération", op_id, directorate, None, _row(old), None, reason, version)
        elif old is not None and new is not None:
            updated.append(op_id)
            before, after = _row(old), _row(new)
            for column in before:
                if before[column] != after[column]:
                    _record(
                        con,
                        cs,
                        actor,
                        "opération",
                        op_id,
                        directorate,
                        column,
                        before[column],
                        after[column],
                        reason,
                        version,
                    )
        writes.append((op_id, new))
    _write_operations(con, writes)
    return added, updated, removed


def _row(op: Operation) -> dict[str, Any]:
    return {k: (v.value if hasattr(v, "value") else v) for k, v in operation_to_row(op).items()}


def _write_operations(con: duckdb.DuckDBPyConnection, writes: list[tuple[str, Operation | None]]) -> None:
    """The operations table itself; bumps the revision that page caches follow."""
    if not writes:
        return
    _insert_operations(
        con,
        tuple(op for _i, op in writes if op is not None),
        replace=False,
        deleted=[i for i, op in writes if op is None],
    )


def _insert_operations(
    con: duckdb.DuckDBPyConnection,
    operations: tuple[Operation, ...],
    *,
    replace: bool,
    deleted: list[str] | None = None,
) -> None:
    if replace:
        con.execute("DELETE FROM operations")
    positions = dict(con.execute("SELECT id, position FROM operations").fetchall())
    stamp = _now()
    rows = []
    next_position = max(positions.values(), default=-1) + 1
    for op in operations:
        position = positions.get(op.id)
        if position is None:
            position, next_position = next_position, next_position + 1
        data = op.model_dump(mode="json")
        rows.append(
            [data["id"], position]
            + [data[f] for f in _OPERATION_FIELDS[1:]]
            + [op.funding.get(f, 0.0) for f in FUNDERS]
            + [stamp]
        )
    gone = [r[0] for r in rows] + list(deleted or [])
    if not replace and gone:
        con.execute("DELETE FROM operations WHERE id IN (SELECT unnest(?))", [gone])
    placeholders = ", ".join(["?"] * (2 + len(_OPERATION_FIELDS) - 1 + len(_FUNDER_COLUMNS) + 1))
    columns = ", ".join(["id", "position", *_OPERATION_FIELDS[1:], *_FUNDER_COLUMNS, "updated_at"])
    if rows:
        con.executemany(f"INSERT INTO operations ({columns}) VALUES ({placeholders})", rows)
    con.execute(
        "INSERT INTO meta VALUES ('revision', '1') "
        "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)"
    )


def _refuse_if_chosen(con: duckdb.DuckDBPyConnection, removed: set[str], source: str) -> None:
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


def _list_scenarios(con: duckdb.DuckDBPyConnection) -> list[ScenarioInfo]:
    rows = con.execute(
        "SELECT name, author, rationale, parent, is_reference, version, created_at, updated_at "
        "FROM scenarios ORDER BY is_reference DESC, updated_at DESC, name"
    ).fetchall()
    return [ScenarioInfo(r[0], r[1] or "", r[2] or "", r[3], bool(r[4]), int(r[5]), r[6], r[7]) for r in rows]


def _load_scenario(con: duckdb.DuckDBPyConnection, name: str) -> StoredScenario:
    row = con.execute(
        "SELECT payload, author, rationale, parent, is_reference, version, created_at, updated_at "
        "FROM scenarios WHERE name = ?",
        [name],
    ).fetchone()
    if row is None:
        known = ", ".join(f"« {i.name} »" for i in _list_scenarios(con))
        raise StoreError(f"Aucun scénario nommé « {name} ». Scénarios enregistrés : {known or 'aucun'}.")
    try:
        scenario = Scenario.model_validate_json(row[0])
    except ValidationError as exc:
        raise StoreError(f"Le scénario « {name} » enregistré est illisible :\n{french_message(exc)}") from None
    info = ScenarioInfo(name, row[1] or "", row[2] or "", row[3], bool(row[4]), int(row[5]), row[6], row[7])
    return StoredScenario(scenario, info)


def _save_scenario(
    con: duckdb.DuckDBPyConnection,
    actor: Person,
    scenario: Scenario,
    expected_version: int | None,
    reason: str | None,
) -> int:
    require(actor, Role.CONTRIBUTEUR, f"enregistrer le scénario « {scenario.name} »")
    if not actor.implicit or not scenario.author:
        scenario = scenario.model_copy(update={"author": actor.name})
    row = con.execute(
        "SELECT version, author, updated_at, payload, is_reference FROM scenarios WHERE name = ?", [scenario.name]
    ).fetchone()
    if row is None:
        _insert_scenario(con, scenario, is_reference=False)
        cs = _change_set(con, actor, f"scénario « {scenario.name} » créé", reason)
        _record(
            con,
            cs,
            actor,
            "scénario",
            scenario.name,
            None,
            None,
            None,
            {"parent": scenario.parent, "rationale": scenario.rationale},
            reason,
            1,
        )
        return 1
    version, author, updated_at, payload, is_reference = int(row[0]), row[1] or "?", row[2], row[3], bool(row[4])
    if expected_version is None:
        raise ScenarioConflict(
            f"Un scénario « {scenario.name} » existe déjà (enregistré par {author} le "
            f"{updated_at:%d/%m/%Y à %H:%M}). Choisissez un autre nom."
        )
    if expected_version != version:
        raise ScenarioConflict(
            f"Le scénario « {scenario.name} » a été modifié par {author} le "
            f"{updated_at:%d/%m/%Y à %H:%M} depuis que vous l'avez ouvert : rien n'a été "
            "écrasé. Enregistrez votre version sous un autre nom."
        )
    require_scenario_owner(actor, author, is_reference, f"modifier le scénario « {scenario.name} »")
    con.execute(
        "UPDATE scenarios SET payload = ?, author = ?, rationale = ?, parent = ?, version = ?, "
        "updated_at = ? WHERE name = ?",
        [
            scenario.model_dump_json(),
            scenario.author,
            scenario.rationale,
            scenario.parent,
            version + 1,
            _now(),
            scenario.name,
        ],
    )
    cs = _change_set(con, actor, f"scénario « {scenario.name} » enregistré", reason)
    for field, before, after in scenario_diff(json.loads(payload), json.loads(scenario.model_dump_json())):
        _record(con, cs, actor, "scénario", scenario.name, None, field, before, after, reason, version + 1)
    return version + 1


def scenario_diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Changed keys of two scenario payloads; choices, envelopes and headcounts one level deeper."""
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b or key == "author":
            continue
        if isinstance(a, dict) and isinstance(b, dict) and key in ("choices", "envelopes", "headcount"):
            for sub in sorted(set(a) | set(b)):
                if a.get(sub) != b.get(sub):
                    changes.append((f"{key}.{sub}", a.get(sub), b.get(sub)))
        else:
            changes.append((key, a, b))
    return changes


def _insert_scenario(con: duckdb.DuckDBPyConnection, scenario: Scenario, *, is_reference: bool) -> None:
    stamp = _now()
    con.execute(
        "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
        [
            scenario.name,
            scenario.model_dump_json(),
            scenario.author,
            scenario.rationale,
            scenario.parent,
            is_reference,
            stamp,
            stamp,
        ],
    )


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise StoreError("Le nom du scénario ne peut pas être vide.")
    if len(name) > 120:
        raise StoreError("Le nom du scénario est trop long (120 caractères au plus).")
    return name
