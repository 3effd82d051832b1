"""``scenario list|show|save|delete``: the saved scenarios from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.french import CliError
from cli.inputs import open_store, print_json
from formats.files import load_scenario_file


def register(commands: Any) -> None:
    scenario = commands.add_parser("scenario", help="scénarios enregistrés : lister, afficher, enregistrer, supprimer")
    actions = scenario.add_subparsers(dest="scenario_action", required=True, metavar="ACTION", title="actions")
    listing = actions.add_parser("list", help="lister les scénarios enregistrés")
    listing.add_argument("--json", action="store_true", help="sortie JSON")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", help="le scénario en JSON, tel que run --scenario FICHIER le lit")
    show.add_argument("name", metavar="NOM")
    show.set_defaults(handler=_show)
    save = actions.add_parser("save", help="créer ou mettre à jour un scénario depuis un fichier JSON")
    save.add_argument("file", metavar="FICHIER")
    save.add_argument("--version", type=int, help="version que vous mettez à jour (obligatoire si le nom existe)")
    save.add_argument("--reason", help="motif, gardé dans l'historique")
    save.set_defaults(handler=_save)
    delete = actions.add_parser("delete", help="mettre un scénario à la corbeille")
    delete.add_argument("name", metavar="NOM")
    delete.add_argument("--reason", help="motif, gardé dans l'historique")
    delete.set_defaults(handler=_delete)


def _list(args: argparse.Namespace) -> int:
    infos = open_store(args).list_scenarios()
    if args.json:
        data = [
            {
                "name": i.name,
                "author": i.author,
                "version": i.version,
                "is_reference": i.is_reference,
                "parent": i.parent,
                "updated_at": i.updated_at.isoformat(timespec="seconds"),
            }
            for i in infos
        ]
        print_json(data)
        return 0
    for i in infos:
        mark = " (référence)" if i.is_reference else ""
        print(f"{i.name}{mark} — v{i.version}, {i.author or 'auteur inconnu'}, le {i.updated_at:%d/%m/%Y à %H:%M}")
    return 0


def _show(args: argparse.Namespace) -> int:
    stored = open_store(args).load_scenario(args.name)
    print(stored.scenario.model_dump_json(indent=2))
    print(f"version {stored.info.version} (à donner à « scenario save --version »)", file=sys.stderr)
    return 0


def _save(args: argparse.Namespace) -> int:
    scenario = load_scenario_file(args.file)
    store = open_store(args)
    if args.version is None:
        existing = {i.name: i for i in store.list_scenarios()}.get(scenario.name)
        if existing is not None:
            raise CliError(
                f"le scénario « {scenario.name} » existe déjà (version {existing.version}, enregistré par "
                f"{existing.author or 'auteur inconnu'}) : pour le mettre à jour, ajoutez --version "
                f"{existing.version} ; rien n'a été écrit"
            )
    version = store.save_scenario(scenario, expected_version=args.version, reason=args.reason)
    print(f"Scénario « {scenario.name} » enregistré (version {version}).")
    return 0


def _delete(args: argparse.Namespace) -> int:
    open_store(args).delete_scenario(args.name, reason=args.reason)
    print(f"Scénario « {args.name} » mis à la corbeille (restore --scenario pour le rétablir).")
    return 0
