"""A deliberately plain implementation of the engine's rules, loop by loop.

Used only as a test oracle and a benchmark baseline for ``simulation.engine``: it walks every
operation and every month with dictionaries, so each rule reads as written in DOMAIN.md.
Never used by the app.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from simulation.model import PHASES, Funder, Portfolio
from simulation.months import parse_month
from simulation.scenario import COORDINATION_TEAM, Scenario
from simulation.tolerances import EURO_TOLERANCE, STAFF_OVERLOAD_FTE


def simulate_slowly(portfolio: Portfolio, scenario: Scenario) -> dict[str, Any]:
    """Per-operation figures, per owner-year money (with envelope gaps), money received per
    owner, funder and year, per directorate-month staff load, and the headline KPIs."""
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
    funding_years: dict[tuple[str, str, int], float] = defaultdict(float)
    paid_years: dict[tuple[str, int], float] = defaultdict(float)
    accounts: dict[str, dict[int, float]] = defaultdict(dict)
    for actual in portfolio.actuals:
        accounts[actual.operation_id][actual.year] = actual.mandate_ttc
    reference_year = reference // 12

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
        monthly: dict[int, float] = defaultdict(float)
        cost = op.cost_ht * plan["factor"] if keep else 0.0
        for phase in PHASES:
            if durations[phase] == 0:
                continue
            per_month = cost * shares[phase] / active_share / durations[phase]
            for m in range(phase_starts[phase], phase_starts[phase] + durations[phase]):
                year = m // 12
                escalated = per_month * (1 + scenario.escalation_rate) ** (year - op.price_year)
                yearly[year] += escalated * (1 + op.vat_rate)
                monthly[m] += escalated * (1 + op.vat_rate)
                if keep and plan["owner"] == scenario.capacity_owner.value:
                    staff[(op.directorate, m)] += loads[phase]
                    staff[(COORDINATION_TEAM, m)] += coordination[phase]

        # The accounts: closed years are what was paid; the rest of the plan's whole cost is
        # spread over the plan's months from the reference month on, in proportion to the plan.
        planned_total = sum(yearly.values())
        paid = paid_this_year = overrun = 0.0
        remaining = planned_total
        if op.id in accounts:
            closed = {year: amount for year, amount in accounts[op.id].items() if year < reference_year}
            paid_this_year = accounts[op.id].get(reference_year, 0.0)
            paid = sum(closed.values())
            remaining = max(planned_total - paid, 0.0)
            overrun = max(paid - planned_total, 0.0)
            future = {m: amount for m, amount in monthly.items() if m >= reference}
            future_total = sum(future.values())
            actual_yearly: dict[int, float] = defaultdict(float)
            for year, amount in closed.items():
                actual_yearly[year] += amount
                paid_years[(plan["owner"], year)] += amount
            if future_total > 0:
                for m, amount in future.items():
                    actual_yearly[m // 12] += remaining * amount / future_total
            else:
                actual_yearly[reference_year] += remaining
            yearly = actual_yearly
        ap_revision = None if op.ap_votee is None else max(planned_total - op.ap_votee, 0.0)

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
            for funder, line in funding.items():
                if total_spending > 0:
                    funding_years[(plan["owner"], funder, year)] += line * amount / total_spending
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
            "cost_ht": cost,
            "anru_planned": anru_planned,
            "planned_ttc": planned_total,
            "paid_ttc": paid,
            "paid_this_year_ttc": paid_this_year,
            "remaining_ttc": remaining,
            "incurred_overrun_ttc": overrun,
            "ap_voted": op.ap_votee,
            "ap_revision_needed": ap_revision,
        }

    # Envelopes: the gap of each year an envelope is set; over it past the euro tolerance.
    envelopes: dict[tuple[str, int], dict[str, float | bool]] = {}
    for owner, years in scenario.envelopes.items():
        for year, envelope in years.items():
            spent = owner_years[(owner.value, year)]["spending_ttc"] if (owner.value, year) in owner_years else 0.0
            gap = spent - envelope
            envelopes[(owner.value, year)] = {"envelope": envelope, "gap": gap, "over": gap > EURO_TOLERANCE}

    # Staff: from the reference month on, against each directorate's headcount when set.
    peak_load = peak_overload = 0.0
    overload_months = 0
    for (directorate, month), load in staff.items():
        if month < reference:
            continue
        peak_load = max(peak_load, load)
        headcount = headcount_slowly(scenario, directorate, month)
        if headcount is not None:
            over = max(load - headcount, 0.0)
            peak_overload = max(peak_overload, over)
            overload_months += over > STAFF_OVERLOAD_FTE

    ops = list(operations.values())
    kept = [o for o in ops if o["status"] != "dropped"]
    late = [o for o in kept if o["status"] == "late"]
    kpis = {
        "n_operations": len(ops),
        "n_kept": len(kept),
        "n_dropped": len(ops) - len(kept),
        "n_on_time": len(kept) - len(late),
        "n_late": len(late),
        "n_commitment_missed": sum(o["commitment_missed"] for o in ops),
        "n_completion_missed": sum(o["completion_missed"] for o in ops),
        "n_pushed": sum(o["pushed_months"] > 0 for o in ops),
        "cost_ht": sum(o["cost_ht"] for o in ops),
        "spending_ttc": sum(o["spending_ttc"] for o in ops),
        "subsidies": sum(o["subsidies"] for o in ops),
        "anru_planned": sum(o["anru_planned"] for o in ops),
        "anru_secured": sum(o["anru_secured"] for o in ops),
        "anru_lost": sum(o["anru_lost"] for o in ops),
        "anru_forgone": sum(o["anru_forgone"] for o in ops),
        "fctva": sum(o["fctva"] for o in ops),
        "net_cost": sum(o["net_cost"] for o in ops),
        "years_over_envelope": sum(bool(e["over"]) for e in envelopes.values()),
        "calendar_years_over_envelope": len({year for (_, year), e in envelopes.items() if e["over"]}),
        "total_overrun": sum(max(float(e["gap"]), 0.0) for e in envelopes.values()),
        "peak_staff_load": peak_load,
        "peak_staff_overload": peak_overload,
        "staff_overload_months": overload_months,
        "paid_ttc": sum(o["paid_ttc"] for o in ops),
        "paid_this_year_ttc": sum(o["paid_this_year_ttc"] for o in ops),
        "remaining_ttc": sum(o["remaining_ttc"] for o in ops),
        "incurred_overrun_ttc": sum(o["incurred_overrun_ttc"] for o in ops),
        "ap_voted": sum(o["ap_voted"] or 0.0 for o in ops),
        "ap_revision_needed": sum(o["ap_revision_needed"] or 0.0 for o in ops),
    }
    return {
        "operations": operations,
        "paid_years": dict(paid_years),
        "owner_years": dict(owner_years),
        "envelopes": envelopes,
        "funding": dict(funding_years),
        "staff": dict(staff),
        "kpis": kpis,
    }


def simulate_risk_slowly(portfolio: Portfolio, scenario: Scenario, draws: int, seed: int) -> dict[str, Any]:
    """The risk draws of ``simulation.risk``, one draw and one operation at a time.

    Each draw rebuilds the portfolio and the scenario operation by operation (cost × (1 + c),
    financing lines unchanged; each phase not yet begun at the reference month, re-derived here
    by walking the operation's own calendar, lasting ``floor(months × (1 + d) + 0.5)``) and runs
    ``simulate_slowly`` on them. The random numbers are ``simulation.risk``'s documented stream
    and Φ is its ``normal_cdf`` (tested on its own against ``math.erfc``), so both sides see the
    same draws; the triangular inverse CDF is written again here, scalar.
    """
    from simulation.risk import normal_cdf, standard_normals
    from simulation.scenario import OperationChoice, PhaseDurations

    ops = portfolio.operations
    rho = scenario.uncertainty_correlation
    z0_cost, eps_cost, z0_duration, eps_duration = standard_normals(draws, len(ops), seed)
    reference = parse_month(scenario.reference_month)

    def tri(u: float, low: float, mode: float, high: float) -> float:
        if high <= low:
            return low
        if u < (mode - low) / (high - low):
            return low + math.sqrt(max(u * (high - low) * (mode - low), 0.0))
        return high - math.sqrt(max((1.0 - u) * (high - low) * (high - mode), 0.0))

    runs = []
    for k in range(draws):
        new_ops = []
        choices = dict(scenario.choices)
        for i, op in enumerate(ops):
            setting = scenario.uncertainty[op.maturity]
            z_cost = math.sqrt(rho) * float(z0_cost[k]) + math.sqrt(1.0 - rho) * float(eps_cost[k, i])
            z_duration = math.sqrt(rho) * float(z0_duration[k]) + math.sqrt(1.0 - rho) * float(eps_duration[k, i])
            c = tri(float(normal_cdf(np.array([z_cost]))[0]), *setting.cost)
            d = tri(float(normal_cdf(np.array([z_duration]))[0]), *setting.duration)
            choice = scenario.choice(op.id)
            used = dict(op.durations)
            for phase, months in choice.durations.model_dump().items():
                if months is not None:
                    used[phase] = months
            month = parse_month(op.start)
            drawn = {}
            for phase in PHASES:
                begun = month < reference
                drawn[phase] = used[phase] if begun else math.floor(used[phase] * (1.0 + d) + 0.5)
                month += op.durations[phase]
            new_ops.append(op.model_copy(update={"cost_ht": op.cost_ht * (1.0 + c)}))
            choices[op.id] = OperationChoice.model_construct(
                keep=choice.keep,
                shift_months=choice.shift_months,
                cost_factor=choice.cost_factor,
                owner=choice.owner,
                durations=PhaseDurations.model_construct(None, **drawn),
            )
        drawn_portfolio = Portfolio.model_construct(neighbourhoods=portfolio.neighbourhoods, operations=tuple(new_ops))
        runs.append(simulate_slowly(drawn_portfolio, scenario.model_copy(update={"choices": choices})))

    operations: dict[str, dict[str, Any]] = {}
    for op in ops:
        if not scenario.choice(op.id).keep:
            continue
        figures = [run["operations"][op.id] for run in runs]
        costs = [f["spending_ttc"] for f in figures]
        operations[op.id] = {
            "p_commitment_on_time": sum(not f["commitment_missed"] for f in figures) / draws,
            "p_completion_on_time": sum(not f["completion_missed"] for f in figures) / draws,
            "cost_ttc_mean": sum(costs) / draws,
            "cost_ttc_p90": float(np.percentile(costs, 90)),
            "anru_lost_mean": sum(f["anru_lost"] for f in figures) / draws,
        }
    owner_years: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0] * draws)
    for k, run in enumerate(runs):
        for key, money in run["owner_years"].items():
            owner_years[key][k] += money["spending_ttc"]
    envelopes = {
        (owner.value, year): amount for owner, years in scenario.envelopes.items() for year, amount in years.items()
    }
    yearly = {}
    for key, values in owner_years.items():
        envelope = envelopes.get(key)
        yearly[key] = {
            "p10": float(np.percentile(values, 10)),
            "p50": float(np.percentile(values, 50)),
            "p90": float(np.percentile(values, 90)),
            "p_over": 0.0 if envelope is None else sum(v - envelope > 1.0 for v in values) / draws,
        }
    for key, envelope in envelopes.items():
        if key not in yearly:
            yearly[key] = {"p10": 0.0, "p50": 0.0, "p90": 0.0, "p_over": 0.0 if envelope >= -1.0 else 1.0}
    anru = [sum(f["anru_lost"] for f in run["operations"].values()) for run in runs]
    late = [sum(f["status"] == "late" for f in run["operations"].values()) for run in runs]
    overload: dict[tuple[str, int], float] = defaultdict(float)
    for run in runs:
        for (directorate, month), load in run["staff"].items():
            headcount = headcount_slowly(scenario, directorate, month)
            if headcount is not None and load - headcount > STAFF_OVERLOAD_FTE:
                overload[(directorate, month)] += 1 / draws
    return {
        "operations": operations,
        "yearly": yearly,
        "anru_lost": {"mean": sum(anru) / draws, "p90": float(np.percentile(anru, 90))},
        "late_operations": {"mean": sum(late) / draws, "p90": float(np.percentile(late, 90))},
        "staff_overload": dict(overload),
    }


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
