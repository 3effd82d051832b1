"""Generate the demonstration actuals (*réalisé*) and programme authorisations (AP votées).

Writes, next to this file:
- ``realise_demo.csv``: CP paid (``mandate_ttc``) and commitments signed (``engage_ttc``) for 2023
  and 2024, per operation, in the actuals file format (``formats/actuals.py``);
- ``ap_demo.csv``: the AP voted (TTC) of one operation in three.

ILLUSTRATIVE (see README.md): each operation pays a drawn share of what the demo's plan (the
reference scenario's settings on ``operations.csv``, no choice, no actuals) gave it that year, and
the shares are scaled so that the City as a whole pays 70 % of its 2023 plan and 68 % of its 2024
plan: the historical 65–75 % of the brief. An AP is the plan's whole TTC cost times a drawn
factor between 0,85 and 1,10, so some must be revised. Deterministic (fixed seed); run from the
repository root: ``.venv/bin/python data/generate_actuals.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from formats.files import load_portfolio, load_scenario_file  # noqa: E402
from simulation.engine import simulate  # noqa: E402

TARGET_RATE = {2023: 0.70, 2024: 0.68}


def main() -> None:
    rng = np.random.default_rng(19)
    portfolio = load_portfolio(ROOT / "operations.csv")
    scenario = load_scenario_file(ROOT / "scenario_reference.json").model_copy(update={"choices": {}})
    plan = simulate(portfolio, scenario)
    years = plan.operation_years.assign(operation_id=plan.operation_years["operation_id"].astype(str))
    lines = ["id;annee;mandate_ttc;engage_ttc"]
    for year, target in TARGET_RATE.items():
        rows = years[(years["year"] == year) & (years["spending_ttc"] > 0)]
        share = rng.uniform(0.45, 0.95, len(rows))
        paid = rows["spending_ttc"].to_numpy() * share
        paid *= target * rows["spending_ttc"].sum() / paid.sum()
        for op_id, amount in zip(rows["operation_id"], paid, strict=True):
            engaged = amount * rng.uniform(1.0, 1.6)
            lines.append(f"{op_id};{year};{round(amount):d};{round(engaged):d}")
    (ROOT / "realise_demo.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    totals = plan.operations.set_index("operation_id")["spending_ttc"]
    ap_lines = ["id;ap_votee"]
    for op_id in list(totals.index)[::3]:
        ap_lines.append(f"{op_id};{round(totals[op_id] * rng.uniform(0.85, 1.10), -3):.0f}")
    (ROOT / "ap_demo.csv").write_text("\n".join(ap_lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} lignes de réalisé, {len(ap_lines) - 1} AP votées")


if __name__ == "__main__":
    main()
