"""Capacity to deliver: staff load per directorate against headcount, spending per owner
against envelopes. Reductions of a ``Result`` used by the Capacité page and by exports; pure,
no formatting (callers write the French numbers with ``simulation.fr``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.result import Result
from simulation.scenario import COORDINATION_TEAM
from simulation.tolerances import EURO_NIL, STAFF_OVERLOAD_FTE

OVERLOAD_TOLERANCE_FTE = STAFF_OVERLOAD_FTE
"""A month counts as over headcount when the load exceeds it by more than this (as the KPIs)."""

DIRECTORATE_SUMMARY_COLUMNS: dict[str, str] = {
    "directorate": "piloting directorate",
    "headcount": "headcount in FTE at the reference month, recruitments included (NaN when none is set)",
    "peak_load": "highest monthly load (FTE), from the reference month",
    "peak_month": "first month at that peak ('YYYY-MM'), missing (None/NaN) when there is no load",
    "months_over": "months whose load exceeds the headcount, from the reference month",
    "peak_overload": "highest load above headcount (FTE), 0 when never over",
    "first_month_over": "first month over headcount ('YYYY-MM'), missing (None/NaN) when never over",
}

OWNER_YEAR_COLUMNS: dict[str, str] = {
    "owner": "owner (maître d'ouvrage) code",
    "year": "calendar year",
    "spending_ttc": "payment credits incl. VAT (euros)",
    "envelope": "the scenario's envelope (euros, NaN when none is set)",
    "gap": "spending_ttc - envelope: positive means over the envelope (NaN without envelope)",
    "over_envelope": "spending above the envelope by more than one euro",
}


def directorate_summary(result: Result) -> pd.DataFrame:
    """One row per directorate (engine order), over the months from the reference month on.

    Same window and tolerance as the KPIs, so the largest ``peak_overload`` is the
    ``peak_staff_overload`` KPI and ``months_over`` sums to ``staff_overload_months``.
    """
    staff = result.staff[result.staff["month"] >= result.scenario.reference_month]
    rows = []
    for directorate, months in staff.groupby("directorate", sort=False):
        load = months["load_fte"].to_numpy(dtype=float)
        overload = months["overload_fte"].to_numpy(dtype=float)
        month_text = months["month"].to_numpy()
        headcount = months["headcount"].to_numpy(dtype=float)
        over = overload > OVERLOAD_TOLERANCE_FTE
        peak = float(load.max(initial=0.0))
        rows.append(
            {
                "directorate": directorate,
                "headcount": float(headcount[0]) if len(headcount) else np.nan,
                "peak_load": peak,
                "peak_month": str(month_text[int(np.argmax(load))]) if peak > 0 else None,
                "months_over": int(over.sum()),
                "peak_overload": float(overload.max(initial=0.0)),
                "first_month_over": str(month_text[int(np.argmax(over))]) if over.any() else None,
            }
        )
    return pd.DataFrame(rows, columns=list(DIRECTORATE_SUMMARY_COLUMNS))


def most_overloaded_first(summary: pd.DataFrame) -> pd.DataFrame:
    """``directorate_summary`` rows, the largest overload first, then the most months over, then by
    name; the transversal coordination team comes last, after the directorates."""
    ordered = summary.assign(_transversal=summary["directorate"] == COORDINATION_TEAM)
    ordered = ordered.sort_values(
        ["_transversal", "peak_overload", "months_over", "directorate"], ascending=[True, False, False, True]
    )
    return ordered.drop(columns="_transversal")


def owner_years(result: Result, first_year: int, last_year: int) -> pd.DataFrame:
    """Spending against the envelope per owner and year, for the years ``first_year..last_year``.

    Owners with neither spending nor an envelope in those years are left out.
    """
    yearly = result.yearly
    yearly = yearly[(yearly["year"] >= first_year) & (yearly["year"] <= last_year)]
    shown = (yearly["spending_ttc"].abs() > EURO_NIL) | yearly["envelope"].notna()
    active = shown.groupby(yearly["owner"]).any()
    yearly = yearly[yearly["owner"].isin(active[active].index)]
    return yearly[list(OWNER_YEAR_COLUMNS)].reset_index(drop=True)
