"""The unit of work: open the database for one read or one transaction, then let it go.

The database file is opened for each unit of work, not for the life of the process
(``store.connection``): the CLI can import, export, report or back up while the app runs.
A write runs its checks and its changes in one transaction, with the person acting resolved
inside it, so a refusal or a failure changes nothing. Conflicting writes (DuckDB's optimistic
concurrency) are retried, then reported in French.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

from store import audit, connection, paths, read_cache
from store.access import AccessDenied, Person, Role
from store.errors import ScenarioConflict, StoreError
from store.people import Caller, acting_person
from store.room import Connection, Room, T

SYSTEM_USER = "système"
CONFLICT_RETRIES = 8

# One writer at a time in a process: DuckDB would otherwise make concurrent writers retry.
WRITE_LOCK = threading.RLock()


class UnitOfWork(Room):
    """Where the database is, who acts, and how long to wait for it and keep it open."""

    def __init__(
        self,
        path: Path,
        *,
        user: str | None = None,
        wait: float | None = None,
        linger: float = 1.0,
        caller: Caller | None = None,
    ):
        self.path = path
        self.caller = caller if caller is not None else Caller(user)
        self.user = self.caller.name
        self.wait = wait  # None: $SIMULATEUR_DB_WAIT_S (read at each unit of work), else 30 s
        self.linger = linger

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            con = connection.connect(self.path, paths.database_wait_seconds() if self.wait is None else self.wait)
        except connection.DatabaseBusy as exc:
            raise StoreError(str(exc)) from None
        try:
            yield con
        finally:
            con.close()
            connection.linger(self.path, self.linger)

    def _read(self, fn: Callable[[Connection], T], *, key: Hashable | None = None) -> T:
        """``fn`` in one unit of work; with a ``key``, kept in memory while the database is
        unchanged when several processes share it (``store.read_cache``)."""
        if key is not None and read_cache.enabled():
            return read_cache.cached(self.path, key, lambda: self._read(fn))
        with self._connection() as con:
            return fn(con)

    def _write(self, fn: Callable[[Connection, Person], T], *, system: bool = False) -> T:
        """Run ``fn`` (checks, then writes) in one transaction, retried on a write conflict.

        Each write and each refusal is also appended to the audit log (``store.audit``)."""
        try:
            return self._transaction(fn, system)
        except StoreError as exc:
            if not system:
                audit.refused(self.caller, fn, exc, denied=isinstance(exc, AccessDenied))
            raise

    def _transaction(self, fn: Callable[[Connection, Person], T], system: bool) -> T:
        for attempt in range(CONFLICT_RETRIES):
            with WRITE_LOCK, self._connection() as con:
                con.execute("BEGIN TRANSACTION")
                try:
                    actor = system_person() if system else acting_person(con, self.caller)
                    first = None if system or audit.destination() is None else audit.last_change_set(con)
                    result = fn(con, actor)
                    written = [] if first is None else audit.change_sets_since(con, first)
                    con.execute("COMMIT")
                    read_cache.bump(self.path)
                    audit.written(self.caller, actor, written)
                    return result
                except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
                    rollback(con)
                    if "conflict" not in str(exc).lower() and not isinstance(exc, duckdb.ConstraintException):
                        raise StoreError(f"Écriture refusée par la base : {exc}") from None
                except BaseException:
                    rollback(con)
                    raise
            time.sleep(0.01 * (attempt + 1))
        raise ScenarioConflict("Quelqu'un d'autre a enregistré au même moment : rien n'a été écrit, réessayez.")


def system_person() -> Person:
    """The software itself (migrations, seeding): journaled under its own name."""
    return Person(SYSTEM_USER, Role.ADMINISTRATEUR, implicit=True)


def rollback(con: Connection) -> None:
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")
