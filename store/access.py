"""Who may do what: people, their role and directorates, and the checks every write goes through.

One policy, ``refusal``: the store calls ``enforce`` inside the transaction of the write it guards,
so a refusal changes nothing; a page calls ``may`` to grey out a button it would refuse. Each
refusal says in French who may do it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypedDict, Unpack

from store.bounds import same_name
from store.errors import StoreError


class Role(StrEnum):
    LECTEUR = "lecteur"
    CONTRIBUTEUR = "contributeur"
    ARBITRE = "arbitre"
    ADMINISTRATEUR = "administrateur"


RANK = {Role.LECTEUR: 0, Role.CONTRIBUTEUR: 1, Role.ARBITRE: 2, Role.ADMINISTRATEUR: 3}

ROLE_HELP = {
    Role.LECTEUR: "consulte, travaille sur un scénario de travail privé, exporte",
    Role.CONTRIBUTEUR: "modifie les opérations de sa ou ses directions, enregistre et supprime ses scénarios",
    Role.ARBITRE: "toutes les opérations, scénarios partagés, enveloppes et effectifs, jalons",
    Role.ADMINISTRATEUR: "personnes et droits, imports en remplacement, restaurations, purge de la corbeille",
}

_FROM_RANK = {
    Role.CONTRIBUTEUR: "aux contributeurs, aux arbitres et aux administrateurs",
    Role.ARBITRE: "aux arbitres et aux administrateurs",
    Role.ADMINISTRATEUR: "aux administrateurs",
}


class AccessDenied(StoreError):
    """A write refused for the person acting; the message says who may do it."""


@dataclass(frozen=True)
class Person:
    name: str
    role: Role
    directorates: tuple[str, ...] = field(default=())
    implicit: bool = False
    """True for the stand-in administrateur used while no person is defined yet."""
    email: str | None = field(default=None, compare=False)
    """The declared e-mail an OpenID Connect sign-in must match exactly."""

    def at_least(self, role: Role) -> bool:
        return RANK[self.role] >= RANK[role]

    def describe(self) -> str:
        where = f", {', '.join(self.directorates)}" if self.directorates else ""
        return f"{self.name} ({self.role.value}{where})"


def parse_role(text: str) -> Role:
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise AccessDenied(f"Rôle inconnu « {text} » : choisir parmi {', '.join(r.value for r in Role)}.") from None


class Action(StrEnum):
    """Every guarded write. ``may`` answers for a page (grey a button), ``enforce`` refuses in the store."""

    MANAGE_PEOPLE = "manage_people"
    RESET_DATABASE = "reset_database"
    REPLACE_PORTFOLIO = "replace_portfolio"
    RESTORE_VERSION = "restore_version"
    UNDO_CHANGE_SET = "undo_change_set"
    EMPTY_BIN = "empty_bin"
    FREEZE_MILESTONE = "freeze_milestone"
    SAVE_SCENARIO = "save_scenario"
    CHANGE_SCENARIO = "change_scenario"
    """Save over, rename or delete a stored scenario: ``author`` and ``is_reference`` say whose."""
    RESTORE_FROM_BIN = "restore_from_bin"
    """Take a scenario out of the bin: ``author`` says whose."""
    EDIT_OPERATIONS = "edit_operations"
    """Create, change or delete operations: ``directorates`` are those touched."""
    ASK_QUESTION = "ask_question"
    """Ask a directorate a question in an operation's thread (anyone who reads may comment)."""
    PREPARE_MEETING = "prepare_meeting"
    """Create a meeting, add to its agenda."""
    HOLD_MEETING = "hold_meeting"
    """Open and close a meeting."""
    RECORD_DECISION = "record_decision"
    """Record a decision (and its actions) while the meeting is held, or correct a closed one's."""
    IMPORT_ACTUALS = "import_actuals"
    """Import the accounts' CP paid (issue 19)."""
    CLOSE_QUESTION = "close_question"
    """Close an answered question: ``author`` is who asked it."""
    MARK_ACTION_DONE = "mark_action_done"
    """Mark a meeting's action done: ``owner`` is who it is for (a person or a directorate)."""


MINIMUM_ROLE: dict[Action, Role] = {
    Action.MANAGE_PEOPLE: Role.ADMINISTRATEUR,
    Action.RESET_DATABASE: Role.ADMINISTRATEUR,
    Action.REPLACE_PORTFOLIO: Role.ADMINISTRATEUR,
    Action.RESTORE_VERSION: Role.ADMINISTRATEUR,
    Action.UNDO_CHANGE_SET: Role.ADMINISTRATEUR,
    Action.EMPTY_BIN: Role.ADMINISTRATEUR,
    Action.FREEZE_MILESTONE: Role.ARBITRE,
    Action.SAVE_SCENARIO: Role.CONTRIBUTEUR,
    Action.CHANGE_SCENARIO: Role.CONTRIBUTEUR,
    Action.RESTORE_FROM_BIN: Role.LECTEUR,
    Action.EDIT_OPERATIONS: Role.CONTRIBUTEUR,
    Action.ASK_QUESTION: Role.CONTRIBUTEUR,
    Action.PREPARE_MEETING: Role.CONTRIBUTEUR,
    Action.HOLD_MEETING: Role.ARBITRE,
    Action.RECORD_DECISION: Role.ARBITRE,
    Action.IMPORT_ACTUALS: Role.ARBITRE,
    Action.CLOSE_QUESTION: Role.ARBITRE,
    Action.MARK_ACTION_DONE: Role.ARBITRE,
}
"""The least role each action needs; ``refusal`` adds the rules on whose scenario, question or action and
which directorates (who asked a question may close it as a contributeur; whom an action is for may
mark it done, whatever their role)."""


