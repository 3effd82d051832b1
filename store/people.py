"""People and access: who is declared, with which role and directorates, and who is acting.

The role checks themselves are in ``store.access``; this room stores the people and resolves
the name a session or the CLI gives into a ``Person`` inside each unit of work.
"""

from __future__ import annotations

import getpass

from simulation.user_text import name_problem
from store.access import AccessDenied, Action, Person, Role, enforce, parse_role
from store.errors import StoreError
from store.journal import dump, load, now, open_change_set, record
from store.room import Connection, Room


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "inconnu"


def declared_people(con: Connection) -> list[Person]:
    rows = con.execute("SELECT name, role, directorates FROM people ORDER BY name").fetchall()
    return [Person(r[0], Role(r[1]), tuple(load(r[2]) or ())) for r in rows]


def acting_person(con: Connection, user: str | None) -> Person:
    """The person behind ``user``; anyone is an implicit administrateur while nobody is declared."""
    people = declared_people(con)
    if not people:
        return Person(user or "poste local", Role.ADMINISTRATEUR, implicit=True)
    if not user:
        raise AccessDenied(
            "Personne n'est identifié : choisissez votre nom (application) ou indiquez --user NOM (ligne de commande)."
        )
    for person in people:
        if person.name.lower() == user.strip().lower():
            return person
    rows = con.execute("SELECT name FROM people WHERE lower(email) = lower(?)", [user.strip()]).fetchall()
    if rows:
        return next(p for p in people if p.name == rows[0][0])
    raise AccessDenied(
        f"« {user} » n'est pas une personne connue de la base : rien n'a été fait. "
        f"Personnes définies : {', '.join(p.name for p in people)}. Un administrateur peut l'ajouter."
    )


def find_person(con: Connection, name: str) -> Person:
    for person in declared_people(con):
        if person.name.lower() == (name or "").strip().lower():
            return person
    raise StoreError(f"Aucune personne nommée « {name} ».")


def check_directorates(directorates: tuple[str, ...]) -> None:
    for directorate in directorates:
        problem = name_problem(directorate)
        if problem:
            raise StoreError(f"Direction refusée : {problem}. Rien n'a été enregistré.")


def refuse_last_admin(con: Connection, name: str) -> None:
    admins = [p for p in declared_people(con) if p.role == Role.ADMINISTRATEUR]
    if [p.name for p in admins] == [name]:
        raise StoreError(f"{name} est le dernier administrateur : nommez-en un autre avant de le retirer.")


class PeopleRoom(Room):
    def people(self) -> list[Person]:
        return self._read(declared_people)

    def whoami(self) -> Person:
        """The person acting; ``AccessDenied`` if people are defined and the user is unknown."""
        return self._read(lambda con: acting_person(con, self.user))

    def add_person(
        self, name: str, role: str, directorates: tuple[str, ...] = (), *, reason: str | None = None
    ) -> None:
        problem = name_problem(name or "")
        if problem:
            raise StoreError(f"Nom de personne refusé : {problem}. Personne n'a été ajouté.")
        name = (name or "").strip()
        if not name:
            raise StoreError("Le nom de la personne ne peut pas être vide.")
        check_directorates(directorates)
        parsed = parse_role(role)

        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.MANAGE_PEOPLE, "gérer les personnes et les droits")
            if con.execute("SELECT 1 FROM people WHERE lower(name) = lower(?)", [name]).fetchone():
                raise StoreError(f"« {name} » est déjà défini(e). Modifiez ses droits avec « users set ».")
            if not declared_people(con) and parsed != Role.ADMINISTRATEUR:
                raise StoreError(
                    "La première personne définie doit être administrateur, sinon plus personne ne pourrait "
                    "gérer les droits."
                )
            con.execute(
                "INSERT INTO people VALUES (?, ?, ?, NULL, ?)", [name, parsed.value, dump(list(directorates)), now()]
            )
            cs = open_change_set(con, actor, "personne ajoutée", reason)
            after = {"role": parsed.value, "directions": list(directorates)}
            record(con, cs, actor, "personne", name, None, None, None, after, reason, None)

        self._write(write)

    def set_person(
        self,
        name: str,
        *,
        role: str | None = None,
        directorates: tuple[str, ...] | None = None,
        reason: str | None = None,
    ) -> None:
        parsed = parse_role(role) if role is not None else None
        check_directorates(directorates or ())

        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.MANAGE_PEOPLE, "gérer les personnes et les droits")
            person = find_person(con, name)
            new_role = parsed or person.role
            new_dirs = person.directorates if directorates is None else tuple(directorates)
            if person.role == Role.ADMINISTRATEUR and new_role != Role.ADMINISTRATEUR:
                refuse_last_admin(con, person.name)
            con.execute(
                "UPDATE people SET role = ?, directorates = ? WHERE name = ?",
                [new_role.value, dump(list(new_dirs)), person.name],
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
