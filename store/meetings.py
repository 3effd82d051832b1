"""The meetings room: meetings, their agenda, the decisions taken and the actions that follow.

A meeting is ``prevue`` → ``en_cours`` → ``close`` (DOMAIN: meetings and decisions). A decision
is recorded only while it is held, only by an arbitre or administrateur, and keeps the
scenario's name and version on the screen and the KPIs ``run --json`` gives for it
(``Result.kpi_records``), so the figures the room saw can be read back for ever. Once closed,
nothing of the minutes changes: a correction is a new decision that names the one it corrects
and its reason. Actions (what, who, by when) are followed up in ``store.actions``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from simulation.dialogue import MEETING_CLOSED as CLOSED
from simulation.dialogue import MEETING_IN_PROGRESS as IN_PROGRESS
from simulation.dialogue import MEETING_PLANNED as PLANNED
from simulation.dialogue import MEETING_STATE as STATE_LABEL
from simulation.dialogue import Decision, Meeting
from simulation.engine import simulate
from simulation.scenario import ScenarioError
from store.access import Action as Guard
from store.access import Person, enforce
from store.actions import insert_action
from store.bounds import bounded_name, bounded_text, parse_day
from store.errors import StoreError
from store.journal import dump, load, next_id, now, open_change_set, record
from store.minutes import (
    decision_kind,
    meeting_kind,
    parse_participant,
    read_meeting,
)
from store.operations import read_portfolio
from store.people import declared_people
from store.room import Connection, Room
from store.scenarios import load_stored
from store.threads import operation_directorate


def _state(con: Connection, name: str, *allowed: str, doing: str) -> Meeting:
    meeting = read_meeting(con, name)
    if meeting.state not in allowed:
        if meeting.state == CLOSED:
            raise StoreError(
                f"La réunion « {name} » est close : son relevé de décisions ne change plus ({doing} refusé). "
                "Un arbitre peut y ajouter une correction motivée."
            )
        wanted = " ou ".join(STATE_LABEL[s] for s in allowed)
        raise StoreError(
            f"La réunion « {name} » est {STATE_LABEL[meeting.state]} : {doing} demande une réunion {wanted}."
        )
    return meeting


def scenario_figures(con: Connection, scenario_name: str | None) -> tuple[str, int, dict[str, Any]]:
    """The scenario on the screen (the reference if none), its version, and ``run --json``'s KPIs."""
    if scenario_name is None:
        row = con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone()
        if row is None:
            raise StoreError("La base ne contient pas de scénario de référence.")
        scenario_name = str(row[0])
    stored = load_stored(con, scenario_name)
    portfolio = read_portfolio(con)
    try:
        kpis = simulate(portfolio, stored.scenario).kpi_records()
    except ScenarioError as exc:
        raise StoreError(f"Le scénario « {scenario_name} » ne s'applique pas au portefeuille : {exc}") from None
    return scenario_name, stored.info.version, kpis