class Context(TypedDict, total=False):
    """What some actions depend on: the directorates touched, a scenario's author, the reference."""

    directorates: Collection[str]
    author: str
    is_reference: bool
    owner: str


def refusal(
    person: Person,
    action: Action,
    what: str,
    *,
    directorates: Collection[str] = (),
    author: str = "",
    is_reference: bool = False,
    owner: str = "",
) -> str | None:
    """Why ``person`` may not do ``action`` (``what``, in French: « figer un jalon »), or ``None``.

    The one policy: the store enforces it (``enforce``), pages ask it (``may``)."""
    if action is Action.EDIT_OPERATIONS:
        return _directorates_refusal(person, set(directorates), what)
    if action is Action.CHANGE_SCENARIO:
        return _scenario_owner_refusal(person, author, is_reference, what)
    if action is Action.RESTORE_FROM_BIN:
        if author != person.name and not person.at_least(Role.ADMINISTRATEUR):
            return (
                f"Refusé : {person.describe()} ne peut pas {what} : seuls son auteur "
                f"({author or 'inconnu'}) et les administrateurs le peuvent."
            )
        return None
    if action is Action.CLOSE_QUESTION:
        if same_name(author, person.name) and person.at_least(Role.CONTRIBUTEUR):
            return None
        return _owner_refusal(person, what, f"son auteur ({author or 'inconnu'})")
    if action is Action.MARK_ACTION_DONE:
        if is_for(person, owner):
            return None
        return _owner_refusal(person, what, f"son responsable ({owner or 'inconnu'})")
    return _rank_refusal(person, MINIMUM_ROLE[action], what)


def is_for(person: Person, owner: str) -> bool:
    """Whether something owned by ``owner`` (a person's name or a directorate) is ``person``'s."""
    return same_name(owner, person.name) or any(same_name(owner, d) for d in person.directorates)


def _owner_refusal(person: Person, what: str, whose: str) -> str | None:
    """Whose thing it is, or an arbitre: « Seuls son auteur (Ana), les arbitres et les administrateurs le peuvent. »"""
    if person.at_least(Role.ARBITRE):
        return None
    return f"Refusé : {person.describe()} ne peut pas {what}. Seuls {whose}, les arbitres et les administrateurs le peuvent."


def may(person: Person | None, action: Action, **context: Unpack[Context]) -> bool:
    """Whether ``person`` may do ``action``: what a page asks before offering a button.
    Nobody acting (``None``) may do nothing."""
    if person is None:
        return False
    return refusal(person, action, "", **context) is None


def enforce(person: Person, action: Action, what: str, **context: Unpack[Context]) -> None:
    """Refuse ``action`` (``AccessDenied``, in French, saying who may) unless the policy allows it."""
    message = refusal(person, action, what, **context)
    if message is not None:
        raise AccessDenied(message)


def reserved_to(action: Action) -> str:
    """The short French help of a greyed-out button: « Réservé aux arbitres et aux administrateurs. »"""
    role = MINIMUM_ROLE[action]
    return f"Réservé {_FROM_RANK[role]}." if role in _FROM_RANK else ""


def _rank_refusal(person: Person, role: Role, what: str) -> str | None:
    if person.at_least(role):
        return None
    return f"Refusé : {person.describe()} ne peut pas {what}. Cette action est réservée {_FROM_RANK[role]}."


def _directorates_refusal(person: Person, directorates: set[str], what: str) -> str | None:
    """Operations: a contributeur acts on their own directorates only; arbitres on all."""
    if person.at_least(Role.ARBITRE):
        return None
    rank = _rank_refusal(person, Role.CONTRIBUTEUR, what)
    if rank is not None:
        return rank
    foreign = sorted(d for d in directorates if d not in person.directorates)
    if not foreign:
        return None
    return (
        f"Refusé : {person.describe()} ne peut pas {what} : "
        f"{'la direction' if len(foreign) == 1 else 'les directions'} {', '.join(foreign)} "
        "ne sont pas les siennes. Seuls un contributeur de cette direction, un arbitre ou un "
        "administrateur le peuvent."
    )


def _scenario_owner_refusal(person: Person, author: str, is_reference: bool, what: str) -> str | None:
    """Saving over, renaming or deleting a scenario: one's own as contributeur; shared ones as arbitre."""
    if is_reference or author != person.name:
        if person.at_least(Role.ARBITRE):
            return None
        whose = "le scénario de référence" if is_reference else f"un scénario de {author or 'quelqu’un d’autre'}"
        if is_reference:
            return (
                f"Refusé : {person.describe()} ne peut pas {what} ({whose}). "
                "Cette action est réservée aux arbitres et aux administrateurs."
            )
        return (
            f"Refusé : {person.describe()} ne peut pas {what} ({whose}). "
            f"Seuls son auteur (contributeur), les arbitres et les administrateurs le peuvent."
        )
    return _rank_refusal(person, Role.CONTRIBUTEUR, what)
