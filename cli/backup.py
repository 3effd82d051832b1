"""``backup FILE`` and ``init``: a consistent copy of the database; a store with the City's own portfolio."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from cli.inputs import open_store
from store.database import Store, os_login


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="écrire une copie cohérente de la base (que --db ouvre)")
    backup.add_argument("file", metavar="FICHIER", help="fichier .duckdb à créer")
    backup.set_defaults(handler=_backup)

    init = commands.add_parser("init", help="créer une base avec le portefeuille de la Ville, sans la démonstration")
    init.add_argument("--operations", required=True, metavar="FICHIER", help="opérations (CSV ou XLSX)")
    init.add_argument(
        "--scenario", metavar="FICHIER", help="scénario de référence (JSON ; par défaut les réglages par défaut)"
    )
    init.add_argument(
        "--force", action="store_true", help="remplacer une base existante (administrateur ; sauvegarde avant)"
    )
    init.set_defaults(handler=_init)


def _backup(args: argparse.Namespace) -> int:
    print(open_store(args).backup(args.file))
    return 0


def _init(args: argparse.Namespace) -> int:
    store = Store.open(args.db, seed=False, user=args.user or os_login(), linger=0)
    store.whoami()
    if args.force and store.portfolio().operations:
        copy = store.path.with_name(f"{store.path.stem}.avant-init-{datetime.now():%Y%m%d-%H%M%S}.duckdb")
        store.backup(copy)
        print(f"Sauvegarde prise avant remplacement : {copy}")
    summary = store.init_portfolio(args.operations, args.scenario, force=args.force)
    print(
        f"Base {Path(store.path)} : {summary.total} opération(s) de {Path(args.operations).name}, "
        f"scénario de référence « {store.reference_name()} »."
    )
    return 0
