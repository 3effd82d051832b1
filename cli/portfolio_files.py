"""``import`` and ``export``: the store's portfolio from and to files in the import format."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.inputs import open_store
from formats.write import export_operations


def register(commands: Any) -> None:
    imp = commands.add_parser("import", help="importer un fichier d'opérations dans la base (tout ou rien)")
    imp.add_argument("file", help="fichier CSV ou XLSX au format du modèle d'import")
    imp.add_argument("--replace", action="store_true", help="remplacer tout le portefeuille au lieu de compléter")
    imp.add_argument("--reason", help="motif, gardé dans l'historique")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser("export", help="exporter les opérations de la base au format du modèle d'import")
    exp.add_argument("directory", help="dossier de sortie (créé si besoin)")
    exp.set_defaults(handler=_export)


def _import(args: argparse.Namespace) -> int:
    print(open_store(args).import_operations(args.file, replace=args.replace, reason=args.reason))
    return 0


def _export(args: argparse.Namespace) -> int:
    portfolio, versions = open_store(args).portfolio_with_versions()
    for path in export_operations(portfolio, Path(args.directory), versions):
        print(path)
    return 0
