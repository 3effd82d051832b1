"""A deliberately plain implementation of the engine's rules, loop by loop.

Used only as a test oracle and a benchmark baseline for ``simulation.engine``: it walks every
operation and every month with dictionaries, so each rule reads as written in DOMAIN.md.
Never used by the app.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from simulation.model import PHASES, Funder, Portfolio
from simulation.months import parse_month
from simulation.scenario import COORDINATION_TEAM, Scenario


def simulate_slowly(portfolio: Portfolio, scenario: Scenario) -> dict[str, Any]:
    """Per-operation figures, per owner-year money and per directorate-month staff load."""
    shares = scenario.phase_shares.model_dump()
    loads = scenario.staff_load.model_dump()
    coordination = scenario.coordination_load.model_dump()
    eligible = {owner.value for owner in scenario.fctva_eligible_owners}
    deadline_commit = parse_month(scenario.commitment_deadline)
    deadline_complete = parse_month(scenario.completion_deadline)

    reference = parse_month(scenario.reference_month)
    plans: dict[str, dict[str, Any]] = {}
    for op in portfolio.operations:
        choice = scenario.choice(op.id)
        durations = dict(op.durations)
        for phase, months in choice.durations.model_dump().items():
            if months is not None:
                durations[phase] = months
        # Phases begun before the reference month (by the operation's own calendar) keep their
        # dates; a shift or a push moves the others, from the first not yet begun.
        first_unbegun = len(PHASES)
        month = parse_month(op.start)
        for k, phase in enumerate(PHASES):
            if month >= reference:
                first_unbegun = k
                break
            month += op.durations[phase]
        plans[op.id] = {
            "keep": choice.keep,
            "start": parse_month(op.start),
            "first_unbegun": first_unbegun,
            "delay": choice.shift_months if first_unbegun < len(PHASES) else 0,
            "durations": durations,
            "factor": choice.cost_factor,
            "owner": (choice.owner or op.owner).value,
            "pushed": 0,
        }

    def phase_starts_of(plan: dict[str, Any]) -> dict[str, int]:
        starts = {}
        month = plan["start"]
        for k, phase in enumerate(PHASES):
            starts[phase] = month + (plan["delay"] if k >= plan["first_unbegun"] else 0)
            month += plan["durations"][phase]
        return starts

    def resolve(op_id: str, done: set[str]) -> None:
        if op_id in done:
            return
        op = portfolio.by_id[op_id]
        plan = plans[op_id]
        if op.depends_on is not None:
            resolve(op.depends_on, done)
            pred = plans[op.depends_on]
            if plan["keep"] and pred["keep"] and plan["first_unbegun"] < len(PHASES):
                after = phase_starts_of(pred)["works"] + pred["durations"]["works"]
                waiting = phase_starts_of(plan)[PHASES[plan["first_unbegun"]]]
                if after > waiting:
                    plan["pushed"] = after - waiting
                    plan["delay"] += after - waiting
        done.add(op_id)

    done: set[str] = set()
    for op in portfolio.operations:
        resolve(op.id, done)

    operations: dict[str, dict[str, Any]] = {}
    owner_years: dict[tuple[str, int], dict[str, float]] = defaultdict(
        lambda: {"spending_ttc": 0.0, "subsidies": 0.0, "fctva": 0.0}
    )
    staff: dict[tuple[str, int], float] = defaultdict(float)

    for op in portfolio.operations:
        plan = plans[op.id]
        durations = plan["durations"]
        phase_starts = phase_starts_of(plan)
        works_start = phase_starts["works"]
        completion = works_start + durations["works"] - 1
        milestone = works_start if scenario.commitment_milestone == "works_start" else phase_starts["design"]
        keep = plan["keep"]
        commitment_missed = keep and milestone > deadline_commit
        completion_missed = keep and completion > deadline_complete

        active_share = sum(shares[p] for p in PHASES if durations[p] > 0)
        yearly: dict[int, float] = defaultdict(float)
        cost = op.cost_ht * plan["factor"] if keep else 0.0
        for phase in PHASES:
            if durations[phase] == 0:
                continue
            per_month = cost * shares[phase] / active_share / durations[phase]
            for m in range(phase_starts[phase], phase_starts[phase] + durations[phase]):
                year = m // 12
                escalated = per_month * (1 + scenario.escalation_rate) ** (year - op.price_year)
                yearly[year] += escalated * (1 + op.vat_rate)
                if keep and plan["owner"] == scenario.capacity_owner.value:
                    staff[(op.directorate, m)] += loads[phase]
                    staff[(COORDINATION_TEAM, m)] += coordination[phase]

        factor_cap = min(plan["factor"], 1.0)
        anru_planned = op.funding.get(Funder.ANRU, 0.0) * factor_cap
        funding = {f.value: amount * factor_cap for f, amount in op.funding.items()} if keep else {}
        anru_lost = anru_planned if commitment_missed else 0.0
        if commitment_missed:
            funding["anru"] = 0.0
        total_funding = sum(funding.values())
        total_spending = sum(yearly.values())
        fctva_total = 0.0
        for year, amount in yearly.items():
            received = total_funding * amount / total_spending if total_spending > 0 else 0.0
            fctva = scenario.fctva_rate * amount if plan["owner"] in eligible else 0.0
            fctva_total += fctva
            owner_years[(plan["owner"], year)]["spending_ttc"] += amount
            owner_years[(plan["owner"], year)]["subsidies"] += received
            owner_years[(plan["owner"], year + scenario.fctva_lag_years)]["fctva"] += fctva
        operations[op.id] = {
            "start": phase_starts["programming"],
            "works_start": works_start,
            "completion": completion,
            "pushed_months": plan["pushed"],
            "commitment_missed": commitment_missed,
            "completion_missed": completion_missed,
            "status": "dropped" if not keep else ("late" if commitment_missed or completion_missed else "on_time"),
            "spending_ttc": total_spending,
            "subsidies": total_funding,
            "anru_secured": funding.get("anru", 0.0),
            "anru_lost": anru_lost,
            "anru_forgone": 0.0 if keep else anru_planned,
            "fctva": fctva_total,
            "net_cost": total_spending - total_funding - fctva_total,
            "yearly_spending": dict(yearly),
        }
    return {"operations": operations, "owner_years": dict(owner_years), "staff": dict(staff)}


def headcount_slowly(scenario: Scenario, directorate: str, month: int) -> float | None:
    """A directorate's headcount in one month, recruitment by recruitment (None: not set).

    The scenario's ``headcount`` (0 for the coordination team), plus the FTE of every recruitment
    with ``from <= month <= to`` (open ``to``: until the end). A directorate that is not given a
    headcount but receives a recruitment counts from 0.
    """
    recruitments = [r for r in scenario.recruitments if r.direction == directorate]
    base = scenario.headcount.get(directorate)
    if base is None:
        if directorate != COORDINATION_TEAM and not recruitments:
            return None
        base = 0.0
    total = base
    for r in recruitments:
        if parse_month(r.start) <= month and (r.end is None or month <= parse_month(r.end)):
            total += r.fte
    return total
