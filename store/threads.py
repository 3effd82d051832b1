"""The threads room: comments on an operation, questions to a directorate, answers and closing.

Each operation carries its thread (DOMAIN: dialogue). Anyone who may read may comment; a
contributeur may ask a question of a directorate or an owner (Ville, Métropole, SPEM…). A
question stays ``ouverte`` until someone of that directorate answers it (a reply from a
person whose directorates include it); it is then ``repondue``, and its author or an arbitre
may ``close`` it. A comment is never edited nor deleted: a correction is a new comment that
quotes the one it corrects. Every write is journaled in its own transaction.
"""

from __future__ import annotations

from typing import Any

from simulation.dialogue import QUESTION_ANSWERED as ANSWERED
from simulation.dialogue import QUESTION_CLOSED as CLOSED
from simulation.dialogue import QUESTION_OPEN as OPEN
from simulation.dialogue import Comment
from store.access import Action as Guard
from store.access import Person, Role, enforce
from store.bounds import bounded_name, bounded_text, same_name
from store.errors import StoreError
from store.journal import next_id, now, open_change_set, record
from store.people import declared_people
from store.room import Connection, Room

QUOTE_MAX = 300
"""How much of the corrected comment a correction quotes."""

_COLUMNS = "id, posted_at, user_name, organisation, operation, text, question, addressed_to, status, reply_to, corrects"


def read_comments(con: Connection, where: str = "", params: list[Any] | None = None) -> list[Comment]:
    rows = con.execute(f"SELECT {_COLUMNS} FROM comments {where} ORDER BY id", params or []).fetchall()
    return [Comment(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[9], r[10]) for r in rows]


def organisation_of(actor: Person) -> str:
    """The author's directorate(s) or organisation, as the thread shows it."""
    if actor.directorates:
        return ", ".join(actor.directorates)
    return actor.role.value


def operation_directorate(con: Connection, operation: str) -> str:
    row = con.execute("SELECT directorate FROM operations WHERE id = ?", [operation]).fetchone()
    if row is None:
        raise StoreError(f"Aucune opération « {operation} » dans le portefeuille : rien n'a été enregistré.")
    return str(row[0])


def known_addressees(con: Connection) -> list[str]:
    """Directorates and owners a question may be addressed to: the portfolio's and the people's."""
    names = {r[0] for r in con.execute("SELECT DISTINCT directorate FROM operations").fetchall()}
    names |= {r[0] for r in con.execute("SELECT DISTINCT owner FROM operations").fetchall()}
    names |= {"Ville", "Métropole", "SPEM"}
    for person in declared_people(con):
        names |= set(person.directorates)
    return sorted(names, key=str.casefold)


def belongs_to(person: Person, directorate: str | None) -> bool:
    return directorate is not None and any(same_name(d, directorate) for d in person.directorates)


