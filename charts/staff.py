"""Staff charts: monthly load against headcount by directorate."""

from __future__ import annotations

import altair as alt
import pandas as pd

from charts.theme import (
    CELL_STROKE,
    ENVELOPE_COLOUR,
    LEGEND_STROKE,
    LOAD_COLOUR,
    LOAD_COLOURS,
    NO_HEADCOUNT_COLOUR,
    OVERRUN_COLOUR,
    SOFT_TEXT_COLOUR,
    TEXT_COLOUR,
)
from simulation import Result
from simulation.aggregates import year_range


def staff_heatmap(result: Result, projector: bool = False) -> alt.TopLevelMixin:
    """Load as a share of headcount, per directorate and month, from the reference month.

    Blues up to the headcount, oranges above it (binned, so "over" never looks like "almost").
    """
    import numpy as np

    staff = result.staff
    staff = staff[staff["month"] >= result.scenario.reference_month]
    last = f"{year_range(result)[1]}-12"
    staff = staff[staff["month"] <= last]
    load = staff["load_fte"].to_numpy(dtype=float)
    headcount = staff["headcount"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(headcount > 0, load / headcount, np.where(load > 0, np.inf, 0.0))
    rate = np.where(np.isnan(headcount), np.nan, np.minimum(rate, 9.99))
    data = pd.DataFrame(
        {
            "direction": staff["directorate"].to_numpy(),
            "mois": pd.to_datetime(staff["month"], format="%Y-%m").to_numpy(),
            "charge": load,
            "effectif": headcount,
            "taux": rate,
        }
    )
    bins = [
        label.replace(" %", "\u00a0%")
        for label in ("moins de 50 %", "50 à 80 %", "80 à 100 %", "100 à 120 %", "120 à 150 %", "150 % et plus")
    ]
    # A load equal to the headcount falls in "80 à 100 %": it is not an overload.
    edges = np.array([0.5, 0.8, 1.0 + 1e-9, 1.2, 1.5])
    data["tranche"] = np.where(
        np.isnan(rate),
        "effectif non fixé",
        np.array(bins, dtype=object)[np.searchsorted(edges, np.nan_to_num(rate), side="right")],
    )
    domain = [*bins, "effectif non fixé"] if np.isnan(rate).any() else bins
    big = projector
    return (
        alt.Chart(data)
        .mark_rect(stroke=CELL_STROKE, strokeWidth=0.5)
        .encode(
            x=alt.X(
                "yearmonth(mois):T",
                title="Mois",
                axis=alt.Axis(format="%Y", tickCount="year", labelFontSize=18 if big else 12),
            ),
            y=alt.Y("direction:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=320 if big else 240)),
            color=alt.Color(
                "tranche:N",
                title="Charge / effectif",
                scale=alt.Scale(domain=domain, range=[*LOAD_COLOURS, NO_HEADCOUNT_COLOUR][: len(domain)]),
                legend=alt.Legend(
                    orient="top",
                    direction="horizontal",
                    symbolType="square",
                    symbolSize=500 if big else 200,
                    symbolStrokeColor=LEGEND_STROKE,
                    symbolStrokeWidth=1,
                    labelColor=TEXT_COLOUR if big else SOFT_TEXT_COLOUR,
                    titleColor=TEXT_COLOUR,
                ),
            ),
            tooltip=[
                alt.Tooltip("direction:N", title="Direction"),
                alt.Tooltip("yearmonth(mois):T", title="Mois", format="%B %Y"),
                alt.Tooltip("charge:Q", title="Charge (ETP)", format=",.1f"),
                alt.Tooltip("effectif:Q", title="Effectif (ETP)", format=",.1f"),
                alt.Tooltip("taux:Q", title="Taux de charge", format=".0%"),
            ],
        )
        .properties(height=alt.Step(46 if big else 30), width="container")
    )


def staff_lines(result: Result, directorate: str, projector: bool = False, height: int = 320) -> alt.TopLevelMixin:
    """A directorate's monthly load (solid) against its headcount (dashed); overload shaded."""
    import numpy as np

    staff = result.staff
    staff = staff[(staff["directorate"] == directorate) & (staff["month"] >= result.scenario.reference_month)]
    staff = staff[staff["month"] <= f"{year_range(result)[1]}-12"]
    months = pd.to_datetime(staff["month"], format="%Y-%m")
    load = staff["load_fte"].to_numpy(dtype=float)
    headcount = staff["headcount"].to_numpy(dtype=float)
    wide = pd.DataFrame(
        {
            "mois": months.to_numpy(),
            "charge": load,
            "effectif": headcount,
            "haut": np.fmax(load, headcount),
        }
    )
    series = ["Charge", "Effectif"]
    lines_data = pd.DataFrame(
        {
            "mois": np.concatenate([months.to_numpy(), months.to_numpy()]),
            "série": np.repeat(series, len(wide)),
            "etp": np.concatenate([load, headcount]),
        }
    ).dropna(subset=["etp"])
    x = alt.X("mois:T", title="Mois", axis=alt.Axis(format="%Y", tickCount="year"))
    overload = (
        alt.Chart(wide.dropna(subset=["effectif"]))
        .mark_area(color=OVERRUN_COLOUR, opacity=0.35, interpolate="step-after")
        .encode(x=x, y="effectif:Q", y2="haut:Q")
    )
    lines = (
        alt.Chart(lines_data)
        .mark_line(strokeWidth=4 if projector else 2, interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y("etp:Q", title="Équivalents temps plein (ETP)", axis=alt.Axis(format=",.1~f")),
            color=alt.Color(
                "série:N",
                title=None,
                scale=alt.Scale(domain=series, range=[LOAD_COLOUR, ENVELOPE_COLOUR]),
                legend=alt.Legend(
                    orient="top",
                    symbolStrokeWidth=4 if projector else 2,
                    labelColor=TEXT_COLOUR if projector else SOFT_TEXT_COLOUR,
                ),
            ),
            strokeDash=alt.StrokeDash("série:N", scale=alt.Scale(domain=series, range=[[1, 0], [8, 4]]), legend=None),
            tooltip=[
                alt.Tooltip("mois:T", title="Mois", format="%B %Y"),
                alt.Tooltip("série:N", title="Série"),
                alt.Tooltip("etp:Q", title="ETP", format=",.1f"),
            ],
        )
    )
    return alt.layer(overload, lines).properties(height=height, width="container")
