"""Phasing assistant speed and quality: greedy against the CP-SAT optimiser.

Run: ``.venv/bin/python bench/bench_fit.py [--quick]``. Prints what it measured.
Targets (issue "Fit to envelope"): greedy under 100 ms on the demo; optimiser within 1 % on the
demo in under 5 s; 1 000 operations feasible within 30 s.

For each portfolio: the greedy time (problem preparation and greedy pass, shown apart); the
optimiser's time to a first feasible plan, the time to stop with every stage within 1 % of its
bound (``gap_limit=0.01``), and the gap left after 30 s (``gap_limit=0``); the objectives of
greedy and optimiser (ANRU secured, priority-weighted completions, deviation = drops/moves/
months, sum of yearly peaks), and the headline figures ``simulate`` gives for each plan.
Synthetic portfolios get envelopes (80 % of the requested plan's mean yearly spending per owner)
and headcounts (70 % of each directorate's peak load) that bind.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from formats.files import load_neighbourhoods, load_portfolio, load_scenario_file
from simulation import Scenario, fr, simulate
from simulation.fit import FitSettings, build_problem, evaluate, plan_to_scenario
from simulation.fit.greedy import greedy
from simulation.fit.optimal import optimise
from simulation.fit.verify import check_proposal
from simulation.synthetic import synthetic_portfolio
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


def binding_scenario(portfolio) -> Scenario:
    """Envelopes and headcounts the synthetic portfolio's requested plan overruns."""
    base = Scenario(
        name="Synthétique",
        reference_month="2025-01",
        horizon_year=2042,
        commitment_deadline="2031-12",
        completion_deadline="2039-12",
    )
    result = simulate(portfolio, base)
    years = range(2025, 2043)
    yearly = result.yearly[result.yearly["year"].between(2025, 2039)]
    envelopes = {}
    for owner, rows in yearly.groupby("owner"):
        level = 0.8 * float(rows["spending_ttc"].mean())
        envelopes[owner] = dict.fromkeys(years, round(level, -3))
    staff = result.staff
    headcount = {d: round(0.7 * float(rows["load_fte"].max()), 1) for d, rows in staff.groupby("directorate")}
    return Scenario.model_validate({**base.model_dump(), "envelopes": envelopes, "headcount": headcount})


