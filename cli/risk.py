"""``risk``: the odds of the plan holding under uncertain costs and dates (Monte Carlo draws)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd

from cli.inputs import add_scenario_inputs, print_json, simulated
from simulation import fr
from simulation.labels import COMMITMENT_ON_TIME
from simulation.risk import DEFAULT_DRAWS, DEFAULT_SEED, RiskResult, simulate_risk, where_to_act


def register(commands: Any) -> None:
    risk = commands.add_parser(
        "risk", help="probabilités de tenir les échéances, coûts et crédits de paiement sous incertitude"
    )
    add_scenario_inputs(risk)
    risk.add_argument(
        "--draws",
        type=int,
        default=DEFAULT_DRAWS,
        help=f"nombre de tirages, de 1 à 100 000 (par défaut {DEFAULT_DRAWS})",
    )
    risk.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"graine du générateur aléatoire (par défaut {DEFAULT_SEED})"
    )
    risk.add_argument(
        "--json",
        action="store_true",
        help="sortie JSON (draws, seed, operations, yearly, anru_lost, late_operations)",
    )
    risk.set_defaults(handler=_risk)


def _risk(args: argparse.Namespace) -> int:
    result = simulated(args, lambda portfolio, scenario: simulate_risk(portfolio, scenario, args.draws, args.seed))
    if args.json:
        print_json(result.to_json())
    else:
        print(format_risk(result))
    return 0


def format_risk(result: RiskResult, top: int = 10) -> str:
    """A French summary: the plan, then what the draws add to it."""
    k = result.plan.kpis
    lines = [
        f"Scénario : {result.plan.scenario.name} — {fr.number(result.draws)} tirages (graine {result.seed})",
        f"Plan déterministe : {k['n_late']} opération(s) en retard ; ANRU perdue : {fr.meuros(k['anru_lost'])}",
        f"Probabilité moyenne de tenir l'échéance d'engagement : {fr.percent(result.p_commitment_mean)} ; "
        f"toutes les opérations engagées à temps : {fr.percent(result.p_all_committed)}",
        f"Opérations en retard : {fr.number(result.late_operations['mean'], 1)} en moyenne, "
        f"{fr.number(result.late_operations['p90'], 1)} au 9e décile",
        f"ANRU perdue : {fr.meuros(result.anru_lost['mean'])} en moyenne, "
        f"{fr.meuros(result.anru_lost['p90'])} au 9e décile",
    ]
    lines += _titled(
        "Années au risque de dépasser l'enveloppe :",
        result.yearly[result.yearly["p_over"] > 0],
        lambda row: (
            f"{row['owner']} {row['year']} : P(dépassement) {fr.percent(float(row['p_over']))} ; "
            f"CP P10 {fr.meuros(float(row['p10']))}, P50 {fr.meuros(float(row['p50']))}, "
            f"P90 {fr.meuros(float(row['p90']))} pour une enveloppe de {fr.meuros(float(row['envelope']))}"
        ),
    )
    lines += _titled(
        "Où agir d'abord (ANRU perdue attendue, part du dépassement P90) :",
        where_to_act(result, limit=top),
        lambda row: (
            f"{row['operation_id']} {row['title']} : {fr.meuros(float(row['anru_lost_mean']))} ; "
            f"{fr.percent(float(row['overrun_share']))} ; "
            f"{COMMITMENT_ON_TIME} {fr.percent(float(row['p_commitment_on_time']))}"
        ),
    )
    return "\n".join(lines)


def _titled(title: str, frame: pd.DataFrame, line: Callable[[dict[Hashable, Any]], str]) -> list[str]:
    """``title`` then one indented line a row of ``frame``; nothing at all when it has no row."""
    rows = frame.to_dict("records")
    return [title, *(f"  {line(row)}" for row in rows)] if rows else []
