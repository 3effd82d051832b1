"""What a meeting holds, as read back: its agenda, decisions (with their figures) and actions.

The kinds of meetings and decisions are the fixed lower-case French codes of the command line
(``copil``, ``reportee``…), with their labels; ``read_meeting`` assembles one meeting from its
tables for ``store.meetings``, the pages, the CLI and the Word minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from store.access import Person
from store.actions import Action, read_actions
from store.bounds import bounded_name
from store.errors import StoreError
from store.journal import load
from store.room import Connection

PLANNED, IN_PROGRESS, CLOSED = "prevue", "en_cours", "close"
STATE_LABEL = {PLANNED: "prévue", IN_PROGRESS: "en cours", CLOSED: "close"}
MEETING_KINDS = {
    "atelier": "Atelier technique",
    "copil": "Comité de pilotage",
    "comite_engagement": "Comité d'engagement",
    "revue_projet": "Revue de projet",
}
DECISION_KINDS = {
    "validee": "Validée",
    "reportee": "Reportée",
    "reduite": "Réduite",
    "abandonnee": "Abandonnée",
    "a_instruire": "À instruire",
    "information": "Information",
}
_PARTICIPANT = re.compile(r"^(?P<name>.*?)\s*\((?P<org>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Decision:
    id: int
    meeting: str
    position: int
    operation: str | None
    topic: str | None
    kind: str
    text: str
    user: str
    at: datetime
    scenario: str
    scenario_version: int
    kpis: dict[str, Any]
    corrects: int | None
    reason: str | None
    actions: tuple[Action, ...]

    def as_json(self, today: date | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "user": self.user,
            "at": self.at.isoformat(timespec="seconds"),
            "scenario": self.scenario,
            "scenario_version": self.scenario_version,
            "kpis": self.kpis,
            "actions": [a.as_json(today) for a in self.actions],
            "operation": self.operation,
            "topic": self.topic,
            "corrects": self.corrects,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class AgendaItem:
    position: int
    operation: str | None
    topic: str | None
    decisions: tuple[Decision, ...]

    @property
    def label(self) -> str:
        return self.operation or self.topic or ""


@dataclass(frozen=True)
class Meeting:
    name: str
    date: dt.date
    kind: str
    state: str
    scenario: str | None
    participants: tuple[dict[str, Any], ...]
    items: tuple[AgendaItem, ...]
    created_by: str

    def as_json(self, today: dt.date | None = None) -> dict[str, Any]:
        return {
            "name": self.name,
            "date": self.date.isoformat(),
            "kind": self.kind,
            "state": self.state,
            "scenario": self.scenario,
            "participants": list(self.participants),
            "items": [
                {
                    "operation": i.operation,
                    "topic": i.topic,
                    "position": i.position,
                    "decisions": [d.as_json(today) for d in i.decisions],
                }
                for i in self.items
            ],
        }

    @property
    def decisions(self) -> list[Decision]:
        return [d for i in self.items for d in i.decisions]


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
