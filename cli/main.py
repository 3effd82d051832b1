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

from cli import (
    actuals,
    backup,
    dialogue,
    digest,
    fit,
    history,
    meetings,
    milestones,
    people,
    portfolio_files,
    readiness,
    report,
    risk,
    run,
    scenarios,
    staffing,
)
from cli.french import EXIT_ERROR, EXIT_INTERRUPTED, FrenchParser, error_text
from cli.terminal import terminal_streams

COMMANDS: list[Callable[[Any], None]] = [
    run.register,
    portfolio_files.register,
    report.register,
    fit.register,
    risk.register,
    people.register,
    history.register,
    milestones.register,
    backup.register,
    scenarios.register,
    staffing.register,
    readiness.register,
    dialogue.register,
    meetings.register,
    digest.register,
    actuals.register,
]


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchParser(
        prog="python -m simulation",
        description="Simulateur d'arbitrage des équipements publics du NPNRU de Marseille.",
    )
    parser.add_argument("--db", help="base DuckDB à utiliser (par défaut var/simulateur.duckdb ou $SIMULATEUR_DB)")
    parser.add_argument(
        "--user", help="personne qui agit (par défaut l'identifiant de session du système) ; voir « users list »"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMANDE", title="commandes", parser_class=FrenchParser
    )
    for register in COMMANDS:
        register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    with terminal_streams():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # output piped into `head` and cut: not an error of ours
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("Interrompu : rien n'a été écrit par l'opération en cours.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        print(f"Erreur : {error_text(exc)}", file=sys.stderr)
        return EXIT_ERROR