def ms(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    return f"{fr.number(seconds * 1000, 1)} ms" if seconds < 1 else f"{fr.number(seconds, 2)} s"


def gap_text(value: float) -> str:
    return "—" if value is None or math.isnan(value) else fr.percent(value, 2)


def objective_text(value) -> str:
    return (
        f"[ANRU {fr.number(value.anru_k)} k€ ; achèvements pondérés {value.completions} ; "
        f"écart au plan demandé {fr.number(value.deviation)} ; somme des pics {fr.number(value.peak_k)} k€]"
    )


def figures(portfolio, problem, plan) -> str:
    result = simulate(portfolio, plan_to_scenario(problem, plan, "bench", ""))
    k = result.kpis
    violations = check_proposal(problem, result)
    moved = sum(1 for i in problem.tables if plan.keep[i] and plan.start[i] != problem.base_start[i])
    return (
        f"ANRU sécurisée {fr.meuros(k['anru_secured'])}, dans les délais {k['n_on_time']}, "
        f"abandonnées {k['n_dropped']}, décalées {moved}, règles non tenues {len(violations)}"
    )


def measure(label: str, portfolio, scenario: Scenario, long_limit: float, workers: int) -> None:
    print(f"\n=== {label} : {len(portfolio.operations)} opérations")
    settings = FitSettings(time_limit_s=long_limit, workers=workers)
    started = time.perf_counter()
    problem = build_problem(portfolio, scenario, settings)
    prepared = time.perf_counter() - started
    runs = []
    for _ in range(5):
        outcome = greedy(problem)
        runs.append(outcome.seconds)
    greedy_plan = outcome.plan
    print(
        f"  préparation (tables, simulations de référence) {ms(prepared)} ; glouton médiane {ms(float(np.median(runs)))}"
        f" ; total préparation + glouton {ms(prepared + float(np.median(runs)))}"
        f" ; {len(problem.tables)} opérations ajustables, "
        f"{sum(len(t.candidates) for t in problem.tables.values())} dates candidates"
    )
    g_obj = evaluate(problem, greedy_plan)
    print(f"  glouton     : objectif {objective_text(g_obj)} — {figures(portfolio, problem, greedy_plan)}")

    fast = problem.settings.model_copy(update={"gap_limit": 0.01})
    problem.settings = fast
    solved = optimise(problem, greedy_plan, time_limit=long_limit)
    all_within = all(s.gap <= 0.01 + 1e-12 for s in solved.stages)
    print(
        f"  optimiseur, arrêt à 1 % : première solution {ms(solved.first_solution_s)} (modèle construit en "
        f"{ms(solved.build_seconds)}), fin {ms(solved.seconds)}, statut {solved.status}, "
        f"écart max {gap_text(solved.gap)}{'' if all_within else ' (1 % non atteint sur toutes les étapes)'}"
    )
    print(
        "    étapes : " + " ; ".join(f"{s.key} {s.status} {gap_text(s.gap)} en {ms(s.seconds)}" for s in solved.stages)
    )

    problem.settings = problem.settings.model_copy(update={"gap_limit": 0.0})
    solved = optimise(problem, greedy_plan, time_limit=long_limit)
    print(
        f"  optimiseur, {fr.number(long_limit)} s : première solution {ms(solved.first_solution_s)}, fin "
        f"{ms(solved.seconds)}, statut {solved.status}, écart final {gap_text(solved.gap)}"
    )
    print(
        "    étapes : " + " ; ".join(f"{s.key} {s.status} {gap_text(s.gap)} en {ms(s.seconds)}" for s in solved.stages)
    )
    if solved.plan is not None:
        print(
            f"  optimiseur  : objectif {objective_text(solved.objective)} — {figures(portfolio, problem, solved.plan)}"
        )
        better = solved.objective.key() > g_obj.key()
        print(f"  optimiseur meilleur que le glouton (ordre lexicographique) : {'oui' if better else 'non (égal)'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="démo seulement, 10 s")
    parser.add_argument("--limit", type=float, default=30.0, help="temps de l'optimiseur (s)")
    args = parser.parse_args()
    workers = min(8, os.cpu_count() or 1)
    print(f"Commande : {Path(sys.executable).name} bench/bench_fit.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"Machine : {os.cpu_count()} cœurs ; CP-SAT {workers} workers")
    neighbourhoods = load_neighbourhoods()
    demo = load_portfolio(DEMO_OPERATIONS_CSV, neighbourhoods)
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    limit = 10.0 if args.quick else args.limit
    measure("démo, scénario de référence (enveloppes strictes)", demo, reference, limit, workers)
    if args.quick:
        return
    carry = reference.model_copy(update={"name": "Référence, reports"})
    print("\n(démo, crédits reportés)")
    settings_note = FitSettings(envelope_mode="carry_forward")
    problem = build_problem(demo, carry, settings_note)
    outcome = greedy(problem)
    solved = optimise(problem, outcome.plan, time_limit=limit)
    print(
        f"  glouton {ms(outcome.seconds)} ; optimiseur fin {ms(solved.seconds)}, statut {solved.status}, "
        f"écart {gap_text(solved.gap)} ; glouton {figures(demo, problem, outcome.plan)} ; "
        f"optimiseur {figures(demo, problem, solved.plan)}"
    )
    for n in (300, 1000):
        portfolio = synthetic_portfolio(neighbourhoods, n, years=15)
        measure(f"synthétique {n} opérations", portfolio, binding_scenario(portfolio), limit, workers)


if __name__ == "__main__":
    main()
