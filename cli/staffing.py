"""``staffing``: the recommended recruitment of a scenario, per directorate and coordination team."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.inputs import add_scenario_inputs, print_json, simulated
from simulation import fr
from simulation.capacity import directorate_summary
from simulation.result import Result
from simulation.staffing import recommend


def register(commands: Any) -> None:
    staffing = commands.add_parser(
        "staffing", help="recrutements recommandés pour qu'aucun mois ne dépasse l'effectif des équipes"
    )
    add_scenario_inputs(staffing)
    staffing.add_argument("--json", action="store_true", help="sortie JSON (recommendations, directorates)")
    staffing.set_defaults(handler=_staffing)


def _staffing(args: argparse.Namespace) -> int:
    result: Result = simulated(args)
    scenario = result.scenario
    recommendations = recommend(result)
    summary = directorate_summary(result)
    if args.json:
        records = {
            "scenario": scenario.name,
            "lead_months": scenario.recruitment_lead_months,
            "recommendations": [r.as_record() for r in recommendations],
            "directorates": json.loads(summary.to_json(orient="records", force_ascii=False)),
        }
        print_json(records)
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
