"""Generate the demonstration dataset of the NPNRU facilities simulator.

Writes, next to this file:
- ``quartiers.csv``: the 14 NPNRU neighbourhoods of Marseille (real names and status);
- ``operations.csv``: about a hundred illustrative public facilities (import-template format);
- ``scenario_reference.json``: the reference scenario, with budget envelopes and headcounts
  sized from the operations themselves.

Everything but the neighbourhood names and status is ILLUSTRATIVE (see README.md).

Deterministic: a fixed numpy seed, no network, stdlib + numpy + pandas only. Run from the
repository root::

    .venv/bin/python data/generate_demo.py

Running it twice writes identical bytes. It prints the checks the dataset is built to
satisfy (deadline misses, yearly needs against envelopes, staff peaks against headcount) and
stops with an error if one of the targets is not met.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root


from demo_catalogue import (
    COMMITMENT_DEADLINE,
    COMPLETION_DEADLINE,
    DIRECTIONS,
    ENVELOPE_YEARS,
    ESCALATION,
    HERE,
    HORIZON_YEAR,
    PHASE_SHARES,
    QUARTIERS,
    REFERENCE,
    STAFF_LOAD,
    month_index,
    month_text,
)
from demo_operations import COLUMNS, FUNDERS, build_operations
from demo_sizing import check, half_step, size_envelope, staff_loads, to_csv_bytes, write_if_changed, yearly_needs


def main() -> None:
    ops = build_operations()

    # -- deadlines
    starts = ops["debut"].map(lambda s: month_index(int(s[:4]), int(s[5:])))
    works_start = starts + ops["duree_programmation"] + ops["duree_conception"] + ops["duree_consultation"]
    completion = works_start + ops["duree_travaux"] - 1
    miss_commit = works_start > COMMITMENT_DEADLINE
    miss_completion = completion > COMPLETION_DEADLINE
    anru = pd.to_numeric(ops["anru"], errors="coerce").fillna(0)
    funding_total = ops[FUNDERS].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)

    n = len(ops)
    print(f"operations: {n} in {ops['quartier'].nunique()} neighbourhoods")
    print(
        f"cost HT: {ops['cout_ht'].sum() / 1e6:.1f} M€   ANRU: {anru.sum() / 1e6:.1f} M€   "
        f"all funding: {funding_total.sum() / 1e6:.1f} M€"
    )
    print(
        f"missing commitment deadline (works start > 2026-12): {int(miss_commit.sum())} "
        f"({100 * miss_commit.mean():.0f} %), ANRU at risk {anru[miss_commit].sum() / 1e6:.1f} M€"
    )
    print(f"missing completion deadline (end > 2030-12): {int(miss_completion.sum())}")
    print("  " + ", ".join(ops.loc[miss_commit, "id"]))
    for col in ("type", "maitre_ouvrage", "maturite", "direction"):
        print(f"{col}: " + ", ".join(f"{k} {v}" for k, v in ops[col].value_counts().items()))

    # -- envelopes (TTC, per owner and year)
    needs = yearly_needs(ops)
    envelopes = {}
    print("\nyearly TTC need vs envelope (M€):")
    print("owner      " + " ".join(f"{y:>7}" for y in ENVELOPE_YEARS) + "   mean")
    for owner in ("Ville", "SPEM", "Metropole"):
        row = needs[owner]
        env = size_envelope(row)
        envelopes[owner] = env
        print(
            f"{owner:<10} "
            + " ".join(f"{row.get(y, 0) / 1e6:7.1f}" for y in ENVELOPE_YEARS)
            + f" {np.mean([row.get(y, 0) for y in ENVELOPE_YEARS]) / 1e6:6.1f}"
        )
        print(f"{'  envelope':<10} " + " ".join(f"{env[y] / 1e6:7.0f}" for y in ENVELOPE_YEARS))
        print(f"{'  ratio':<10} " + " ".join(f"{row.get(y, 0) / env[y]:7.2f}" for y in ENVELOPE_YEARS))
    for owner in sorted(set(needs) - {"Ville", "SPEM", "Metropole"}):
        row = needs[owner]
        print(f"{owner:<10} " + " ".join(f"{row.get(y, 0) / 1e6:7.1f}" for y in ENVELOPE_YEARS) + "   (no envelope)")
    outside = sum(v for years in needs.values() for y, v in years.items() if y > HORIZON_YEAR)
    print(f"spending after {HORIZON_YEAR}: {outside / 1e6:.2f} M€")

    # -- headcount (FTE per directorate, Ville-owned operations)
    loads = staff_loads(ops)
    headcount = {}
    print("\nstaff (Ville operations, FTE): peak month / peak load / headcount")
    for direction in DIRECTIONS:
        peak = float(loads[direction].max())
        if direction in ("Éducation", "Sports"):
            hc = round(peak * 0.9 * 2) / 2  # a bit under the peak: the overload shows
        else:
            hc = max(1.0, half_step(peak + 0.4, up=True))
        headcount[direction] = hc
        months_over = int((loads[direction] > hc + 1e-9).sum())
        print(f"  {direction:<17} {loads[direction].idxmax()}  {peak:5.1f}  {hc:5.1f}  ({months_over} months over)")

    # -- targets the dataset is built for
    check(95 <= n <= 105, f"{n} operations")
    check(0.15 <= miss_commit.mean() <= 0.25, f"{miss_commit.mean():.0%} missing commitment")
    check(2 <= miss_completion.sum() <= 6, f"{miss_completion.sum()} missing completion")
    check(450e6 <= ops["cout_ht"].sum() <= 650e6, f"total cost {ops['cout_ht'].sum():,}")
    check(60e6 <= anru.sum() <= 110e6, f"ANRU total {anru.sum():,}")
    check(bool((funding_total <= 0.80 * ops["cout_ht"]).all()), "funding over 80 % of cost")
    check(outside == 0, "spending beyond the horizon")
    for owner, env in envelopes.items():
        ratio = np.array([needs[owner].get(y, 0.0) / env[y] for y in ENVELOPE_YEARS])
        above = ratio > 1
        check(
            2 <= above.sum() <= 3 and bool(((ratio[above] >= 1.10) & (ratio[above] <= 1.30)).all()),
            f"envelope of {owner}: ratios {np.round(ratio, 2).tolist()}",
        )

    scenario = {
        "name": "Référence",
        "author": "Mission d'appui (démonstration)",
        "rationale": (
            "Scénario de référence du jeu de démonstration : toutes les opérations sont "
            "maintenues avec les coûts et calendriers déclarés par les directions, face à des "
            "enveloppes de crédits de paiement et des effectifs illustratifs."
        ),
        "reference_month": month_text(REFERENCE),
        "horizon_year": HORIZON_YEAR,
        "escalation_rate": ESCALATION,
        "commitment_deadline": month_text(COMMITMENT_DEADLINE),
        "completion_deadline": month_text(COMPLETION_DEADLINE),
        "commitment_milestone": "works_start",
        "phase_shares": dict(zip(("programming", "design", "tendering", "works"), PHASE_SHARES, strict=False)),
        "staff_load": dict(zip(("programming", "design", "tendering", "works"), STAFF_LOAD, strict=False)),
        "fctva_rate": 0.16404,
        "fctva_lag_years": 1,
        "capacity_owner": "Ville",
        "envelopes": {owner: {str(y): v for y, v in env.items()} for owner, env in envelopes.items()},
        "headcount": headcount,
        "choices": {},
    }

    quartiers = to_csv_bytes(["code", "nom", "statut", "projet"], [list(q) for q in QUARTIERS])
    operations = to_csv_bytes(COLUMNS, ops.astype(object).values.tolist())
    scenario_bytes = (json.dumps(scenario, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_if_changed(HERE / "quartiers.csv", quartiers)
    write_if_changed(HERE / "operations.csv", operations)
    write_if_changed(HERE / "scenario_reference.json", scenario_bytes)
    print(f"\nwrote {HERE / 'quartiers.csv'}, {HERE / 'operations.csv'}, {HERE / 'scenario_reference.json'}")


if __name__ == "__main__":
    main()
