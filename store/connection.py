"""Opening the DuckDB file for one unit of work, so that other processes can use it in between.

DuckDB lets one process at a time open a database file. The app and the CLI therefore never
hold it for their whole life: each unit of work (a read, a write transaction) opens it, and
closes it when done. Opening is cheap while another connection of the same process is open
(DuckDB shares the instance), so a process keeps a "keeper" connection for ``linger`` seconds
after its last unit of work; past that, the file is free for the CLI, a backup, a report.

When another process holds the file, opening waits (retrying) up to ``wait`` seconds, then
gives up with a French message.
"""

from __future__ import annotations

import atexit
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from store.opening import database_problem


class DatabaseBusy(ValueError):
    """The file stayed locked by another process for longer than the wait allowed."""


@dataclass
class _Keeper:
    """The connection that keeps a database instance open, and until when."""

    connection: duckdb.DuckDBPyConnection
    deadline: float
    timer: threading.Timer | None = None


_KEEPERS: dict[str, _Keeper] = {}
_KEEPERS_LOCK = threading.Lock()


def connect(path: Path, wait: float) -> duckdb.DuckDBPyConnection:
    """A new connection to ``path``, waiting while another process holds the file."""
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as exc:
            text = str(exc).lower()
            if not re.search(r"\block\b", text) and "conflicting" not in text:  # "block" is damage, not a lock
                raise DatabaseBusy(database_problem(exc, path)) from None
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"La base {path.name} est occupée par un autre processus depuis plus de {wait:g} s "
                    "(une longue opération est-elle en cours ?) : rien n'a été fait, réessayez."
                ) from None
            time.sleep(delay)
            delay = min(delay * 1.5, 0.25)


def linger(path: Path, seconds: float) -> None:
    """Keep the database instance open ``seconds`` more in this process (0: release now).

    A unit of work only moves the keeper's deadline: its timer, when it fires early, sleeps
    again until the deadline, so a page making twenty reads starts no thread at all.
    """
    key = str(path)
    with _KEEPERS_LOCK:
        held = _KEEPERS.get(key)
        if seconds <= 0:
            if held is not None:
                del _KEEPERS[key]
                if held.timer is not None:
                    held.timer.cancel()
                held.connection.close()
            return
        deadline = time.monotonic() + seconds
        if held is not None:
            held.deadline = max(held.deadline, deadline)
            return
        try:
            keeper = _Keeper(duckdb.connect(key), deadline)
        except duckdb.Error:
            return  # another process took the file in between: nothing to keep
        _KEEPERS[key] = keeper
        _wake_at_deadline(key, keeper)


def _wake_at_deadline(key: str, keeper: _Keeper) -> None:
    timer = threading.Timer(max(keeper.deadline - time.monotonic(), 0.0), _release, args=(key, keeper))
    timer.daemon = True
    keeper.timer = timer
    timer.start()


def _release(key: str, keeper: _Keeper) -> None:
    with _KEEPERS_LOCK:
        if _KEEPERS.get(key) is not keeper:
            return
        if time.monotonic() < keeper.deadline:  # used again since the timer was set
            _wake_at_deadline(key, keeper)
            return
        del _KEEPERS[key]
        keeper.connection.close()


def release(path: Path) -> None:
    linger(path, 0)


@atexit.register
def _release_all() -> None:
    """Close the lingering instances before the interpreter tears down: a DuckDB connection left
    to a daemon timer (or to the garbage collector) during finalisation aborts the process."""
    with _KEEPERS_LOCK:
        for keeper in _KEEPERS.values():
            if keeper.timer is not None:
                keeper.timer.cancel()
            keeper.connection.close()
        _KEEPERS.clear()
