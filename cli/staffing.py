"""``staffing``: the recommended recruitment of a scenario, per directorate and coordination team."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.french import CliError
from cli.inputs import add_scenario_inputs, portfolio_and_scenario
from simulation import fr
from simulation.capacity import directorate_summary
from simulation.engine import simulate
from simulation.scenario import ScenarioError
from simulation.staffing import recommend


def register(commands: Any) -> None:
    staffing = commands.add_parser(
        "staffing", help="recrutements recommandés pour qu'aucun mois ne dépasse l'effectif des équipes"
    )
    add_scenario_inputs(staffing)
    staffing.add_argument("--json", action="store_true", help="sortie JSON (recommendations, directorates)")
    staffing.set_defaults(handler=_staffing)


def _staffing(args: argparse.Namespace) -> int:
    portfolio, scenario = portfolio_and_scenario(args)
    try:
        result = simulate(portfolio, scenario)
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    recommendations = recommend(result)
    summary = directorate_summary(result)
    if args.json:
        records = {
            "scenario": scenario.name,
            "lead_months": scenario.recruitment_lead_months,
            "recommendations": [r.as_record() for r in recommendations],
            "directorates": json.loads(summary.to_json(orient="records", force_ascii=False)),
        }
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"Scénario : {scenario.name}")
    print(f"Délai de recrutement : {scenario.recruitment_lead_months} mois")
    if not recommendations:
        print("Aucun recrutement nécessaire : aucun mois ne dépasse l'effectif, recrutements prévus compris.")
    for rec in recommendations:
        print(
            f"- {rec.sentence} ; surcharge maximale {fr.fte(rec.peak_overload)}, "
            f"{rec.months_over} mois au-dessus de l'effectif"
        )
    return 0
