"""What a meeting holds, as read back: its agenda, decisions (with their figures) and actions.

The kinds of meetings and decisions are the fixed lower-case French codes of the command line
(``copil``, ``reportee``…), with their labels; ``read_meeting`` assembles one meeting from its
tables for ``store.meetings``, the pages, the CLI and the Word minutes.
"""

from __future__ import annotations

import re
from typing import Any

from simulation.dialogue import DECISION_KINDS, MEETING_KINDS, AgendaItem, Decision, Meeting
from store.access import Person
from store.actions import read_actions
from store.bounds import bounded_name
from store.errors import StoreError
from store.journal import load
from store.room import Connection

_PARTICIPANT = re.compile(r"^(?P<name>.*?)\s*\((?P<org>[^()]*)\)\s*$")


def parse_participant(text: str, people: list[Person]) -> dict[str, Any]:
    """« Nom (organisation) » → name, organisation, and whether the name is a declared person."""
    raw = bounded_name(text, "Le participant")
    match = _PARTICIPANT.match(raw)
    name, organisation = (match["name"], match["org"].strip()) if match else (raw, "")
    name = bounded_name(name, "Le nom du participant")
    declared = next((p for p in people if p.name.casefold() == name.casefold()), None)
    if declared is not None and not organisation:
        organisation = ", ".join(declared.directorates) or declared.role.value
    return {"name": declared.name if declared else name, "organisation": organisation, "declared": bool(declared)}


def meeting_kind(kind: str) -> str:
    if kind not in MEETING_KINDS:
        raise StoreError(f"Type de réunion inconnu « {kind} » : choisir parmi {', '.join(MEETING_KINDS)}.")
    return kind


def decision_kind(kind: str) -> str:
    if kind not in DECISION_KINDS:
        raise StoreError(f"Type de décision inconnu « {kind} » : choisir parmi {', '.join(DECISION_KINDS)}.")
    return kind


def read_meeting(con: Connection, name: str) -> Meeting:
    row = con.execute(
        "SELECT name, day, kind, state, scenario, participants, created_by FROM meetings WHERE name = ?", [name]
    ).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM meetings ORDER BY day, name").fetchall()]
        listed = ", ".join(f"« {k} »" for k in known) or "aucune"
        raise StoreError(f"Aucune réunion « {name} ». Réunions : {listed}.")
    actions = read_actions(con, "WHERE meeting = ?", [name])
    decisions: dict[int, list[Decision]] = {}
    for d in con.execute(
        "SELECT id, meeting, position, operation, topic, kind, text, user_name, decided_at, scenario, scenario_version, "
        "kpis, corrects, reason FROM decisions WHERE meeting = ? ORDER BY id",
        [name],
    ).fetchall():
        own = tuple(a for a in actions if a.decision == d[0])
        decisions.setdefault(d[2], []).append(
            Decision(
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], load(d[11]) or {}, d[12], d[13], own
            )
        )
    items = tuple(
        AgendaItem(r[0], r[1], r[2], tuple(decisions.get(r[0], ())))
        for r in con.execute(
            "SELECT position, operation, topic FROM agenda_items WHERE meeting = ? ORDER BY position", [name]
        ).fetchall()
    )
    return Meeting(row[0], row[1], row[2], row[3], row[4], tuple(load(row[5]) or ()), items, row[6])
