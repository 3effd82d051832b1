"""Backups: a consistent copy of the whole database, and the automatic one a day beside it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import StoreError
from store.unit_of_work import WRITE_LOCK, UnitOfWork

if TYPE_CHECKING:
    from store.database import Store

KEEP_ENV = "SIMULATEUR_BACKUPS_KEEP"
DEFAULT_KEEP = 7


class BackupRoom(UnitOfWork):
    def backup(self, destination: str | Path) -> Path:
        """A consistent copy of the whole database, that ``Store.open`` (``--db``) opens."""
        destination = Path(destination).resolve()
        if destination == self.path.resolve():
            raise StoreError("La sauvegarde ne peut pas remplacer la base elle-même.")
        if destination.exists():
            raise StoreError(f"{destination} existe déjà : choisissez un autre fichier.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partiel")
        partial.unlink(missing_ok=True)
        with WRITE_LOCK, self._connection() as con:
            database = con.execute("SELECT current_database()").fetchone()
            alias = "sauvegarde"
            con.execute(f"ATTACH '{_sql_text(partial)}' AS {alias}")
            try:
                con.execute(f'COPY FROM DATABASE "{database[0] if database else "main"}" TO {alias}')
            finally:
                con.execute(f"DETACH {alias}")
        partial.replace(destination)
        return destination


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


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