class MeetingsRoom(Room):
    def meetings(self) -> list[Meeting]:
        def read(con: Connection) -> list[Meeting]:
            names = [r[0] for r in con.execute("SELECT name FROM meetings ORDER BY day DESC, name").fetchall()]
            return [read_meeting(con, n) for n in names]

        return self._read(read)

    def decisions_since(self, milestone: str | None) -> list[Decision]:
        """Every decision recorded after the milestone ``milestone`` was frozen (all if ``None``),
        oldest first. "After" is by the history's change sets, not the clock: a decision and a
        milestone written within the same second are still in order."""

        def read(con: Connection) -> list[Decision]:
            after = 0
            if milestone is not None:
                row = con.execute("SELECT change_set FROM milestones WHERE name = ?", [milestone]).fetchone()
                after = int(row[0]) if row else 0
            later = {
                int(r[0]) for r in con.execute("SELECT id FROM decisions WHERE change_set > ?", [after]).fetchall()
            }
            names = [r[0] for r in con.execute("SELECT name FROM meetings").fetchall()]
            found = [d for n in names for d in read_meeting(con, n).decisions]
            return sorted((d for d in found if d.id in later), key=lambda d: (d.at, d.id))

        return self._read(read)

    def meeting(self, name: str) -> Meeting:
        return self._read(lambda con: read_meeting(con, name))

    def create_meeting(
        self,
        name: str,
        day: date | str,
        kind: str,
        *,
        scenario: str | None = None,
        participants: tuple[str, ...] | list[str] = (),
    ) -> Meeting:
        title = bounded_name(name, "Le nom de la réunion")
        when = parse_day(day, "Date de la réunion")
        kind = meeting_kind(kind)
        scenario = bounded_name(scenario, "Le nom du scénario") if scenario else None

        def write(con: Connection, actor: Person) -> Meeting:
            enforce(actor, Guard.PREPARE_MEETING, "préparer une réunion")
            if con.execute("SELECT 1 FROM meetings WHERE lower(name) = lower(?)", [title]).fetchone():
                raise StoreError(f"Une réunion « {title} » existe déjà : choisissez un autre nom.")
            if scenario is not None:
                load_stored(con, scenario)
            people = declared_people(con)
            guests = [parse_participant(p, people) for p in participants]
            cs = open_change_set(con, actor, f"réunion « {title} » créée", None)
            con.execute(
                "INSERT INTO meetings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [title, when, kind, PLANNED, scenario, dump(guests), actor.name, now(), cs],
            )
            after = {"date": when.isoformat(), "type": kind, "scénario": scenario, "participants": guests}
            record(con, cs, actor, "réunion", title, None, None, None, after, None, None)
            return read_meeting(con, title)

        return self._write(write)

    def add_agenda_item(self, name: str, *, operation: str | None = None, topic: str | None = None) -> Meeting:
        if (operation is None) == (topic is None):
            raise StoreError("Un point de l'ordre du jour est une opération ou un sujet libre (l'un ou l'autre).")
        subject = bounded_text(topic, "Le sujet", limit=500) if topic is not None else None

        def write(con: Connection, actor: Person) -> Meeting:
            enforce(actor, Guard.PREPARE_MEETING, "compléter l'ordre du jour d'une réunion")
            _state(con, name, PLANNED, IN_PROGRESS, doing="compléter l'ordre du jour")
            if operation is not None:
                operation_directorate(con, operation)
            cs = open_change_set(con, actor, f"ordre du jour de « {name} » complété", None)
            _append_item(con, actor, cs, name, operation, subject)
            return read_meeting(con, name)

        return self._write(write)

    def start_meeting(self, name: str) -> Meeting:
        return self._move(name, PLANNED, IN_PROGRESS, "ouvrir la réunion")

    def close_meeting(self, name: str) -> Meeting:
        return self._move(name, IN_PROGRESS, CLOSED, "clore la réunion")

    def _move(self, name: str, before: str, after: str, doing: str) -> Meeting:
        def write(con: Connection, actor: Person) -> Meeting:
            enforce(actor, Guard.HOLD_MEETING, f"{doing} « {name} »")
            _state(con, name, before, doing=doing)
            con.execute("UPDATE meetings SET state = ? WHERE name = ?", [after, name])
            cs = open_change_set(con, actor, f"réunion « {name} » {STATE_LABEL[after]}", None)
            record(con, cs, actor, "réunion", name, None, "état", before, after, None, None)
            return read_meeting(con, name)

        return self._write(write)

    def add_decision(
        self,
        name: str,
        kind: str,
        text: str,
        *,
        operation: str | None = None,
        topic: str | None = None,
        actions: Sequence[tuple[str, str, date | str]] = (),
    ) -> Decision:
        """A decision on an agenda item (added to the agenda if it is not there yet), with its actions."""
        kind = decision_kind(kind)
        body = bounded_text(text, "Le texte de la décision")
        if (operation is None) == (topic is None):
            raise StoreError("Une décision porte sur une opération ou un sujet de l'ordre du jour (l'un ou l'autre).")
        subject = bounded_text(topic, "Le sujet", limit=500) if topic is not None else None
        follow_up = [_checked_action(*a) for a in actions]

        def write(con: Connection, actor: Person) -> Decision:
            enforce(actor, Guard.RECORD_DECISION, f"enregistrer une décision de la réunion « {name} »")
            meeting = _state(con, name, IN_PROGRESS, doing="enregistrer une décision")
            if operation is not None:
                operation_directorate(con, operation)
            scenario, version, kpis = scenario_figures(con, meeting.scenario)
            cs = open_change_set(con, actor, f"décision de la réunion « {name} »", None)
            item = next(
                (
                    i
                    for i in meeting.items
                    if (operation and i.operation == operation) or (subject and i.topic == subject)
                ),
                None,
            )
            position = item.position if item else _append_item(con, actor, cs, name, operation, subject)
            return _insert_decision(
                con, actor, cs, name, position, operation, subject, kind, body, (scenario, version, kpis), follow_up
            )

        return self._write(write)

    def add_action(self, decision_id: int, text: str, owner: str, due: date | str) -> Decision:
        """One more action on a decision of the meeting in progress (a decision carries any number)."""
        what, who, when = _checked_action(text, owner, due)

        def write(con: Connection, actor: Person) -> Decision:
            enforce(actor, Guard.RECORD_DECISION, f"ajouter une action à la décision n° {decision_id}")
            row = con.execute("SELECT meeting, operation FROM decisions WHERE id = ?", [int(decision_id)]).fetchone()
            if row is None:
                raise StoreError(f"Aucune décision n° {decision_id} : rien n'a été enregistré.")
            meeting = _state(con, row[0], IN_PROGRESS, doing=f"ajouter une action à la décision n° {decision_id}")
            cs = open_change_set(con, actor, f"action de la décision n° {decision_id}", None)
            insert_action(con, actor, cs, int(decision_id), meeting.name, row[1], what, who, when)
            return next(d for d in read_meeting(con, meeting.name).decisions if d.id == int(decision_id))

        return self._write(write)

    def correct_decision(
        self,
        decision_id: int,
        text: str,
        reason: str,
        *,
        kind: str | None = None,
        actions: Sequence[tuple[str, str, date | str]] = (),
    ) -> Decision:
        """A correction of a closed meeting's decision: a new entry with its reason, nothing overwritten."""
        body = bounded_text(text, "Le texte de la correction")
        why = bounded_text(reason, "Le motif de la correction")
        follow_up = [_checked_action(*a) for a in actions]

        def write(con: Connection, actor: Person) -> Decision:
            enforce(actor, Guard.RECORD_DECISION, "corriger le relevé de décisions")
            row = con.execute(
                "SELECT meeting, position, operation, topic, kind, scenario, scenario_version, kpis "
                "FROM decisions WHERE id = ?",
                [int(decision_id)],
            ).fetchone()
            if row is None:
                raise StoreError(f"Aucune décision n° {decision_id} : rien n'a été enregistré.")
            meeting = read_meeting(con, row[0])
            if meeting.state != CLOSED:
                raise StoreError(
                    f"La réunion « {meeting.name} » n'est pas close : enregistrez une nouvelle décision plutôt "
                    "qu'une correction."
                )
            cs = open_change_set(con, actor, f"correction de la décision n° {decision_id}", why)
            figures = (row[5], row[6], load(row[7]) or {})
            new_kind = decision_kind(kind) if kind else row[4]
            return _insert_decision(
                con, actor, cs, row[0], row[1], row[2], row[3], new_kind, body, figures, follow_up, decision_id, why
            )

        return self._write(write)


