"""Who may do what: people, their role and directorates, and the checks every write goes through.

The checks are plain functions on a ``Person``: the store calls them inside the transaction of
the write they guard, so a refusal changes nothing. Each refusal says in French who may do it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

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


def require(person: Person, role: Role, action: str) -> None:
    """Refuse ``action`` unless ``person`` has ``role`` or above."""
    if not person.at_least(role):
        raise AccessDenied(
            f"Refusé : {person.describe()} ne peut pas {action}. Cette action est réservée {_FROM_RANK[role]}."
        )


def require_directorates(person: Person, directorates: set[str], action: str) -> None:
    """Operations: a contributeur acts on their own directorates only; arbitres on all."""
    if person.at_least(Role.ARBITRE):
        return
    require(person, Role.CONTRIBUTEUR, action)
    foreign = sorted(d for d in directorates if d not in person.directorates)
    if foreign:
        raise AccessDenied(
            f"Refusé : {person.describe()} ne peut pas {action} : "
            f"{'la direction' if len(foreign) == 1 else 'les directions'} {', '.join(foreign)} "
            "ne sont pas les siennes. Seuls un contributeur de cette direction, un arbitre ou un "
            "administrateur le peuvent."
        )


def require_scenario_owner(person: Person, author: str, is_reference: bool, action: str) -> None:
    """Saving over, renaming or deleting a scenario: one's own as contributeur; shared ones as arbitre."""
    if is_reference or author != person.name:
        if not person.at_least(Role.ARBITRE):
            whose = "le scénario de référence" if is_reference else f"un scénario de {author or 'quelqu’un d’autre'}"
            raise AccessDenied(
                f"Refusé : {person.describe()} ne peut pas {action} ({whose}). "
                f"Seuls son auteur (contributeur), les arbitres et les administrateurs le peuvent."
                if not is_reference
                else f"Refusé : {person.describe()} ne peut pas {action} ({whose}). "
                "Cette action est réservée aux arbitres et aux administrateurs."
            )
        return
    require(person, Role.CONTRIBUTEUR, action)
