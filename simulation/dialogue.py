"""Dialogue and meetings as data: comments, questions, meetings, decisions, actions, and their codes.

The store builds these from its tables; pages, the command line and the exports read them. The
codes are the fixed lower-case French words of the command line and of its JSON (``ouverte``,
``repondue``, ``copil``, ``reportee``…), with the labels a person reads. Pure data: no database,
no files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

QUESTION_OPEN, QUESTION_ANSWERED, QUESTION_CLOSED = "ouverte", "repondue", "close"
QUESTION_STATUS = {QUESTION_OPEN: "ouverte", QUESTION_ANSWERED: "répondue", QUESTION_CLOSED: "close"}
ACTION_OPEN, ACTION_DONE = "ouverte", "faite"
ACTION_STATUS = {ACTION_OPEN: "ouverte", ACTION_DONE: "faite"}
MEETING_PLANNED, MEETING_IN_PROGRESS, MEETING_CLOSED = "prevue", "en_cours", "close"
MEETING_STATE = {MEETING_PLANNED: "prévue", MEETING_IN_PROGRESS: "en cours", MEETING_CLOSED: "close"}
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


@dataclass(frozen=True)
class Comment:
    id: int
    at: datetime
    user: str
    organisation: str
    operation: str
    text: str
    question: bool
    to: str | None
    status: str | None
    reply_to: int | None
    corrects: int | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "user": self.user,
            "organisation": self.organisation,
            "operation": self.operation,
            "text": self.text,
            "question": self.question,
            "to": self.to,
            "status": self.status,
            "reply_to": self.reply_to,
            "corrects": self.corrects,
        }


@dataclass(frozen=True)
class Action:
    id: int
    decision: int
    meeting: str
    operation: str | None
    text: str
    owner: str
    due: date
    status: str
    note: str | None
    done_by: str | None
    done_at: datetime | None

    def overdue(self, today: date | None = None) -> bool:
        return self.status == ACTION_OPEN and self.due < (today or date.today())

    def as_json(self, today: date | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "owner": self.owner,
            "due": self.due.isoformat(),
            "status": self.status,
            "meeting": self.meeting,
            "operation": self.operation,
            "decision": self.decision,
            "overdue": self.overdue(today),
            "note": self.note,
            "done_by": self.done_by,
            "done_at": self.done_at.isoformat(timespec="seconds") if self.done_at else None,
        }


@dataclass(frozen=True)
class Inbox:
    """What awaits one person (or one directorate), overdue first."""

    questions: tuple[Comment, ...]
    actions: tuple[Action, ...]

    def as_json(self, today: date | None = None) -> dict[str, Any]:
        return {"questions": [q.as_json() for q in self.questions], "actions": [a.as_json(today) for a in self.actions]}


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
