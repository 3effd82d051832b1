"""How one operation's figures were computed, step by step, in French.

The operation sheet shows this so that a director can redo any figure by hand.
"""

from __future__ import annotations

from typing import Any

from simulation import fr
from simulation.labels import FUNDER, MILESTONE, OWNER, PHASE
from simulation.model import PHASES, Portfolio
from simulation.result import Result


def explain_operation(portfolio: Portfolio, result: Result, operation_id: str) -> list[str]:
    op = portfolio.by_id[operation_id]
    row: Any = result.operations.set_index("operation_id").loc[operation_id]
    scenario = result.scenario
    choice = scenario.choice(operation_id)
    if not row.kept:
        return [
            "Opération abandonnée dans ce scénario : aucune dépense ni subvention.",
            f"Subvention ANRU renoncée : {fr.euros(row.anru_forgone)}.",
        ]
    lines = []
    text = f"Début prévu {fr.month(op.start)}"
    if choice.shift_months:
        text += f", décalé de {choice.shift_months:+d} mois"
    if row.pushed_months:
        text += f", repoussé de {row.pushed_months} mois pour attendre l'achèvement de {row.pushed_by}"
    lines.append(f"{text} : démarrage {fr.month(row.start)}.")
    durations = {phase: getattr(choice.durations, phase) for phase in PHASES}
    effective = {phase: durations[phase] if durations[phase] is not None else op.durations[phase] for phase in PHASES}
    lines.append(
        "Durées : "
        + ", ".join(f"{PHASE[p].lower()} {effective[p]} mois" for p in PHASES)
        + f" → travaux {fr.of_month(row.works_start)} à {fr.month(row.completion)}."
    )
    deadline = scenario.commitment_deadline
    milestone = MILESTONE[scenario.commitment_milestone]
    if row.commitment_missed:
        lines.append(
            f"Jalon d'engagement ({milestone}) {fr.month(row.commitment_month)}, après l'échéance de "
            f"{fr.month(deadline)} : subvention ANRU de {fr.euros(row.anru_lost)} perdue."
        )
    else:
        lines.append(
            f"Jalon d'engagement ({milestone}) {fr.month(row.commitment_month)}, au plus tard "
            f"{fr.month(deadline)} : ANRU conservée."
        )
    if row.completion_missed:
        lines.append(
            f"Achèvement {fr.month(row.completion)} après l'échéance de {fr.month(scenario.completion_deadline)}."
        )
    factor = f" × facteur de coût {fr.number(choice.cost_factor, 2)}" if choice.cost_factor != 1 else ""
    shares = scenario.phase_shares.model_dump()
    active = {p: shares[p] for p in PHASES if effective[p] > 0}
    total_share = sum(active.values())
    lines.append(
        f"Coût {fr.euros(op.cost_ht)} HT (prix {op.price_year}){factor} = {fr.euros(row.cost_ht)} HT, réparti "
        + ", ".join(f"{PHASE[p].lower()} {fr.percent(s / total_share)}" for p, s in active.items())
        + ", également sur les mois de chaque phase."
    )
    years = result.operation_years
    mine = years[(years["operation_id"] == operation_id) & (years["spending_ttc"] != 0)]
    lines.append(
        f"Actualisation {fr.percent(scenario.escalation_rate)} par an depuis {op.price_year} et TVA "
        f"{fr.percent(op.vat_rate)} : {fr.euros(row.spending_ttc)} TTC de crédits de paiement ("
        + ", ".join(f"{int(y)} : {fr.meuros(v, 2)}" for y, v in zip(mine["year"], mine["spending_ttc"], strict=True))
        + f"), à la charge de : {OWNER.get(row.owner, row.owner)}."
    )
    funders = [
        f"{FUNDER[f.value]} {fr.euros(row[f'funding_{f.value}'])}" for f in op.funding if row[f"funding_{f.value}"] > 0
    ]
    capped = " (plafonnés au montant convenu)" if choice.cost_factor > 1 else ""
    scaled = f" (× {fr.number(choice.cost_factor, 2)})" if choice.cost_factor < 1 else ""
    lines.append(
        f"Subventions{scaled}{capped} : {', '.join(funders) if funders else 'aucune'}, perçues au prorata des "
        "dépenses de chaque année."
    )
    lines.append(
        f"FCTVA {fr.percent(scenario.fctva_rate, 3)} des dépenses TTC, versé {scenario.fctva_lag_years} an(s) "
        f"plus tard : {fr.euros(row.fctva)}. Coût net : {fr.euros(row.spending_ttc)} − "
        f"{fr.euros(row.subsidies)} − {fr.euros(row.fctva)} = {fr.euros(row.net_cost)}."
    )
    return lines
