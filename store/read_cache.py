"""Small reads served from memory while the database has not changed, for app processes that
share one file (``SIMULATEUR_READ_CACHE=1``, set by ``deploy/simulateur.env``).

Several processes must each open the file per unit of work and close it at once (DuckDB lets
one process hold it): under load that costs some 25 ms per read, and a page run makes about
ten small reads (who is acting, the people, the reference, the scenarios, the revision). This
cache keeps those results per process, keyed on a stamp of the database:

- every write through the store, in any process (the app, the CLI), writes a new random token
  to ``<database>.generation`` right after its commit (``bump``);
- the stamp is that token plus the size, modification time and inode of the database file and
  of its write-ahead log, so a restore by copy or another tool's write is seen too.

A read is served from memory only while the stamp is the one taken before it was read, so a
write in between makes the next read go to the database. Off by default (one process keeps
the file open between units of work instead, ``linger``).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from store.errors import StoreError

T = TypeVar("T")
CACHE_ENV = "SIMULATEUR_READ_CACHE"
_MAX_ENTRIES = 512
_LOCK = threading.Lock()
_ENTRIES: dict[tuple[str, Hashable], tuple[tuple[Any, ...], Any, bool]] = {}


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() in ("1", "oui", "true", "yes")


def generation_file(path: Path) -> Path:
    return path.with_name(path.name + ".generation")


def _file_stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def stamp(path: Path) -> tuple[Any, ...]:
    try:
        token = generation_file(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        token = None
    return (token, _file_stamp(path), _file_stamp(path.with_name(path.name + ".wal")))


def bump(path: Path) -> None:
    """After a commit: a new token, written whole (a reader never sees half of it)."""
    target = generation_file(path)
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        partial.write_text(uuid.uuid4().hex, encoding="ascii")
        partial.replace(target)
    except OSError:
        # No token: the database's own file stamps still change with the write.
        partial.unlink(missing_ok=True)


def cached(path: Path, key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or its result kept from an earlier call while the database is unchanged.

    A French refusal (``StoreError``, e.g. an unknown person) is kept the same way, and raised again."""
    before = stamp(path)
    entry_key = (str(path), key)
    with _LOCK:
        hit = _ENTRIES.get(entry_key)
    if hit is not None and hit[0] == before:
        if hit[2]:
            raise type(hit[1])(*hit[1].args) from None  # a fresh one: no traceback piling up
        return hit[1]  # type: ignore[no-any-return]
    try:
        value: Any = read()
        failed = False
    except StoreError as exc:
        value, failed = exc, True
    with _LOCK:
        if len(_ENTRIES) >= _MAX_ENTRIES:
            _ENTRIES.clear()
        _ENTRIES[entry_key] = (before, value, failed)
    if failed:
        raise value
    return value  # type: ignore[no-any-return]


def clear() -> None:
    with _LOCK:
        _ENTRIES.clear()
