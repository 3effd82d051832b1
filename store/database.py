"""The ``Store`` facade: the one door through which pages and the CLI read and write.

Each concern is a room of its own (one module each), and ``Store`` is all of them on one
unit of work:

- ``store.unit_of_work``: open the database per read or transaction, retry conflicts;
- ``store.schema``: the tables and their migrations;
- ``store.journal``: the history every write appends to, in its own transaction;
- ``store.people``: people, roles and who is acting (the checks are in ``store.access``);
- ``store.operations`` (and ``store.operation_rows``): the portfolio and its changes;
- ``store.actuals``: the accounts' CP paid per operation and year (imported whole);
- ``store.scenarios`` and ``store.scenario_bin``: saved scenarios and the bin;
- ``store.milestones``: frozen portfolios and drift;
- ``store.threads``: comments and questions on an operation;
- ``store.meetings`` and ``store.actions``: meetings, decisions, their actions, what awaits whom;
- ``store.backups``: whole-database copies;
- ``store.seeding``: first start from ``data/`` and ``init``;
- ``store.drafts``: each workshop session's unsaved scenario, in files beside the database.
"""

from __future__ import annotations

from pathlib import Path

from store import connection, paths
from store.access import Person
from store.actions import ActionsRoom
from store.actuals import ActualsRoom, ActualsSummary
from store.backups import BackupRoom
from store.drafts import Draft, DraftsRoom
from store.errors import StoreError
from store.journal import ChangeSet, HistoryEntry, JournalRoom
from store.meetings import MeetingsRoom
from store.milestones import MilestoneInfo, MilestonesRoom
from store.opening import DatabaseRefused, check_database
from store.operations import ImportSummary, OperationsRoom
from store.people import Caller, PeopleRoom, os_login
from store.room import Connection
from store.scenario_bin import BinnedScenario, ScenarioBinRoom
from store.scenarios import ScenarioInfo, ScenariosRoom, StoredScenario, scenario_diff
from store.schema import SCHEMA_VERSION, apply_migrations
from store.seeding import SeedingRoom, initial_state, mark_dataset
from store.threads import ThreadsRoom
from store.unit_of_work import SYSTEM_USER, UnitOfWork

__all__ = [
    "SCHEMA_VERSION",
    "SYSTEM_USER",
    "ActualsSummary",
    "BinnedScenario",
    "Caller",
    "ChangeSet",
    "Draft",
    "HistoryEntry",
    "ImportSummary",
    "MilestoneInfo",
    "ScenarioInfo",
    "Store",
    "StoredScenario",
    "os_login",
    "scenario_diff",
]


class Store(
    BackupRoom,
    DraftsRoom,
    PeopleRoom,
    OperationsRoom,
    ActualsRoom,
    ScenariosRoom,
    ScenarioBinRoom,
    JournalRoom,
    MilestonesRoom,
    ThreadsRoom,
    MeetingsRoom,
    ActionsRoom,
    SeedingRoom,
    UnitOfWork,
):
    """The shared database, seen by one person. Create with ``Store.open(path, user=...)``."""

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
        return Store(self.path, wait=self.wait, linger=self.linger, caller=self.caller)

    def as_user(self, user: str | None) -> Store:
        """The same database, with ``user`` acting (as on the command line)."""
        return Store(self.path, user=user, wait=self.wait, linger=self.linger)

    def as_caller(self, caller: Caller) -> Store:
        """The same database, acting for ``caller`` (an app session: how it was identified)."""
        return Store(self.path, wait=self.wait, linger=self.linger, caller=caller)

    def close(self) -> None:
        connection.release(self.path)

    def _migrate(self) -> None:
        def migrate(con: Connection, actor: Person) -> None:
            before = apply_migrations(con)
            if 0 < before < 2:
                initial_state(con, "état initial (base reprise de la version précédente)")
            if before < 2 and con.execute("SELECT count(*) FROM meta WHERE key = 'dataset'").fetchone() == (0,):
                mark_dataset(con)

        self._write(migrate, system=True)

    def schema_version(self) -> int:
        row = self._read(lambda con: con.execute("SELECT max(version) FROM schema_version").fetchone())
        return int(row[0]) if row and row[0] is not None else 0

    def _is_empty(self) -> bool:
        row = self._read(lambda con: con.execute("SELECT count(*) FROM neighbourhoods").fetchone())
        return not row or row[0] == 0