def _checked_action(text: str, owner: str, due: date | str) -> tuple[str, str, date]:
    return (
        bounded_text(text, "Le texte de l'action"),
        bounded_name(owner, "Le responsable de l'action"),
        parse_day(due, "Échéance de l'action"),
    )


def _append_item(con: Connection, actor: Person, cs: int, name: str, operation: str | None, topic: str | None) -> int:
    row = con.execute("SELECT coalesce(max(position), 0) + 1 FROM agenda_items WHERE meeting = ?", [name]).fetchone()
    position = int(row[0]) if row else 1
    if (
        operation is not None
        and con.execute("SELECT 1 FROM agenda_items WHERE meeting = ? AND operation = ?", [name, operation]).fetchone()
    ):
        raise StoreError(f"L'opération {operation} est déjà à l'ordre du jour de « {name} ».")
    con.execute("INSERT INTO agenda_items VALUES (?, ?, ?, ?)", [name, position, operation, topic])
    after = {"point": position, "opération": operation} if operation else {"point": position, "sujet": topic}
    record(con, cs, actor, "réunion", name, None, "ordre du jour", None, after, None, None)
    return position


def _insert_decision(
    con: Connection,
    actor: Person,
    cs: int,
    meeting: str,
    position: int,
    operation: str | None,
    topic: str | None,
    kind: str,
    text: str,
    figures: tuple[str, int, dict[str, Any]],
    follow_up: list[tuple[str, str, date]],
    corrects: int | None = None,
    reason: str | None = None,
) -> Decision:
    scenario, version, kpis = figures
    decision_id = next_id(con, "decisions", "id")
    con.execute(
        "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            decision_id,
            meeting,
            position,
            operation,
            topic,
            kind,
            text,
            actor.name,
            now(),
            scenario,
            version,
            json.dumps(kpis, ensure_ascii=False),
            corrects,
            reason,
            cs,
        ],
    )
    directorate = operation_directorate(con, operation) if operation else None
    after = {"n°": decision_id, "réunion": meeting, "type": kind, "texte": text, "scénario": scenario}
    after |= {"version": version} | ({"corrige": corrects} if corrects else {})
    record(con, cs, actor, "décision", operation or meeting, directorate, None, None, after, reason, version)
    for what, owner, due in follow_up:
        insert_action(con, actor, cs, decision_id, meeting, operation, what, owner, due)
    return next(d for d in read_meeting(con, meeting).decisions if d.id == decision_id)
