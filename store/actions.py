"""The actions room: what a decision asks of whom by when, their follow-up, and what awaits a person.

An action belongs to a decision (its meeting and operation follow); its owner is a declared
person or a directorate. The owner, or an arbitre, marks it done with an optional note: that
is follow-up, not the minutes, so it is allowed after the meeting is closed. « À traiter »
(the inbox) is the open questions addressed to a person's directorates and the open actions
assigned to them or to their directorates, overdue first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simulation.dialogue import ACTION_DONE as DONE
from simulation.dialogue import ACTION_OPEN as OPEN
from simulation.dialogue import Action, Inbox
from store.access import Action as Guard
from store.access import Person, enforce, is_for
from store.bounds import bounded_text, same_name
from store.errors import StoreError
from store.journal import next_id, now, open_change_set, record
from store.people import acting_person, declared_people
from store.room import Connection, Room
from store.threads import OPEN as QUESTION_OPEN
from store.threads import known_addressees, read_comments

_COLUMNS = "id, decision, meeting, operation, text, owner, due, status, note, done_by, done_at"


def read_actions(con: Connection, where: str = "", params: list[Any] | None = None) -> list[Action]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM actions {where} ORDER BY due, id", params or []).fetchall()
    return [Action(*r) for r in rows]


def owner_name(con: Connection, owner: str) -> str:
    """The owner as typed, spelled as the declared person or the known directorate it names."""
    for person in declared_people(con):
        if same_name(person.name, owner):
            return person.name
    return next((k for k in known_addressees(con) if same_name(k, owner)), owner)


def insert_action(
    con: Connection,
    actor: Person,
    cs: int,
    decision: int,
    meeting: str,
    operation: str | None,
    text: str,
    owner: str,
    due: date,
) -> int:
    action_id = next_id(con, "actions", "id")
    owner = owner_name(con, owner)
    con.execute(
        f"INSERT INTO actions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
        [action_id, decision, meeting, operation, text, owner, due, OPEN],
    )
    after = {"n°": action_id, "texte": text, "responsable": owner, "échéance": due.isoformat()}
    record(con, cs, actor, "action", operation or meeting, None, None, None, after, None, None)
    return action_id


def owned_by(action: Action, person: Person) -> bool:
    return is_for(person, action.owner)


def overdue_first(actions: list[Action], today: date) -> list[Action]:
    return sorted(actions, key=lambda a: (not a.overdue(today), a.due, a.id))


class ActionsRoom(Room):
    def actions(
        self, *, overdue: bool = False, direction: str | None = None, today: date | None = None
    ) -> list[Action]:
        """Every action (``overdue``: open and past due; ``direction``: owned by it or one of its people)."""
        today = today or date.today()

        def read(con: Connection) -> list[Action]:
            found = read_actions(con)
            if direction is not None:
                members = {
                    p.name.casefold()
                    for p in declared_people(con)
                    if any(same_name(d, direction) for d in p.directorates)
                }
                found = [a for a in found if same_name(a.owner, direction) or a.owner.casefold() in members]
            return found

        found = self._read(read)
        return [a for a in found if a.overdue(today)] if overdue else found

    def overdue_count(self, today: date | None = None) -> int:
        today = today or date.today()
        row = self._read(
            lambda con: con.execute(
                "SELECT count(*) FROM actions WHERE status = ? AND due < ?", [OPEN, today]
            ).fetchone()
        )
        return int(row[0]) if row else 0

    def direction_emails(self, direction: str) -> list[str]:
        """The e-mails declared for the people of ``direction`` (the digest's default recipients)."""
        people = self._read(
            lambda con: con.execute("SELECT name, email FROM people WHERE email IS NOT NULL").fetchall()
        )
        members = {p.name for p in self._read(declared_people) if any(same_name(d, direction) for d in p.directorates)}
        return [str(email) for name, email in people if name in members and email]

    def inbox(self, today: date | None = None, *, person: Person | None = None) -> Inbox:
        """What awaits ``person`` (default: the person acting)."""
        today = today or date.today()

        def read(con: Connection) -> Inbox:
            who = person or acting_person(con, self.caller)
            asked = read_comments(con, "WHERE question AND status = ?", [QUESTION_OPEN])
            questions = [q for q in asked if any(same_name(q.to, d) for d in who.directorates)]
            actions = [a for a in read_actions(con, "WHERE status = ?", [OPEN]) if owned_by(a, who)]
            return Inbox(tuple(questions), tuple(overdue_first(actions, today)))

        return self._read(read)

    def mark_action_done(self, action_id: int, *, note: str | None = None) -> Action:
        remark = bounded_text(note, "La note") if note else None

        def write(con: Connection, actor: Person) -> Action:
            found = read_actions(con, "WHERE id = ?", [int(action_id)])
            if not found:
                raise StoreError(f"Aucune action n° {action_id} : rien n'a été enregistré.")
            action = found[0]
            enforce(actor, Guard.MARK_ACTION_DONE, f"marquer faite l'action n° {action_id}", owner=action.owner)
            if action.status == DONE:
                raise StoreError(f"L'action n° {action_id} est déjà faite (par {action.done_by}).")
            stamp = now()
            con.execute(
                "UPDATE actions SET status = ?, note = ?, done_by = ?, done_at = ? WHERE id = ?",
                [DONE, remark, actor.name, stamp, action.id],
            )
            cs = open_change_set(con, actor, f"action n° {action_id} faite", remark)
            record(
                con, cs, actor, "action", action.operation or action.meeting, None, "statut", OPEN, DONE, remark, None
            )
            return read_actions(con, "WHERE id = ?", [action.id])[0]

        return self._write(write)
