"""``run`` (one scenario's KPIs, or its full JSON) and ``scenario-template``."""

from __future__ import annotations

import argparse
from typing import Any

from cli.inputs import add_scenario_inputs, print_json, simulated
from simulation import fr
from simulation.result import Result
from simulation.scenario import Scenario


def register(commands: Any) -> None:
    run = commands.add_parser("run", help="simuler un scénario et afficher ses indicateurs")
    add_scenario_inputs(run)
    run.add_argument("--json", action="store_true", help="sortie JSON complète (kpis, operations, yearly, staff)")
    run.set_defaults(handler=_run)

    template = commands.add_parser("scenario-template", help="afficher un scénario JSON complet, réglages par défaut")
    template.set_defaults(handler=_template)


def _template(args: argparse.Namespace) -> int:
    print(Scenario().model_dump_json(indent=2))
    return 0


def _run(args: argparse.Namespace) -> int:
    result: Result = simulated(args)
    if args.json:
        print_json(result.to_records())
    else:
        print(format_kpis(result))
    return 0


def format_kpis(result: Result) -> str:
    k = result.kpis
    lines = [
        f"Scénario : {result.scenario.name}",
        f"Opérations : {k['n_operations']} dont {k['n_kept']} retenues, {k['n_dropped']} abandonnées",
        f"  dans les délais : {k['n_on_time']} ; en retard : {k['n_late']} "
        f"(engagement manqué : {k['n_commitment_missed']}, achèvement manqué : {k['n_completion_missed']})",
        f"  décalées par une dépendance : {k['n_pushed']}",
        f"Coût HT (prix de base) : {fr.meuros(k['cost_ht'])}",
        f"Crédits de paiement TTC (actualisés) : {fr.meuros(k['spending_ttc'])}",
        f"  payé (exercices clos) : {fr.meuros(k['paid_ttc'])} ; reste à payer : {fr.meuros(k['remaining_ttc'])} ; "
        f"dépassement constaté : {fr.meuros(k['incurred_overrun_ttc'])}",
        f"AP votées : {fr.meuros(k['ap_voted'])} ; révisions d'AP nécessaires : {fr.meuros(k['ap_revision_needed'])}",
        f"Subventions : {fr.meuros(k['subsidies'])}",
        f"ANRU prévue : {fr.meuros(k['anru_planned'])} ; sécurisée : {fr.meuros(k['anru_secured'])} ; "
        f"perdue (engagement hors délai) : {fr.meuros(k['anru_lost'])} ; "
        f"renoncée (abandons) : {fr.meuros(k['anru_forgone'])}",
        f"FCTVA : {fr.meuros(k['fctva'])}",
        f"Coût net pour les maîtres d'ouvrage : {fr.meuros(k['net_cost'])}",
        f"Années hors enveloppe : {k['calendar_years_over_envelope']} "
        f"({k['years_over_envelope']} années-maître d'ouvrage ; dépassement cumulé : {fr.meuros(k['total_overrun'])})",
        f"Charge maximale d'une direction : {fr.fte(k['peak_staff_load'])} ; "
        f"surcharge maximale : {fr.fte(k['peak_staff_overload'])} "
        f"({k['staff_overload_months']} mois-direction en surcharge)",
    ]
    return "\n".join(lines)
