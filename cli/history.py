"""``history``, ``restore`` and ``undo``: what changed, by whom, and going back (as a new version)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.french import CliError
from cli.inputs import open_store, print_json
from simulation.journal_fields import field_label, shown_value
from simulation.user_text import one_line
from store.database import HistoryEntry


def register(commands: Any) -> None:
    hist = commands.add_parser("history", help="historique des modifications (qui, quand, avant → après)")
    which = hist.add_mutually_exclusive_group()
    which.add_argument("--operation", metavar="ID", help="l'historique d'une opération")
    which.add_argument("--scenario", metavar="NOM", help="l'historique d'un scénario")
    hist.add_argument("--json", action="store_true", help="sortie JSON : une liste de modifications")
    hist.set_defaults(handler=_history)

    restore = commands.add_parser("restore", help="restaurer une version d'opération, ou un scénario de la corbeille")
    target = restore.add_mutually_exclusive_group(required=True)
    target.add_argument("--operation", metavar="ID", help="opération à restaurer (avec --version)")
    target.add_argument("--scenario", metavar="NOM", help="scénario à sortir de la corbeille")
    restore.add_argument("--version", type=int, help="version de l'opération à rétablir")
    restore.add_argument("--reason", help="motif, gardé dans l'historique")
    restore.set_defaults(handler=_restore)

    undo = commands.add_parser("undo", help="annuler tout un lot de modifications (un import par exemple)")
    undo.add_argument("change_set", type=int, metavar="LOT", help="numéro du lot (voir history)")
    undo.add_argument("--reason", help="motif, gardé dans l'historique")
    undo.set_defaults(handler=_undo)


def _history(args: argparse.Namespace) -> int:
    entries = open_store(args).history(operation=args.operation, scenario=args.scenario)
    if args.json:
        print_json([e.as_json() for e in entries])
        return 0
    for entry in entries:
        print(format_entry(entry))
    return 0


def _value(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)  # JSON escapes control characters itself
    return one_line(value)


def format_entry(entry: HistoryEntry) -> str:
    """One history line; every stored text on it is shown on one line (``one_line``): a name
    holding a line break cannot print a forged entry below."""
    head = f"{entry.at:%d/%m/%Y %H:%M} lot {entry.change_set} — {one_line(entry.user)} — {entry.kind}"
    if entry.target:
        head += f" {one_line(entry.target)}"
    if entry.version is not None:
        head += f" (v{entry.version})"
    change = (
        f" : {one_line(field_label(entry.field))} {_value(shown_value(entry.field, entry.before))} → "
        f"{_value(shown_value(entry.field, entry.after))}"
        if entry.field
        else (f" : {_value(entry.before)} → {_value(entry.after)}")
    )
    reason = f" — motif : {one_line(entry.reason)}" if entry.reason else ""
    return head + change + reason


def _restore(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.operation:
        if args.version is None:
            raise CliError("--operation demande --version N (voir history --operation ID)")
        version = store.restore_operation(args.operation, args.version, reason=args.reason)
        print(f"{args.operation} : version {args.version} rétablie (nouvelle version {version}).")
        return 0
    if args.version is not None:
        raise CliError("--version ne s'emploie qu'avec --operation")
    version = store.restore_scenario(args.scenario, reason=args.reason)
    print(f"Scénario « {args.scenario} » restauré (version {version}).")
    return 0


def _undo(args: argparse.Namespace) -> int:
    summary = open_store(args).undo_change_set(args.change_set, reason=args.reason)
    print(f"Lot n° {args.change_set} annulé : {summary}")
    return 0
