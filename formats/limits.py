"""How much work one incoming file may cause, and the byte counts of its refusals, the French way."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from formats.errors import refuse
from simulation import fr


@dataclass(frozen=True)
class ImportLimits:
    """How much work one import file may cause; every refusal names the limit it hit.

    Defaults suit a programme of a few hundred operations with a wide margin. The file cap can
    be changed with ``SIMULATEUR_IMPORT_MAX_MO`` (megabytes), for the app and the CLI alike.
    """

    max_file_bytes: int = 10 * 1024 * 1024
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_part_bytes: int = 20 * 1024 * 1024  # one part other than a sheet (shared strings, styles…)
    max_rows: int = 10_000
    max_columns: int = 100
    max_cell_chars: int = 32_767  # Excel's own cell limit

    @classmethod
    def from_environment(cls) -> ImportLimits:
        value = os.environ.get(MAX_FILE_ENV, "").strip().replace(",", ".")
        if not value:
            return cls()
        try:
            megabytes = float(value)
        except ValueError:
            return cls()
        if not 0 < megabytes <= 1024:
            return cls()
        return cls(max_file_bytes=int(megabytes * 1024 * 1024))


MAX_FILE_ENV = "SIMULATEUR_IMPORT_MAX_MO"


def size_text(n_bytes: int) -> str:
    """A byte count the French way: ``10 Mo``, ``1,5 Mo``, ``20 ko``."""
    if n_bytes >= 1024 * 1024:
        return fr.number(n_bytes / (1024 * 1024), 0 if n_bytes % (1024 * 1024) == 0 else 1) + " Mo"
    if n_bytes >= 1024:
        return fr.number(n_bytes / 1024, 0) + " ko"
    return fr.number(n_bytes, 0) + " octets"


def cell_too_long(limits: ImportLimits) -> str:
    return f"cellule trop longue : au plus {fr.number(limits.max_cell_chars, 0)} caractères par cellule"


CONCURRENT_READS = 1
"""Files parsed at once in one process (the app's server): each may take a core and ~300 Mo, so
two sessions uploading together take turns instead of doubling the server's peak."""

READ_QUEUE_SECONDS = 30.0
"""How long a file waits for its turn; each read is bounded to ~10 s, so a wait this long
means the server is flooded: the file is refused rather than piling up."""

_READING = threading.BoundedSemaphore(CONCURRENT_READS)


@contextmanager
def reading_turn(source: str) -> Iterator[None]:
    """Hold one of the process's ``CONCURRENT_READS`` parsing turns while a file is read."""
    if not _READING.acquire(timeout=READ_QUEUE_SECONDS):
        refuse(
            source,
            f"d'autres fichiers sont en cours de lecture sur ce serveur depuis plus de "
            f"{fr.number(READ_QUEUE_SECONDS, 0)} s : rien n'a été lu, réessayez dans un instant",
        )
    try:
        yield
    finally:
        _READING.release()
