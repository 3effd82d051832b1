"""The accounts' cost: 3 000 operations with 5 closed years of actuals against the same without.

Run: ``.venv/bin/python bench/bench_actuals.py``. Prints both medians and their ratio, measured in
the same run on the same portfolio and scenario (issue 19: the ratio must stay within 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from timing import median_seconds

from formats.files import load_neighbourhoods
from simulation import Scenario, fr, simulate
from simulation.model import Actual
from simulation.synthetic import synthetic_portfolio

RATIO_LIMIT = 2.0


def main() -> None:
    plan = synthetic_portfolio(load_neighbourhoods(), 3000, years=15, first_year=2020)
    scenario = Scenario(reference_month="2025-01", horizon_year=2035)
    rng = np.random.default_rng(19)
    planned = simulate(plan, scenario).operation_years
    closed = planned[(planned["year"] >= 2020) & (planned["year"] <= 2024)]
    actuals = tuple(
        Actual(operation_id=str(op_id), year=int(year), mandate_ttc=float(amount) * rng.uniform(0.5, 0.9))
        for op_id, year, amount in zip(closed["operation_id"], closed["year"], closed["spending_ttc"], strict=True)
    )
    with_actuals = plan.model_copy(update={"actuals": actuals})
    years = sorted({a.year for a in actuals})
    simulate(plan, scenario)
    simulate(with_actuals, scenario)  # warm both column caches, as the app does
    # Interleaved, so that a loaded machine slows both sides alike (the machine is shared).
    pairs = [
        (
            median_seconds(lambda: simulate(plan, scenario), 1),
            median_seconds(lambda: simulate(with_actuals, scenario), 1),
        )
        for _ in range(21)
    ]
    without = float(np.median([p[0] for p in pairs]))
    withal = float(np.median([p[1] for p in pairs]))
    ratio = withal / without
    print("Commande : .venv/bin/python bench/bench_actuals.py")
    print(
        f"{fr.number(len(plan.operations))} opérations ; réalisé : {fr.number(len(actuals))} lignes sur {years[0]}–{years[-1]}"
    )
    print(f"sans réalisé : médiane {fr.number(without * 1000, 1)} ms ; avec : {fr.number(withal * 1000, 1)} ms")
    verdict = "tenu" if ratio <= RATIO_LIMIT else "DÉPASSÉ"
    print(f"rapport {fr.number(ratio, 2)} (limite {fr.number(RATIO_LIMIT, 0)}) : {verdict}")
    if ratio > RATIO_LIMIT:
        sys.exit(1)


if __name__ == "__main__":
    main()
