"""Reductions of a ``Result`` that charts, pages and exports share: the years shown, yearly
payment credits by group, envelope against spending per year."""

from __future__ import annotations

from typing import cast

import pandas as pd

from simulation.labels import FACILITY_TYPE, OWNER
from simulation.model import Portfolio
from simulation.months import parse_month
from simulation.result import Result
from simulation.tolerances import EURO_NIL, OVERRUN_SHOWN_EUROS

OVERRUN_DISPLAY_MEUR = OVERRUN_SHOWN_EUROS / 1e6
"""``OVERRUN_SHOWN_EUROS`` in M€: smaller overruns are not labelled on charts."""


def labelled_groups(result: Result, portfolio: Portfolio, group_by: str) -> pd.Series:
    ops = result.operations
    if group_by == "neighbourhood":
        return ops["neighbourhood"].map(portfolio.neighbourhood_names)
    if group_by == "facility_type":
        return ops["facility_type"].map(FACILITY_TYPE)
    if group_by == "directorate":
        return ops["directorate"]
    return ops["owner"].map(OWNER)


def year_range(result: Result) -> tuple[int, int]:
    """Years shown on yearly charts: from the reference year to the horizon (or later spending)."""
    first = parse_month(result.scenario.reference_month) // 12
    spending = result.yearly[result.yearly["spending_ttc"] > EURO_NIL]
    last = max(result.scenario.horizon_year, int(spending["year"].max()) if len(spending) else first)
    return first, last


def spending_by_year(result: Result, portfolio: Portfolio, group_by: str, owner: str | None) -> pd.DataFrame:
    """Yearly payment credits (M€) by group, for one owner or all."""
    ops = result.operations
    years = result.operation_years
    first, last = year_range(result)
    # Each operation-year row finds its operation's position once (operations are unique).
    position = pd.Index(ops["operation_id"].to_numpy(dtype=object)).get_indexer(
        years["operation_id"].to_numpy(dtype=object)
    )
    frame = pd.DataFrame(
        {
            "year": years["year"].to_numpy(),
            "group": labelled_groups(result, portfolio, group_by).to_numpy(dtype=object)[position],
            "owner": ops["owner"].to_numpy(dtype=object)[position],
            "meur": years["spending_ttc"].to_numpy() / 1e6,
        }
    )
    frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]
    if owner is not None:
        frame = frame[frame["owner"] == owner]
    # as_index=False: a frame with the year and group columns (pandas-stubs types it a Series).
    return cast(pd.DataFrame, frame.groupby(["year", "group"], as_index=False)["meur"].sum())


def envelope_by_year(result: Result, owner: str | None) -> pd.DataFrame:
    """Envelope, spending and overrun (M€) per year, for one owner or the sum of all."""
    yearly = result.yearly
    if owner is not None:
        yearly = yearly[yearly["owner"] == owner]
    first, last = year_range(result)
    yearly = yearly[(yearly["year"] >= first) & (yearly["year"] <= last)]
    # min_count=1: a year where no owner has an envelope stays without one (NaN), not 0.
    table = yearly.groupby("year")[["spending_ttc", "envelope"]].sum(min_count=1)
    table = table.rename(columns={"spending_ttc": "spending"}).reset_index()
    table["spending"] /= 1e6
    table["envelope"] /= 1e6
    table["overrun"] = (table["spending"] - table["envelope"]).where(lambda s: s > OVERRUN_DISPLAY_MEUR)
    return table
