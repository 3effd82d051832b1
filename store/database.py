"""The DuckDB store: neighbourhoods, operations and saved scenarios.

One process owns the database file (DuckDB's rule); threads and Streamlit sessions each work
through their own cursor (``Store.cursor()``). Every write runs in one transaction, so a failed
write leaves the previous state intact. The schema carries a version table and migrations; an
empty database is created and seeded from ``data/`` on first open.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
from pydantic import ValidationError

from simulation.errors import french_message
from simulation.model import FUNDERS, Operation, Portfolio
from simulation.scenario import Scenario
from store import paths
from store.files import load_neighbourhoods, load_portfolio, load_scenario_file
from store.import_file import ImportIssue, ImportRefused, build_portfolio, read_table, rows_to_portfolio
from store.opening import DatabaseRefused, open_database


class StoreError(ValueError):
    """A store operation refused, with a French message for the user."""


class ScenarioConflict(StoreError):
    """Saving would overwrite someone else's work."""


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
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


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
class ImportSummary:
    added: list[str]
    updated: list[str]
    total: int

    def __str__(self) -> str:
        return (
            f"{len(self.added)} opération(s) ajoutée(s), {len(self.updated)} mise(s) à jour ; "
            f"{self.total} opération(s) dans le portefeuille."
        )


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


