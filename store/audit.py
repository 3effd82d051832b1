"""The audit log for the City's security team: every write, refusal and sign-in, one JSON line each.

``SIMULATEUR_AUDIT_LOG`` says where: a file (appended to, reopened for every line, so the
system's log rotation can move it away at any time), ``-`` for standard output (journald), or
nothing (off, the default on a laptop). A line holds: ``time`` (ISO 8601, UTC), ``person``,
``mode`` (how the person was identified), ``client`` (the address the app saw), ``action``,
``target``, ``result`` (``écrit``, ``refusé``, ``rejeté``, ``connexion``, ``déconnexion``) and
``detail`` (a refusal's French message).

The history (``store.journal``) stays what a person reads; this log is what a security team
collects, including the attempts that changed nothing. A failure to write the log never stops
the app: it is reported once on standard error.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from store.access import Person
from store.people import MODE_LABEL, Caller
from store.room import Connection

AUDIT_ENV = "SIMULATEUR_AUDIT_LOG"
_LOCK = threading.Lock()
_FAILED: set[str] = set()


def destination() -> str | None:
    return os.environ.get(AUDIT_ENV, "").strip() or None


def append(caller: Caller, person: str | None, action: str, target: str | None, result: str, detail: str = "") -> None:
    """One line in the audit log (nothing when it is off)."""
    where = destination()
    if where is None:
        return
    line = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "person": person,
        "mode": MODE_LABEL.get(caller.mode, caller.mode),
        "client": caller.client or "cette machine",
        "action": action,
        "target": target,
        "result": result,
    }
    if detail:
        line["detail"] = detail
    text = json.dumps(line, ensure_ascii=False) + "\n"
    with _LOCK:
        try:
            if where == "-":
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                # One write of one line with O_APPEND: lines of several processes never interleave.
                fd = os.open(where, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
                try:
                    os.write(fd, text.encode("utf-8"))
                finally:
                    os.close(fd)
        except OSError as exc:
            if where not in _FAILED:
                _FAILED.add(where)
                print(f"Journal d'audit {where} impossible à écrire : {exc.strerror or exc}", file=sys.stderr)


def last_change_set(con: Connection) -> int:
    row = con.execute("SELECT coalesce(max(id), 0) FROM change_sets").fetchone()
    return int(row[0]) if row else 0


def change_sets_since(con: Connection, first: int) -> list[tuple[str, str | None]]:
    """(action, targets) of the change sets a transaction wrote after ``first``."""
    rows = con.execute(
        "SELECT c.id, c.action, string_agg(DISTINCT h.target, ', ' ORDER BY h.target) FROM change_sets c "
        "LEFT JOIN history h ON h.change_set = c.id WHERE c.id > ? GROUP BY c.id, c.action ORDER BY c.id",
        [first],
    ).fetchall()
    return [(str(r[1]), r[2]) for r in rows]


def written(caller: Caller, actor: Person, change_sets: list[tuple[str, str | None]]) -> None:
    for action, target in change_sets:
        append(caller, actor.name, action, target, "écrit")


def action_name(fn: Callable[..., Any]) -> str:
    """``PeopleRoom.add_person.<locals>.write`` -> ``add_person``: the store method refused."""
    parts = [p for p in getattr(fn, "__qualname__", "").split(".") if p != "<locals>"]
    return parts[-2] if len(parts) >= 2 else (parts[-1] if parts else "écriture")


def refused(caller: Caller, fn: Callable[..., Any], exc: Exception, *, denied: bool) -> None:
    append(caller, caller.name, action_name(fn), None, "refusé" if denied else "rejeté", str(exc).splitlines()[0])


def signed(caller: Caller, result: str) -> None:
    """A sign-in or sign-out the app saw (``connexion`` / ``déconnexion``)."""
    append(caller, caller.name, "connexion" if result == "connexion" else "déconnexion", None, result)