class ThreadsRoom(Room):
    def comments(self, operation: str | None = None) -> list[Comment]:
        """The thread of ``operation`` (or every comment), oldest first."""
        if operation is None:
            return self._read(read_comments)
        return self._read(lambda con: read_comments(con, "WHERE operation = ?", [operation]))

    def comment(self, comment_id: int) -> Comment:
        return self._read(lambda con: _one(con, comment_id))

    def open_questions(self, directorates: tuple[str, ...] | None = None) -> list[Comment]:
        """Questions not answered yet, to ``directorates`` if given (an inbox), oldest first."""
        questions = self._read(lambda con: read_comments(con, "WHERE question AND status = ?", [OPEN]))
        if directorates is None:
            return questions
        return [q for q in questions if any(same_name(q.to, d) for d in directorates)]

    def open_question_counts(self) -> dict[str, int]:
        """Open questions per operation (the catalogue's column)."""
        rows = self._read(
            lambda con: con.execute(
                "SELECT operation, count(*) FROM comments WHERE question AND status = ? GROUP BY operation", [OPEN]
            ).fetchall()
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def addressees(self) -> list[str]:
        return self._read(known_addressees)

    def add_comment(
        self,
        operation: str,
        text: str,
        *,
        question: bool = False,
        to: str | None = None,
        corrects: int | None = None,
    ) -> Comment:
        """A comment (or a question to ``to``, or a correction of comment ``corrects``) on ``operation``."""
        body = bounded_text(text, "Le commentaire")
        addressee = bounded_name(to, "La direction destinataire") if question else None
        if to and not question:
            raise StoreError("--to désigne le destinataire d'une question : ajoutez --question.")

        def write(con: Connection, actor: Person) -> Comment:
            directorate = operation_directorate(con, operation)
            if question:
                enforce(actor, Guard.ASK_QUESTION, "poser une question")
                known = known_addressees(con)
                match = next((k for k in known if same_name(k, addressee)), None)
                if match is None:
                    raise StoreError(
                        f"Destinataire inconnu « {addressee} » : rien n'a été enregistré. "
                        f"Directions et maîtres d'ouvrage connus : {', '.join(known)}."
                    )
                return _insert(con, actor, operation, directorate, body, question=True, to=match)
            quoted = body
            if corrects is not None:
                original = _one(con, corrects)
                if original.operation != operation:
                    raise StoreError(
                        f"Le commentaire n° {corrects} est sur l'opération {original.operation}, "
                        f"pas sur {operation} : rien n'a été enregistré."
                    )
                excerpt = original.text if len(original.text) <= QUOTE_MAX else original.text[:QUOTE_MAX] + "…"
                quoted = bounded_text(
                    f"Correction du commentaire n° {corrects} (« {excerpt} ») : {body}", "La correction"
                )
            return _insert(con, actor, operation, directorate, quoted, corrects=corrects)

        return self._write(write)

    def reply(self, comment_id: int, text: str) -> Comment:
        """A reply; from someone of the directorate a question is addressed to, it answers it."""
        body = bounded_text(text, "La réponse")

        def write(con: Connection, actor: Person) -> Comment:
            parent = _one(con, comment_id)
            root = _question_of(con, parent)
            directorate = operation_directorate(con, parent.operation)
            # A lecteur may comment in the thread, but answering a question is a contributeur's.
            answers = (
                root is not None
                and root.status == OPEN
                and belongs_to(actor, root.to)
                and actor.at_least(Role.CONTRIBUTEUR)
            )
            reply = _insert(con, actor, parent.operation, directorate, body, reply_to=parent.id)
            if answers and root is not None:
                con.execute("UPDATE comments SET status = ? WHERE id = ?", [ANSWERED, root.id])
                row = con.execute("SELECT change_set FROM comments WHERE id = ?", [reply.id]).fetchone()
                cs = int(row[0]) if row else open_change_set(con, actor, f"question n° {root.id} répondue", None)
                record(con, cs, actor, "question", str(root.id), directorate, "statut", OPEN, ANSWERED, None, None)
            return reply

        return self._write(write)

    def close_question(self, comment_id: int) -> Comment:
        """Close an answered question: its author or an arbitre."""

        def write(con: Connection, actor: Person) -> Comment:
            question = _one(con, comment_id)
            if not question.question:
                raise StoreError(f"Le commentaire n° {comment_id} n'est pas une question : il n'y a rien à clore.")
            enforce(actor, Guard.CLOSE_QUESTION, f"clore la question n° {comment_id}", author=question.user)
            if question.status == CLOSED:
                raise StoreError(f"La question n° {comment_id} est déjà close.")
            if question.status == OPEN:
                raise StoreError(
                    f"La question n° {comment_id} attend encore la réponse de {question.to} : "
                    "elle ne peut être close qu'une fois répondue."
                )
            directorate = operation_directorate(con, question.operation)
            con.execute("UPDATE comments SET status = ? WHERE id = ?", [CLOSED, comment_id])
            cs = open_change_set(con, actor, f"question n° {comment_id} close", None)
            record(con, cs, actor, "question", str(comment_id), directorate, "statut", ANSWERED, CLOSED, None, None)
            return _one(con, comment_id)

        return self._write(write)


def _one(con: Connection, comment_id: int) -> Comment:
    found = read_comments(con, "WHERE id = ?", [int(comment_id)])
    if not found:
        raise StoreError(f"Aucun commentaire n° {comment_id} : rien n'a été enregistré.")
    return found[0]


def _question_of(con: Connection, comment: Comment) -> Comment | None:
    """The question a reply chain starts from, if it starts from one."""
    seen: set[int] = set()
    current: Comment | None = comment
    while current is not None and current.id not in seen:
        if current.question:
            return current
        seen.add(current.id)
        current = _one(con, current.reply_to) if current.reply_to is not None else None
    return None


def _insert(
    con: Connection,
    actor: Person,
    operation: str,
    directorate: str,
    text: str,
    *,
    question: bool = False,
    to: str | None = None,
    reply_to: int | None = None,
    corrects: int | None = None,
) -> Comment:
    comment_id = next_id(con, "comments", "id")
    what = "question" if question else "réponse" if reply_to is not None else "commentaire"
    action = f"{what} n° {comment_id} sur {operation}" + (f" à {to}" if to else "")
    cs = open_change_set(con, actor, action, None)
    stamp = now()
    con.execute(
        f"INSERT INTO comments ({_COLUMNS}, change_set) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            comment_id,
            stamp,
            actor.name,
            organisation_of(actor),
            operation,
            text,
            question,
            to,
            OPEN if question else None,
            reply_to,
            corrects,
            cs,
        ],
    )
    after = (
        {"n°": comment_id, "texte": text} | ({"à": to} if to else {}) | ({"en réponse à": reply_to} if reply_to else {})
    )
    record(con, cs, actor, what, operation, directorate, None, None, after, None, None)
    return _one(con, comment_id)
