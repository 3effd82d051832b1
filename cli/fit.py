"""``fit``: propose a phasing that holds envelopes, staff and deadlines (``simulation.fit``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cli.french import EXIT_ERROR, CliError
from cli.inputs import add_scenario_inputs, portfolio_and_scenario
from simulation.errors import french_message
from simulation.fit import FitSettings, propose, summary_lines
from simulation.scenario import ScenarioError


def register(commands: Any) -> None:
    fit = commands.add_parser(
        "fit", help="proposer un phasage qui tient les enveloppes, les effectifs et les échéances"
    )
    add_scenario_inputs(fit)
    fit.add_argument("--engine", choices=["greedy", "optimal"], default="optimal", help="glouton ou optimiseur CP-SAT")
    fit.add_argument("--time-limit", type=float, default=10.0, help="temps maximal de l'optimiseur, en secondes")
    fit.add_argument("--out", help="écrire la proposition comme scénario JSON complet (accepté par run)")
    fit.add_argument(
        "--mode", choices=["strict", "carry_forward"], default="strict", help="enveloppes strictes ou reports"
    )
    fit.add_argument("--tolerance", type=float, default=0.0, help="tolérance sur les effectifs, en %% (ex. 10)")
    fit.add_argument(
        "--grid", choices=["monthly", "quarterly"], default="monthly", help="grille des dates de démarrage"
    )
    fit.add_argument("--max-shift", type=int, default=36, help="décalage maximal d'une opération, en mois")
    fit.add_argument("--force-in", action="append", default=[], help="opération à maintenir (répétable)")
    fit.add_argument("--force-out", action="append", default=[], help="opération à abandonner (répétable)")
    fit.add_argument("--fix", action="append", default=[], help="opération à ne pas déplacer (répétable)")
    fit.set_defaults(handler=_fit)


def _fit(args: argparse.Namespace) -> int:
    """Propose a phasing, print it in French, write it as a scenario ``run`` accepts."""
    portfolio, scenario = portfolio_and_scenario(args)
    try:
        settings = FitSettings(
            forced_in=args.force_in,
            forced_out=args.force_out,
            fixed=args.fix,
            envelope_mode=args.mode,
            staff_tolerance=args.tolerance / 100,
            grid=args.grid,
            max_shift_months=args.max_shift,
            time_limit_s=args.time_limit,
        )
    except ValidationError as exc:
        labels = {
            "staff_tolerance": "--tolerance (fraction)",
            "max_shift_months": "--max-shift",
            "time_limit_s": "--time-limit",
        }
        raise CliError("réglages invalides :\n" + french_message(exc, labels)) from None
    try:
        run = propose(portfolio, scenario, settings, engines=[args.engine])
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    print("\n".join(summary_lines(run)))
    proposal = run.proposals[args.engine]
    if proposal.scenario is None:
        return EXIT_ERROR
    if args.out:
        try:
            Path(args.out).write_text(proposal.scenario.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise CliError(f"impossible d'écrire {args.out} : {exc.strerror or exc}") from None
        print(f"Proposition écrite dans {args.out}")
    return 0
