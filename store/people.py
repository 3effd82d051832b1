"""People and access: who is declared, with which role and directorates, and who is acting.

The role checks themselves are in ``store.access``; this room stores the people and resolves
the caller a session or the CLI gives into a ``Person`` inside each unit of work.

How the caller was identified decides what its name may match (``Caller.mode``):
- the command line (``--user``) and a "poste local" pick a declared name; while nobody is
  declared, they act as the implicit administrateur who declares the first one. A "poste local"
  writes only for a client on the same machine (its address is None or a loopback one);
- the proxy's trusted header gives a login: a declared name, or a declared e-mail exactly;
- OpenID Connect gives an e-mail: it must be verified by the provider and match a declared
  e-mail exactly (``users add … --email``); failing that, a group of the provider's role claim
  mapped by a people row named ``groupe:X`` gives its role (``SIMULATEUR_OIDC_ROLE_CLAIM``).
In these two signed-in modes nobody unauthenticated ever writes, and nobody at all before the
first administrateur is declared from the command line on the server.
"""

from __future__ import annotations

import getpass
import ipaddress
import re
from dataclasses import dataclass

from store.access import RANK, AccessDenied, Action, Person, Role, enforce, parse_role
from store.errors import StoreError
from store.journal import dump, load, now, open_change_set, record
from store.room import Connection, Room


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "inconnu"


