"""What every room of the store may rely on: a typed unit of work, and no more.

Each room (people, operations, scenarios, journal, milestones, backups, seeding) is a mixin of
the ``Store`` facade. It reads through ``_read`` and writes through ``_write``; the unit of work
(``store.unit_of_work``) provides both, so a room never opens the database itself.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb

from store.access import Person

if TYPE_CHECKING:
    from store.people import Caller

T = TypeVar("T")
Connection = duckdb.DuckDBPyConnection


class Room:
    """The interface a room uses; ``UnitOfWork`` implements it."""

    path: Path
    user: str | None
    caller: Caller

    def _read(self, fn: Callable[[Connection], T], *, key: Hashable | None = None) -> T:
        raise NotImplementedError

    def _write(self, fn: Callable[[Connection, Person], T], *, system: bool = False) -> T:
        raise NotImplementedError
