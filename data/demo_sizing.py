"""Sizing the reference scenario from the drawn operations: monthly spending and staff load (the
engine's rules, recomputed here so the generator stays independent), yearly needs, envelopes and
headcounts; and the small file helpers of the generator (stable CSV bytes, write only on change).
"""

from __future__ import annotations

import csv
import io
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root


from demo_catalogue import (
    DIRECTIONS,
    ENVELOPE_YEARS,
    ESCALATION,
    HORIZON_END,
    PHASE_SHARES,
    REFERENCE,
    STAFF_LOAD,
    month_index,
    month_text,
)

FIRST_MONTH = month_index(2015, 1)
LAST_MONTH = month_index(2040, 12)
N_MONTHS = LAST_MONTH - FIRST_MONTH + 1
YEAR_OF_MONTH = (np.arange(FIRST_MONTH, LAST_MONTH + 1) // 12).astype(int)


def phase_months(row: pd.Series) -> list[tuple[int, int]]:
    """(first month index, duration) of the four phases."""
    y, m = (int(x) for x in row["debut"].split("-"))
    cursor = month_index(y, m)
    out = []
    for col in ("duree_programmation", "duree_conception", "duree_consultation", "duree_travaux"):
        n = int(row[col])
        out.append((cursor, n))
        cursor += n
    return out


def monthly_ttc(row: pd.Series) -> np.ndarray:
    phases = phase_months(row)
    shares = np.array([share if n > 0 else 0.0 for share, (_, n) in zip(PHASE_SHARES, phases, strict=False)])
    shares = shares / shares.sum()
    out = np.zeros(N_MONTHS)
    for share, (first, n) in zip(shares, phases, strict=False):
        if n > 0:
            out[first - FIRST_MONTH : first - FIRST_MONTH + n] += float(row["cout_ht"]) * share / n
    escalation = (1 + ESCALATION) ** (YEAR_OF_MONTH - int(row["annee_prix"]))
    return out * escalation * (1 + float(row["taux_tva"]) / 100)


def monthly_staff(row: pd.Series) -> np.ndarray:
    out = np.zeros(N_MONTHS)
    for load, (first, n) in zip(STAFF_LOAD, phase_months(row), strict=False):
        out[first - FIRST_MONTH : first - FIRST_MONTH + n] += load
    return out


def yearly_needs(ops: pd.DataFrame) -> dict[str, dict[int, float]]:
    """TTC spending per owner and calendar year."""
    needs: dict[str, dict[int, float]] = {}
    for owner in sorted(ops["maitre_ouvrage"].unique()):
        group = ops[ops["maitre_ouvrage"] == owner]
        monthly = np.zeros(N_MONTHS)
        for _, row in group.iterrows():
            monthly += monthly_ttc(row)
        years = np.unique(YEAR_OF_MONTH)
        totals = np.bincount(YEAR_OF_MONTH - years[0], weights=monthly)
        needs[str(owner)] = {int(y): float(v) for y, v in zip(years, totals, strict=True)}
    return needs


def staff_loads(ops: pd.DataFrame, owner: str = "Ville") -> pd.DataFrame:
    """Monthly FTE load per directorate (columns), Ville-owned operations, over the horizon."""
    window = slice(REFERENCE - FIRST_MONTH, HORIZON_END - FIRST_MONTH + 1)
    out = {}
    for direction in DIRECTIONS:
        group = ops[(ops["maitre_ouvrage"] == owner) & (ops["direction"] == direction)]
        monthly = np.zeros(N_MONTHS)
        for _, row in group.iterrows():
            monthly += monthly_staff(row)
        out[direction] = monthly[window]
    return pd.DataFrame(out, index=[month_text(m) for m in range(REFERENCE, HORIZON_END + 1)])


def size_envelope(needs: dict[int, float]) -> dict[int, int]:
    """A round (1 M€) flat or slightly rising envelope: 2 or 3 peak years 10–30 % over it,
    every other year under it, as close as possible to the average need."""
    values = np.array([needs.get(y, 0.0) for y in ENVELOPE_YEARS])
    mean = values.mean()
    best, best_score = np.zeros(len(values)), math.inf
    for slope in (0, 1, 2):
        for base in range(1, int(values.max() / 1e6) + 2):
            env = np.array([(base + slope * i) * 1e6 for i in range(len(values))])
            ratio = values / env
            over = ratio > 1.0
            score = 0.0
            n_over = int(over.sum())
            if n_over < 2:
                score += 10 * (2 - n_over)
            if n_over > 3:
                score += 10 * (n_over - 3)
            score += 20 * float(np.clip(1.10 - ratio[over], 0, None).sum())
            score += 20 * float(np.clip(ratio[over] - 1.30, 0, None).sum())
            score += abs(env.mean() - mean) / mean + 0.3 * slope
            if score < best_score:
                best, best_score = env, score
    return {y: int(v) for y, v in zip(ENVELOPE_YEARS, best, strict=False)}


def half_step(value: float, up: bool) -> float:
    return (math.ceil if up else math.floor)(value * 2) / 2


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def to_csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"dataset target not met: {message}")