MODES = ("cli", "local", "header", "oidc")
MODE_LABEL = {
    "cli": "ligne de commande",
    "local": "poste local",
    "header": "en-tête du proxy",
    "oidc": "OpenID Connect",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Caller:
    """Who a unit of work acts for, and how the app knows it; the store decides what follows."""

    name: str | None
    mode: str = "cli"
    verified: bool = True
    """OpenID Connect: the provider's ``email_verified``."""
    client: str | None = None
    """The client's address as the app sees it (None: this machine, or no client at all)."""
    groups: tuple[str, ...] = ()
    """OpenID Connect: the values of the role claim (``SIMULATEUR_OIDC_ROLE_CLAIM``), if any."""


def is_local_client(client: str | None) -> bool:
    if client is None:
        return True
    try:
        return ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False


def declared_people(con: Connection) -> list[Person]:
    rows = con.execute("SELECT name, role, directorates, email FROM people ORDER BY name").fetchall()
    return [Person(r[0], Role(r[1]), tuple(load(r[2]) or ()), email=r[3]) for r in rows]


def _administrators(people: list[Person]) -> str:
    return ", ".join(p.name for p in people if p.role == Role.ADMINISTRATEUR) or "un administrateur"


def acting_person(con: Connection, caller: Caller) -> Person:
    """The person behind ``caller``, or ``AccessDenied`` saying why not (see the module's docstring)."""
    people = declared_people(con)
    user = (caller.name or "").strip()
    if caller.mode == "local" and not is_local_client(caller.client):
        raise AccessDenied(
            f"Refusé : sur un poste local, personne n'est authentifié ; les modifications ne sont acceptées que "
            f"depuis la machine elle-même (cette session vient de {caller.client}). Pour travailler en réseau, "
            "la Ville sert l'application avec une identification (./dev serve, voir deploy/README.md)."
        )
    signed_in = caller.mode in ("header", "oidc")
    if signed_in and not user:
        how = "Connectez-vous (« Se connecter »)" if caller.mode == "oidc" else "Passez par le proxy de la Ville"
        raise AccessDenied(f"Personne n'est identifié : lecture seule. {how} pour modifier.")
    if not people:
        if signed_in:
            raise AccessDenied(
                "Aucune personne n'est encore déclarée : lecture seule. Le premier administrateur se déclare "
                "en ligne de commande sur le serveur : python -m simulation users add NOM --role administrateur "
                "--email ADRESSE."
            )
        return Person(user or "poste local", Role.ADMINISTRATEUR, implicit=True)
    if not user:
        raise AccessDenied(
            "Personne n'est identifié : choisissez votre nom (application) ou indiquez --user NOM (ligne de commande)."
        )
    if caller.mode == "oidc":
        if not caller.verified:
            raise AccessDenied(
                f"L'annuaire n'a pas vérifié l'adresse « {user} » : lecture seule. Faites-la vérifier par "
                f"l'annuaire de la Ville, ou demandez à {_administrators(people)}."
            )
        found = [p for p in people if p.email == user] or _by_group(people, user, caller.groups)
    else:
        named = [p for p in people if not is_group(p.name)]
        found = [p for p in named if p.name.lower() == user.lower()] or [p for p in named if p.email == user]
    if found:
        return found[0]
    if signed_in:
        raise AccessDenied(
            f"« {user} » n'est pas une personne déclarée : lecture seule. Demandez à {_administrators(people)} "
            "de vous ajouter (page « Personnes et droits », avec votre adresse)."
        )
    raise AccessDenied(
        f"« {user} » n'est pas une personne connue de la base : rien n'a été fait. "
        f"Personnes définies : {', '.join(p.name for p in people)}. Un administrateur peut l'ajouter."
    )


GROUP_PREFIX = "groupe:"


def is_group(name: str) -> bool:
    """A people row named ``groupe:X`` maps the provider's group X to a role (never a person)."""
    return name.lower().startswith(GROUP_PREFIX)


def _by_group(people: list[Person], email: str, groups: tuple[str, ...]) -> list[Person]:
    """A verified account declared by none of its e-mails, in a group mapped in the people table:
    it acts under its own address with the highest role mapped (the store stays the authority)."""
    mapped = [p for p in people if is_group(p.name) and p.name[len(GROUP_PREFIX) :] in groups]
    if not mapped:
        return []
    best = max(mapped, key=lambda p: RANK[p.role])
    directorates = tuple(sorted({d for p in mapped if p.role == best.role for d in p.directorates}))
    return [Person(email, best.role, directorates, email=email)]


def checked_email(email: str | None) -> str | None:
    """A declared e-mail, kept exactly as typed (the provider's must match it exactly)."""
    email = (email or "").strip()
    if not email:
        return None
    if not _EMAIL.fullmatch(email) or len(email) > 254:
        raise StoreError(
            f"Adresse « {email} » invalide : une adresse de la forme prenom.nom@ville.example est attendue."
        )
    return email


def _refuse_taken_email(con: Connection, email: str | None, name: str) -> None:
    if email is None:
        return
    row = con.execute("SELECT name FROM people WHERE email = ? AND name <> ?", [email, name]).fetchone()
    if row:
        raise StoreError(f"L'adresse « {email} » est déjà celle de {row[0]} : une adresse désigne une seule personne.")


def find_person(con: Connection, name: str) -> Person:
    for person in declared_people(con):
        if person.name.lower() == (name or "").strip().lower():
            return person
    raise StoreError(f"Aucune personne nommée « {name} ».")


def refuse_last_admin(con: Connection, name: str) -> None:
    admins = [p for p in declared_people(con) if p.role == Role.ADMINISTRATEUR]
    if [p.name for p in admins] == [name]:
        raise StoreError(f"{name} est le dernier administrateur : nommez-en un autre avant de le retirer.")


class PeopleRoom(Room):
    def people(self) -> list[Person]:
        return list(self._read(declared_people, key="people"))

    def whoami(self) -> Person:
        """The person acting; ``AccessDenied`` (with why) if they may not write."""
        return self._read(lambda con: acting_person(con, self.caller), key=("whoami", self.caller))

    def add_person(
        self,
        name: str,
        role: str,
        directorates: tuple[str, ...] = (),
        *,
        email: str | None = None,
        reason: str | None = None,
    ) -> None:
        name = (name or "").strip()
        if not name:
            raise StoreError("Le nom de la personne ne peut pas être vide.")
        parsed = parse_role(role)
        address = checked_email(email)

        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.MANAGE_PEOPLE, "gérer les personnes et les droits")
            if con.execute("SELECT 1 FROM people WHERE lower(name) = lower(?)", [name]).fetchone():
                raise StoreError(f"« {name} » est déjà défini(e). Modifiez ses droits avec « users set ».")
            if not declared_people(con) and parsed != Role.ADMINISTRATEUR:
                raise StoreError(
                    "La première personne définie doit être administrateur, sinon plus personne ne pourrait "
                    "gérer les droits."
                )
            _refuse_taken_email(con, address, name)
            con.execute(
                "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
                [name, parsed.value, dump(list(directorates)), address, now()],
            )
            cs = open_change_set(con, actor, "personne ajoutée", reason)
            after = {"role": parsed.value, "directions": list(directorates)} | ({"adresse": address} if address else {})
            record(con, cs, actor, "personne", name, None, None, None, after, reason, None)

        self._write(write)

    def set_person(
        self,
        name: str,
        *,
        role: str | None = None,
        directorates: tuple[str, ...] | None = None,
        email: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Change a role, directorates or e-mail (None: unchanged; an empty e-mail clears it)."""
        parsed = parse_role(role) if role is not None else None
        address = checked_email(email) if email is not None else None

        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.MANAGE_PEOPLE, "gérer les personnes et les droits")
            person = find_person(con, name)
            new_role = parsed or person.role
            new_dirs = person.directorates if directorates is None else tuple(directorates)
            if person.role == Role.ADMINISTRATEUR and new_role != Role.ADMINISTRATEUR:
                refuse_last_admin(con, person.name)
            new_email = person.email if email is None else address
            _refuse_taken_email(con, new_email, person.name)
            con.execute(
                "UPDATE people SET role = ?, directorates = ?, email = ? WHERE name = ?",
                [new_role.value, dump(list(new_dirs)), new_email, person.name],
            )
            cs = open_change_set(con, actor, "droits modifiés", reason)
            if new_role != person.role:
                record(
                    con,
                    cs,
                    actor,
                    "personne",
                    person.name,
                    None,
                    "role",
                    person.role.value,
                    new_role.value,
                    reason,
                    None,
                )
            if new_dirs != person.directorates:
                before, after = list(person.directorates), list(new_dirs)
                record(con, cs, actor, "personne", person.name, None, "directions", before, after, reason, None)
            if new_email != person.email:
                record(con, cs, actor, "personne", person.name, None, "adresse", person.email, new_email, reason, None)

        self._write(write)

    def remove_person(self, name: str, *, reason: str | None = None) -> None:
        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.MANAGE_PEOPLE, "gérer les personnes et les droits")
            person = find_person(con, name)
            if person.role == Role.ADMINISTRATEUR:
                refuse_last_admin(con, person.name)
            con.execute("DELETE FROM people WHERE name = ?", [person.name])
            cs = open_change_set(con, actor, "personne retirée", reason)
            before = {"role": person.role.value, "directions": list(person.directorates)}
            record(con, cs, actor, "personne", person.name, None, None, before, None, reason, None)

        self._write(write)
