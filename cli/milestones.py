"""``milestone``: freeze the portfolio under a name, list milestones, show the drift since one."""

from __future__ import annotations

import argparse
from typing import Any

from cli.inputs import open_store, print_json
from simulation import fr
from simulation.drift import Drift


def register(commands: Any) -> None:
    milestone = commands.add_parser("milestone", help="jalons du portefeuille et dérive depuis un jalon")
    actions = milestone.add_subparsers(dest="milestone_action", required=True, metavar="ACTION", title="actions")
    create = actions.add_parser("create", help="figer le portefeuille d'aujourd'hui sous un nom (arbitre)")
    create.add_argument("name", metavar="NOM")
    create.add_argument("--reason", help="motif, gardé dans l'historique")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="lister les jalons")
    listing.set_defaults(handler=_list)
    drift = actions.add_parser("drift", help="dérive du coût, du calendrier et du programme depuis un jalon")
    drift.add_argument("name", metavar="NOM")
    drift.add_argument("--json", action="store_true", help="sortie JSON : operations et totaux")
    drift.set_defaults(handler=_drift)


def _create(args: argparse.Namespace) -> int:
    info = open_store(args).create_milestone(args.name, reason=args.reason)
    print(f"Jalon « {info.name} » figé : {info.n_operations} opération(s).")
    return 0


def _list(args: argparse.Namespace) -> int:
    milestones = open_store(args).milestones()
    if not milestones:
        print("Aucun jalon.")
    for m in milestones:
        print(f"{m.name} — figé le {m.created_at:%d/%m/%Y à %H:%M} par {m.created_by} ({m.n_operations} opérations)")
    return 0


def _drift(args: argparse.Namespace) -> int:
    result = open_store(args).drift(args.name)
    if args.json:
        print_json(result.as_json())
    else:
        print(format_drift(args.name, result))
    return 0


def format_drift(name: str, result: Drift) -> str:
    t = result.totals
    lines = [
        f"Depuis le jalon « {name} » :",
        f"  opérations inchangées : {t['n_unchanged']} ; modifiées : {t['n_modified']} ; "
        f"ajoutées : {t['n_added']} ; retirées : {t['n_removed']}",
        f"  coût HT : {fr.meuros(t['cost_ht_before'])} → {fr.meuros(t['cost_ht_after'])} "
        f"({fr.meuros(t['cost_ht_drift'], signed=True)})",
        f"  coût TTC : {fr.meuros(t['cost_ttc_before'])} → {fr.meuros(t['cost_ttc_after'])} "
        f"({fr.meuros(t['cost_ttc_drift'], signed=True)})",
        f"  début des travaux : {t['n_slipped']} opération(s) retardée(s), {t['n_advanced']} avancée(s), "
        f"glissement maximal {t['max_slippage_months']} mois",
        f"  programme modifié : {t['n_programme_changed']} opération(s)",
    ]
    for op in result.operations:
        if op.status == "inchangée":
            continue
        parts = [f"{op.id} ({op.status})"]
        if op.cost_ht_before is not None and op.cost_ht_after is not None and op.cost_ht_before != op.cost_ht_after:
            parts.append(f"coût HT {fr.euros(op.cost_ht_before)} → {fr.euros(op.cost_ht_after)}")
        if op.slippage_months:
            parts.append(
                f"travaux {fr.month(op.works_start_before)} → {fr.month(op.works_start_after)} "
                f"({op.slippage_months:+d} mois)"
            )
        if op.programme_changes:
            parts.append("programme : " + ", ".join(op.programme_changes))
        lines.append("  - " + " ; ".join(parts))
    return "\n".join(lines)
