"""Opening the DuckDB file safely, and saying in French why it could not be opened or read.

One small place for what can go wrong with the database file itself (issue 9), kept apart
from ``store.database`` so that the service layer can change around it:

- another process holds it (the app while the CLI runs, or the reverse);
- it is damaged (not a DuckDB file, cut short, checksum error on a block);
- it was written by a newer version of the simulator (schema version above the code's):
  refused before anything is written, so an older version never damages newer data.

:func:`check_database` probes a fresh connection; :func:`database_problem` turns any DuckDB error
raised later (a damaged block is only found when read) into the same French sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb


class DatabaseRefused(ValueError):
    """The database file cannot be used; the message is French and names the file."""


def check_database(connection: duckdb.DuckDBPyConnection, path: Path, code_version: int) -> None:
    """Refuse, in French, a database newer than the code or damaged; nothing is written here.

    Called on a fresh connection before the store migrates or seeds anything.
    """
    stored = _stored_version(connection)
    if stored > code_version:
        raise DatabaseRefused(
            f"La base {path.name} a été créée par une version plus récente du simulateur (schéma "
            f"{stored}, cette version connaît le schéma {code_version}) : elle n'est ni lue ni modifiée. "
            "Mettez le simulateur à jour, ou utilisez une autre base avec --db."
        )
    _probe(connection)


def _stored_version(connection: duckdb.DuckDBPyConnection) -> int:
    try:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if "schema_version" not in tables:
            return 0
        row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.Error as exc:
        raise DatabaseRefused(database_problem(exc)) from None
    return int(row[0]) if row and row[0] is not None else 0


def _probe(connection: duckdb.DuckDBPyConnection) -> None:
    """Read every table once, so that a damaged block is found now rather than mid-workshop."""
    try:
        tables = [row[0] for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        for table in tables:
            connection.execute(f'SELECT * FROM "{table}"').fetchall()
    except duckdb.Error as exc:
        raise DatabaseRefused(database_problem(exc)) from None


def database_problem(exc: BaseException, path: Path | None = None) -> str:
    """A French sentence for a DuckDB error (no path of ours, no English, no traceback)."""
    text = str(exc).lower()
    name = f"La base {path.name}" if path is not None else "La base de données"
    if "checksum" in text or "corrupt" in text or "not a valid duckdb" in text or "could not read enough" in text:
        return (
            f"{name} est endommagée (fichier incomplet ou altéré) : elle ne peut pas être lue. "
            "Restaurez une sauvegarde, ou repartez d'une base neuve (elle sera créée à partir de data/)."
        )
    if re.search(r"\block\b", text):  # not "block"
        return (
            f"{name} est déjà ouverte par un autre processus (l'application est-elle lancée ?). "
            "Arrêtez-le, ou utilisez une autre base avec --db."
        )
    if "read-only" in text or "permission" in text:
        return f"{name} ne peut pas être écrite (fichier en lecture seule ou droits insuffisants)."
    if "disk" in text and ("full" in text or "space" in text):
        return f"{name} ne peut pas être écrite : le disque est plein."
    if "transaction" in text and "conflict" in text:
        return "Quelqu'un d'autre a enregistré au même moment : rien n'a été écrit, réessayez."
    return f"{name} a renvoyé une erreur inattendue ({type(exc).__name__}) : rien n'a été modifié."


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.Error | DatabaseRefused)