class Store:
    """Access to one DuckDB database. Create with ``Store.open(path)``."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: Path):
        self._con = connection
        self.path = path

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: str | Path | None = None, *, seed: bool = True) -> Store:
        """Open (creating, migrating and seeding if needed) the database at ``path``."""
        path = Path(path) if path is not None else paths.default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = open_database(path, SCHEMA_VERSION)  # locked, damaged or newer: refused in French
        except DatabaseRefused as exc:
            raise StoreError(str(exc)) from None
        store = cls(connection, path)
        store._migrate()
        if seed and store._is_empty():
            store.seed()
        return store

    def cursor(self) -> Store:
        """A handle on the same database for another thread or session."""
        return Store(self._con.cursor(), self.path)

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._con.execute("BEGIN TRANSACTION")
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        try:
            self._con.execute("COMMIT")
        except duckdb.TransactionException:
            raise ScenarioConflict(
                "Quelqu'un d'autre a enregistré au même moment : rien n'a été écrit, réessayez."
            ) from None

    def _migrate(self) -> None:
        with self._transaction() as con:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP)")
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] if row and row[0] is not None else 0
            for version, sql in MIGRATIONS:
                if version > current:
                    con.execute(sql)
                    con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])

    def schema_version(self) -> int:
        row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def _is_empty(self) -> bool:
        row = self._con.execute("SELECT count(*) FROM neighbourhoods").fetchone()
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
        with self._transaction() as con:
            con.executemany(
                "INSERT INTO neighbourhoods VALUES (?, ?, ?, ?)",
                [[n.code, n.name, n.status, n.project] for n in neighbourhoods],
            )
            self._write_operations(con, portfolio.operations, replace=True)
            self._insert_scenario(con, reference, is_reference=True)
            for variant in variants:
                self._insert_scenario(con, variant, is_reference=False)
            con.execute("INSERT INTO meta VALUES ('reference_scenario', ?)", [reference.name])

    # ------------------------------------------------------------------ portfolio

    def neighbourhoods(self) -> tuple[Any, ...]:
        from simulation.model import Neighbourhood

        rows = self._con.execute("SELECT code, name, status, project FROM neighbourhoods ORDER BY rowid").fetchall()
        return tuple(Neighbourhood(code=r[0], name=r[1], status=r[2], project=r[3] or "") for r in rows)

    def revision(self) -> int:
        """A number that changes whenever the portfolio changes (a cache key for pages)."""
        row = self._con.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0]) if row else 0

    def portfolio(self) -> Portfolio:
        columns = ", ".join(_OPERATION_FIELDS + _FUNDER_COLUMNS)
        cursor = self._con.execute(f"SELECT {columns} FROM operations ORDER BY position")
        names = [d[0] for d in cursor.description]
        operations = []
        for values in cursor.fetchall():
            record = dict(zip(names, values, strict=True))
            funding = {f.value: record.pop(f"funding_{f.value}") for f in FUNDERS}
            operations.append(Operation.model_validate({**record, "funding": funding}))
        return Portfolio(neighbourhoods=self.neighbourhoods(), operations=tuple(operations))

    def import_operations(self, path: str | Path, *, replace: bool = False) -> ImportSummary:
        """Import a template file: add new ids and update existing ones (or replace all).

        All or nothing: the file, then the merged portfolio, are validated before any write.
        """
        current = self.portfolio()
        header, body = read_table(path)
        incoming = rows_to_portfolio(header, body, current.neighbourhoods, Path(path).name)
        return self._merge(current, list(incoming.operations), replace=replace, source=Path(path).name)

    def save_operation(self, operation: Operation) -> ImportSummary:
        """Add or update one operation (validated with the whole portfolio)."""
        return self._merge(self.portfolio(), [operation], replace=False, source=f"l'opération {operation.id}")

    def _merge(self, current: Portfolio, incoming: list[Operation], *, replace: bool, source: str) -> ImportSummary:
        existing = {op.id for op in current.operations}
        if replace:
            merged = list(incoming)
            removed = existing - {op.id for op in incoming}
            self._refuse_if_chosen(removed, source)
        else:
            by_id = {op.id: op for op in current.operations}
            for op in incoming:
                by_id[op.id] = op
            merged = list(by_id.values())
        portfolio = build_portfolio(current.neighbourhoods, merged, source=source)
        with self._transaction() as con:
            if replace:
                self._write_operations(con, portfolio.operations, replace=True)
            else:
                self._write_operations(con, tuple(incoming), replace=False, first_position=len(current.operations))
        added = [op.id for op in incoming if op.id not in existing]
        updated = [op.id for op in incoming if op.id in existing]
        return ImportSummary(added=added, updated=updated, total=len(portfolio.operations))

    def _refuse_if_chosen(self, removed: set[str], source: str) -> None:
        issues = []
        for info in self.list_scenarios():
            scenario = self.load_scenario(info.name).scenario
            for op_id in sorted(removed & set(scenario.choices)):
                issues.append(
                    ImportIssue(None, "id", op_id, f"absente du fichier mais utilisée par le scénario « {info.name} »")
                )
        if issues:
            raise ImportRefused(issues, source)

    def _write_operations(
        self,
        con: duckdb.DuckDBPyConnection,
        operations: tuple[Operation, ...],
        *,
        replace: bool,
        first_position: int = 0,
    ) -> None:
        if replace:
            con.execute("DELETE FROM operations")
        positions = dict(con.execute("SELECT id, position FROM operations").fetchall())
        stamp = _now()
        rows = []
        next_position = max([first_position - 1, *positions.values()], default=-1) + 1
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
        if not replace and rows:
            con.execute("DELETE FROM operations WHERE id IN (SELECT unnest(?))", [[r[0] for r in rows]])
        placeholders = ", ".join(["?"] * (2 + len(_OPERATION_FIELDS) - 1 + len(_FUNDER_COLUMNS) + 1))
        columns = ", ".join(["id", "position", *_OPERATION_FIELDS[1:], *_FUNDER_COLUMNS, "updated_at"])
        if rows:
            con.executemany(f"INSERT INTO operations ({columns}) VALUES ({placeholders})", rows)
        con.execute(
            "INSERT INTO meta VALUES ('revision', '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)"
        )

    def delete_operation(self, operation_id: str) -> None:
        portfolio = self.portfolio()
        if operation_id not in portfolio.by_id:
            raise StoreError(f"L'opération {operation_id} n'existe pas.")
        dependants = [op.id for op in portfolio.operations if op.depends_on == operation_id]
        if dependants:
            raise StoreError(
                f"L'opération {operation_id} ne peut pas être supprimée : {', '.join(dependants)} en dépend(ent)."
            )
        self._refuse_if_chosen({operation_id}, f"l'opération {operation_id}")
        with self._transaction() as con:
            con.execute("DELETE FROM operations WHERE id = ?", [operation_id])
            con.execute(
                "INSERT INTO meta VALUES ('revision', '1') "
                "ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS VARCHAR)"
            )

    # ------------------------------------------------------------------ scenarios

    def reference_name(self) -> str:
        row = self._con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone()
        if row is None:
            raise StoreError("La base ne contient pas de scénario de référence.")
        return str(row[0])

    def list_scenarios(self) -> list[ScenarioInfo]:
        rows = self._con.execute(
            "SELECT name, author, rationale, parent, is_reference, version, created_at, updated_at "
            "FROM scenarios ORDER BY is_reference DESC, updated_at DESC, name"
        ).fetchall()
        return [ScenarioInfo(r[0], r[1] or "", r[2] or "", r[3], bool(r[4]), int(r[5]), r[6], r[7]) for r in rows]

    def load_scenario(self, name: str) -> StoredScenario:
        row = self._con.execute(
            "SELECT payload, author, rationale, parent, is_reference, version, created_at, updated_at "
            "FROM scenarios WHERE name = ?",
            [name],
        ).fetchone()
        if row is None:
            known = ", ".join(f"« {i.name} »" for i in self.list_scenarios())
            raise StoreError(f"Aucun scénario nommé « {name} ». Scénarios enregistrés : {known or 'aucun'}.")
        try:
            scenario = Scenario.model_validate_json(row[0])
        except ValidationError as exc:
            raise StoreError(f"Le scénario « {name} » enregistré est illisible :\n{french_message(exc)}") from None
        info = ScenarioInfo(name, row[1] or "", row[2] or "", row[3], bool(row[4]), int(row[5]), row[6], row[7])
        return StoredScenario(scenario, info)

    def save_scenario(self, scenario: Scenario, *, expected_version: int | None = None) -> int:
        """Save under ``scenario.name``; returns the new version number.

        A new name is created. An existing name is overwritten only when ``expected_version``
        is the version the caller loaded: if someone saved in between, ``ScenarioConflict``
        says so and nothing is written (the caller can save under another name).
        """
        with self._transaction() as con:
            row = con.execute(
                "SELECT version, author, updated_at FROM scenarios WHERE name = ?", [scenario.name]
            ).fetchone()
            if row is None:
                self._insert_scenario(con, scenario, is_reference=False)
                return 1
            version, author, updated_at = int(row[0]), row[1] or "?", row[2]
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
            return version + 1

    def _insert_scenario(self, con: duckdb.DuckDBPyConnection, scenario: Scenario, *, is_reference: bool) -> None:
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
        return copy

    def rename_scenario(self, old: str, new: str) -> None:
        new = _checked_name(new)
        stored = self.load_scenario(old)
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM scenarios WHERE name = ?", [new]).fetchone():
                raise ScenarioConflict(f"Un scénario « {new} » existe déjà. Choisissez un autre nom.")
            renamed = stored.scenario.model_copy(update={"name": new})
            con.execute(
                "UPDATE scenarios SET name = ?, payload = ?, version = version + 1, updated_at = ? WHERE name = ?",
                [new, renamed.model_dump_json(), _now(), old],
            )
            con.execute("UPDATE scenarios SET parent = ? WHERE parent = ?", [new, old])

    def delete_scenario(self, name: str) -> None:
        stored = self.load_scenario(name)
        if stored.info.is_reference:
            raise StoreError(f"Le scénario de référence « {name} » ne peut pas être supprimé.")
        with self._transaction() as con:
            con.execute("DELETE FROM scenarios WHERE name = ?", [name])


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise StoreError("Le nom du scénario ne peut pas être vide.")
    if len(name) > 120:
        raise StoreError("Le nom du scénario est trop long (120 caractères au plus).")
    return name
