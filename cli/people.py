"""``users``: the people allowed to write, their role and directorates (administrateur only)."""

from __future__ import annotations

import argparse
from typing import Any

from cli.inputs import open_store, print_json
from store.access import ROLE_HELP, Role

ROLES = [r.value for r in Role]


def register(commands: Any) -> None:
    users = commands.add_parser("users", help="personnes et droits (lecteur, contributeur, arbitre, administrateur)")
    actions = users.add_subparsers(dest="users_action", required=True, metavar="ACTION", title="actions")

    add = actions.add_parser("add", help="ajouter une personne")
    add.add_argument("name", metavar="NOM")
    add.add_argument("--role", required=True, choices=ROLES, help="rôle de la personne")
    add.add_argument("--direction", action="append", default=[], help="direction (répétable) d'un contributeur")
    add.add_argument(
        "--email", help="adresse de l'annuaire : la connexion OpenID Connect doit la donner exactement, vérifiée"
    )
    add.add_argument("--reason", help="motif, gardé dans l'historique")
    add.set_defaults(handler=_add)

    change = actions.add_parser("set", help="changer le rôle ou les directions d'une personne")
    change.add_argument("name", metavar="NOM")
    change.add_argument("--role", choices=ROLES, help="nouveau rôle")
    change.add_argument("--direction", action="append", help="directions (répétable ; remplacent les anciennes)")
    change.add_argument("--email", help="nouvelle adresse de l'annuaire (« » l'efface)")
    change.add_argument("--reason", help="motif, gardé dans l'historique")
    change.set_defaults(handler=_set)

    listing = actions.add_parser("list", help="lister les personnes")
    listing.add_argument("--json", action="store_true", help="sortie JSON : [{name, role, directions}]")
    listing.set_defaults(handler=_list)

    remove = actions.add_parser("remove", help="retirer une personne")
    remove.add_argument("name", metavar="NOM")
    remove.add_argument("--reason", help="motif, gardé dans l'historique")
    remove.set_defaults(handler=_remove)


def _add(args: argparse.Namespace) -> int:
    open_store(args).add_person(args.name, args.role, tuple(args.direction), email=args.email, reason=args.reason)
    print(
        f"{args.name} ajouté(e) : {args.role}"
        + (f" ({', '.join(args.direction)})" if args.direction else "")
        + (f", adresse {args.email.strip()}" if args.email and args.email.strip() else "")
    )
    return 0


def _set(args: argparse.Namespace) -> int:
    directions = tuple(args.direction) if args.direction is not None else None
    open_store(args).set_person(
        args.name, role=args.role, directorates=directions, email=args.email, reason=args.reason
    )
    print(f"Droits de {args.name} modifiés.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    open_store(args).remove_person(args.name, reason=args.reason)
    print(f"{args.name} retiré(e).")
    return 0


def _list(args: argparse.Namespace) -> int:
    people = open_store(args).people()
    if args.json:
        data = [{"name": p.name, "role": p.role.value, "directions": list(p.directorates)} for p in people]
        print_json(data)
        return 0
    if not people:
        print("Aucune personne définie : la ligne de commande agit en administrateur pour créer la première.")
    for p in people:
        where = f" — {', '.join(p.directorates)}" if p.directorates else ""
        address = f" <{p.email}>" if p.email else ""
        print(f"{p.name}{address} : {p.role.value}{where} ({ROLE_HELP[p.role]})")
    return 0
