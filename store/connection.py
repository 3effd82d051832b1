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
import contextlib
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


WAITING_FRESH_S = 3.0
"""A waiting marker older than this is stale (its process died or gave up)."""
GIVE_WAY_S = 2.0
"""How long a process holding the file lets a waiting one in before opening it again."""


def waiting_marker(path: Path) -> Path:
    """``<base>.attente``: touched by a process kept out of the file, seen by the one holding it.

    DuckDB gives the file to one process at a time and queues nobody: a busy app, extending its
    hold at every unit of work, made the CLI wait 33 s or fail. A process kept out says so here;
    the holder then releases the file after its current unit of work and gives way for a moment
    before opening it again, so the waiting one is served in a few seconds.
    """
    return path.with_name(path.name + ".attente")


def someone_waits(path: Path) -> bool:
    try:
        return time.time() - waiting_marker(path).stat().st_mtime < WAITING_FRESH_S
    except OSError:
        return False


_WAITING_HERE: set[str] = set()


def _give_way(path: Path) -> None:
    """Wait (at most ``GIVE_WAY_S``) while another process waits for the file we are not holding."""
    key = str(path)
    if key in _WAITING_HERE or key in _KEEPERS:
        return
    until = time.monotonic() + GIVE_WAY_S
    while someone_waits(path) and time.monotonic() < until:
        time.sleep(0.05)


def connect(path: Path, wait: float, *, give_way: bool = False) -> duckdb.DuckDBPyConnection:
    """A new connection to ``path``, waiting while another process holds the file.

    While waiting, the process marks itself waiting (``waiting_marker``) so the holder lets go.
    ``give_way``: a process that keeps the file between units of work (the app) first lets a
    waiting one in; a short command (the CLI) does not, it is the one to serve.
    """
    if give_way:
        _give_way(path)
    deadline = time.monotonic() + wait
    delay = 0.02
    key = str(path)
    try:
        while True:
            try:
                return duckdb.connect(key)
            except duckdb.Error as exc:
                text = str(exc).lower()
                if not re.search(r"\block\b", text) and "conflicting" not in text:  # "block" is damage, not a lock
                    raise DatabaseBusy(database_problem(exc, path)) from None
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"La base {path.name} est occupée par un autre processus depuis plus de {wait:g} s "
                        "(une longue opération est-elle en cours ?) : rien n'a été fait, réessayez."
                    ) from None
                _WAITING_HERE.add(key)
                with contextlib.suppress(OSError):
                    waiting_marker(path).touch()
                time.sleep(delay)
                delay = min(delay * 1.5, 0.1)
    finally:
        if key in _WAITING_HERE:
            _WAITING_HERE.discard(key)
            with contextlib.suppress(OSError):
                waiting_marker(path).unlink()


def linger(path: Path, seconds: float) -> None:
    """Keep the database instance open ``seconds`` more in this process (0: release now).

    A unit of work only moves the keeper's deadline: its timer, when it fires early, sleeps
    again until the deadline, so a page making twenty reads starts no thread at all.
    """
    key = str(path)
    if someone_waits(path):
        seconds = 0  # another process waits for the file: let it go after this unit of work
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
