"""``readiness``: which operations are ready for the engagement committee, and what the others lack."""

from __future__ import annotations

import argparse
from typing import Any

from cli.french import CliError
from cli.inputs import open_store, print_json
from formats.files import load_portfolio
from simulation.readiness import readiness_records


def register(commands: Any) -> None:
    ready = commands.add_parser(
        "readiness", help="préparation du comité d'engagement : programme, coût et calendrier de chaque opération"
    )
    ready.add_argument("--neighbourhood", metavar="CODE", help="code du quartier (par exemple AIRB)")
    ready.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
    ready.add_argument("--json", action="store_true", help="sortie JSON (operations, neighbourhoods)")
    ready.set_defaults(handler=_readiness)


def _readiness(args: argparse.Namespace) -> int:
    portfolio = load_portfolio(args.operations) if args.operations else open_store(args).portfolio()
    codes = [n.code for n in portfolio.neighbourhoods]
    if args.neighbourhood is not None and args.neighbourhood not in codes:
        raise CliError(f"quartier inconnu {args.neighbourhood!r} ; codes possibles : {', '.join(codes)}")
    records = readiness_records(portfolio, args.neighbourhood)
    if args.json:
        print_json(records)
        return 0
    operations = records["operations"]
    ready = sum(bool(op["ready"]) for op in operations)
    print(f"Opérations prêtes à présenter au comité d'engagement : {ready} sur {len(operations)}")
    for n in records["neighbourhoods"]:
        print(f"\n{n['name']} ({n['code']}) : {n['n_ready']} prête(s) sur {n['n_operations']}")
        for item, count in n["missing"].items():
            print(f"  manque {item} : {count} opération(s)")
    if args.neighbourhood is not None:
        print("\nOpération ; programme ; coût ; calendrier ; à définir")
        for op in operations:
            missing = " ; ".join(op["missing"]) or "—"
            print(f"{op['id']} ; {op['programme']} ; {op['cost']} ; {op['calendar']} ; {missing}")
    return 0
