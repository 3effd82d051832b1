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
from pathlib import Path

import duckdb

from store.opening import database_problem


class DatabaseBusy(ValueError):
    """The file stayed locked by another process for longer than the wait allowed."""


_KEEPERS: dict[str, tuple[duckdb.DuckDBPyConnection, threading.Timer]] = {}
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
    """Keep the database instance open ``seconds`` more in this process (0: release now)."""
    key = str(path)
    with _KEEPERS_LOCK:
        held = _KEEPERS.pop(key, None)
        if held is not None:
            held[1].cancel()
        if seconds <= 0:
            if held is not None:
                held[0].close()
            return
        try:
            keeper = held[0] if held is not None else duckdb.connect(key)
        except duckdb.Error:
            return  # another process took the file in between: nothing to keep
        timer = threading.Timer(seconds, _release, args=(key, keeper))
        timer.daemon = True
        _KEEPERS[key] = (keeper, timer)
        timer.start()


def _release(key: str, keeper: duckdb.DuckDBPyConnection) -> None:
    with _KEEPERS_LOCK:
        held = _KEEPERS.get(key)
        if held is not None and held[0] is keeper:
            del _KEEPERS[key]
            keeper.close()


def release(path: Path) -> None:
    linger(path, 0)


@atexit.register
def _release_all() -> None:
    """Close the lingering instances before the interpreter tears down: a DuckDB connection left
    to a daemon timer (or to the garbage collector) during finalisation aborts the process."""
    with _KEEPERS_LOCK:
        for keeper, timer in _KEEPERS.values():
            timer.cancel()
            keeper.close()
        _KEEPERS.clear()
