"""Engine speed: median time of ``simulate`` against the loop oracle.

Run: ``.venv/bin/python bench/bench_engine.py`` (or ``./dev bench``). Prints what it measured.
Targets (foundation issue): demo < 10 ms, 3 000 operations over 15 years < 200 ms, >= 50x the oracle.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds

from formats.files import load_neighbourhoods, load_portfolio, load_scenario_file
from simulation import Scenario, simulate
from simulation.oracle import simulate_slowly
from simulation.synthetic import synthetic_portfolio
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


def measure(label: str, portfolio, scenario: Scenario, repeats: int, oracle_repeats: int) -> None:
    simulate(portfolio, scenario)  # warm the per-portfolio column cache, as the app does
    engine = median_seconds(lambda: simulate(portfolio, scenario), repeats)
    oracle = median_seconds(lambda: simulate_slowly(portfolio, scenario), oracle_repeats)
    print(
        f"{label:<34} {len(portfolio.operations):>5} op.  simulate médiane {engine * 1000:8.2f} ms"
        f"  ({repeats} essais)   oracle {oracle * 1000:9.1f} ms  ({oracle_repeats} essais)"
        f"   rapport x{oracle / engine:,.0f}"
    )


def main() -> None:
    neighbourhoods = load_neighbourhoods()
    demo = load_portfolio(DEMO_OPERATIONS_CSV, neighbourhoods)
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    print(f"Commande : {Path(sys.executable).name} bench/bench_engine.py")
    measure("démo, scénario de référence", demo, reference, repeats=200, oracle_repeats=5)
    big = synthetic_portfolio(neighbourhoods, 3000, years=15)
    wide = reference.model_copy(update={"horizon_year": 2040})
    measure("synthétique 3 000 op. sur 15 ans", big, wide, repeats=20, oracle_repeats=1)


if __name__ == "__main__":
    main()
