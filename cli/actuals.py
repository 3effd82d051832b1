"""``actuals``: import the accounts' CP paid (*réalisé*), list them, print the blank template."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.french import CliError
from cli.inputs import open_store
from formats.actuals import actual_row, actuals_xlsx_bytes
from simulation import fr


def register(commands: Any) -> None:
    actuals = commands.add_parser("actuals", help="réalisé : crédits de paiement mandatés par opération et année")
    actions = actuals.add_subparsers(dest="actuals_action", required=True, metavar="ACTION", title="actions")
    importing = actions.add_parser("import", help="importer un fichier de réalisé, tout ou rien (arbitre)")
    importing.add_argument("file", metavar="FICHIER", help="CSV (Excel, point-virgule) ou XLSX : id;annee;mandate_ttc…")
    importing.add_argument("--reason", help="motif, gardé dans l'historique")
    importing.set_defaults(handler=_import)
    listing = actions.add_parser("list", help="lister le réalisé enregistré")
    listing.add_argument("--operation", metavar="ID", help="une seule opération")
    listing.add_argument("--json", action="store_true", help="sortie JSON : une ligne par opération et année")
    listing.set_defaults(handler=_list)
    template = actions.add_parser("template", help="écrire le modèle XLSX vierge sur la sortie (> realise.xlsx)")
    template.set_defaults(handler=_template)


def _import(args: argparse.Namespace) -> int:
    print(open_store(args).import_actuals(args.file, reason=args.reason))
    return 0


def _list(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.operation and args.operation not in {op.id for op in store.portfolio().operations}:
        raise CliError(f"opération inconnue : {args.operation}")
    rows = store.actuals(args.operation)
    if args.json:
        records = [
            {
                "id": a.operation_id,
                "year": a.year,
                "mandate_ttc": a.mandate_ttc,
                "engage_ttc": a.engage_ttc,
                "received": {f.value: v for f, v in a.received.items()},
            }
            for a in rows
        ]
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("Aucun réalisé enregistré.")
    for a in rows:
        row = actual_row(a)
        engaged = "" if row["engage_ttc"] is None else f" ; engagé {fr.euros(row['engage_ttc'])}"
        print(f"{a.operation_id} {a.year} : mandaté {fr.euros(a.mandate_ttc)} TTC{engaged}")
    return 0


def _template(args: argparse.Namespace) -> int:
    if sys.stdout.isatty():
        raise CliError("le modèle est un classeur XLSX : redirigez la sortie, par exemple « > realise.xlsx »")
    sys.stdout.buffer.write(actuals_xlsx_bytes())
    sys.stdout.flush()
    return 0
