"""The automatic daily backup: one copy a day beside the database, the last N kept."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from store.database import Store
from store.errors import StoreError

KEEP_ENV = "SIMULATEUR_BACKUPS_KEEP"
DEFAULT_KEEP = 7


def backup_dir(store: Store) -> Path:
    return store.path.parent / "sauvegardes"


def daily_backup(store: Store, *, today: date | None = None, keep: int | None = None) -> Path | None:
    """Write today's backup if there is none yet, then keep only the ``keep`` newest (0: disabled)."""
    if keep is None:
        try:
            keep = int(os.environ.get(KEEP_ENV, DEFAULT_KEEP))
        except ValueError:
            keep = DEFAULT_KEEP
    if keep <= 0:
        return None
    day = (today or date.today()).isoformat()
    folder = backup_dir(store)
    target = folder / f"{store.path.stem}-{day}.duckdb"
    written = None
    if not target.exists():
        try:
            written = store.backup(target)
        except (StoreError, OSError):
            return None  # a backup must never stop the app; the next start tries again
    copies = sorted(folder.glob(f"{store.path.stem}-????-??-??.duckdb"))
    for old in copies[:-keep]:
        old.unlink(missing_ok=True)
    return written
