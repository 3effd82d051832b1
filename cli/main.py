"""Entry point of ``python -m simulation``: the parser, the commands, and French errors.

Each command lives in its own module of this package with a ``register(commands)`` function
that adds its sub-parser and sets ``handler``; adding a command is one module and one line in
``COMMANDS``. Every error ends with a French message and a non-zero exit code, never a
traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from cli import fit, portfolio_files, readiness, report, run, staffing
from cli.french import EXIT_ERROR, CliError, FrenchParser

COMMANDS: list[Callable[[Any], None]] = [
    run.register,
    portfolio_files.register,
    report.register,
    fit.register,
    staffing.register,
    readiness.register,
]


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="python -m simulation",
        description="Simulateur d'arbitrage des équipements publics du NPNRU de Marseille.",
    )
    parser.add_argument("--db", help="base DuckDB à utiliser (par défaut var/simulateur.duckdb ou $SIMULATEUR_DB)")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMANDE", title="commandes", parser_class=FrenchParser
    )
    for register in COMMANDS:
        register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # output piped into `head` and cut: not an error of ours
        sys.stderr.close()
        return 0
    except CliError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ValueError, OSError) as exc:  # store/template errors carry French messages
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug of ours: still a French sentence, not a traceback
        print(
            f"Erreur inattendue ({type(exc).__name__}) : {exc}. Signalez-la avec la commande utilisée.", file=sys.stderr
        )
        return EXIT_ERROR
