"""Altair chart builders: plain functions from a ``Result`` (and the portfolio) to a chart.

Pages and image exports use the same builders, so a chart looks the same on screen and in a
committee note. French locale lives in the spec (numbers ``1 234,5``, months ``mars 2027``),
every axis says its unit, and the palette is colour-blind safe (Okabe–Ito).
"""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd

from simulation import Portfolio, Result
from simulation.labels import FACILITY_TYPE, OWNER, PHASE, STATUS
from simulation.months import parse_month

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]
CATEGORY_PALETTE = [*OKABE_ITO[:7], "#882255", "#44AA99", "#117733", "#332288", "#AA4499", "#88CCEE", "#DDCC77"]
STATUS_COLOURS = {"Dans les délais": "#0072B2", "En retard": "#D55E00", "Abandonnée": "#999999"}
PHASE_COLOURS = {"Programmation": "#56B4E9", "Conception": "#009E73", "Consultation": "#E69F00", "Travaux": "#0072B2"}
ENVELOPE_COLOUR = "#000000"
OVERRUN_COLOUR = "#D55E00"

GROUPINGS = {"neighbourhood": "Quartier", "facility_type": "Type d'équipement", "owner": "Maître d'ouvrage"}


@functools.lru_cache(maxsize=1)
def _locale() -> alt.Locale:
    import vl_convert

    return alt.Locale(number=vl_convert.get_format_locale("fr-FR"), time=vl_convert.get_time_format_locale("fr-FR"))


def finish(chart: alt.TopLevelMixin, projector: bool = False, title: str | None = None) -> alt.TopLevelMixin:
    """French locale and type sizes (larger in projector mode), applied to any chart."""
    big = projector
    if title is not None:
        chart = chart.properties(title=title)
    return (
        chart.configure(locale=_locale(), font="DejaVu Sans")
        .configure_axis(
            labelFontSize=18 if big else 12,
            titleFontSize=19 if big else 13,
            labelColor="#000000" if big else "#333333",
            titleColor="#000000",
            gridColor="#d9d9d9",
        )
        .configure_legend(
            labelFontSize=18 if big else 12, titleFontSize=18 if big else 13, symbolSize=200 if big else 100
        )
        .configure_title(fontSize=24 if big else 16, anchor="start", color="#000000")
        .configure_header(labelFontSize=18 if big else 12, titleFontSize=18 if big else 13)
        .configure_view(stroke=None)
    )


def _labelled_groups(result: Result, portfolio: Portfolio, group_by: str) -> pd.Series:
    ops = result.operations
    if group_by == "neighbourhood":
        return ops["neighbourhood"].map(portfolio.neighbourhood_names)
    if group_by == "facility_type":
        return ops["facility_type"].map(FACILITY_TYPE)
    return ops["owner"].map(OWNER)


def year_range(result: Result) -> tuple[int, int]:
    """Years shown on yearly charts: from the reference year to the horizon (or later spending)."""
    first = parse_month(result.scenario.reference_month) // 12
    spending = result.yearly[result.yearly["spending_ttc"] > 0.5]
    last = max(result.scenario.horizon_year, int(spending["year"].max()) if len(spending) else first)
    return first, last


def spending_by_year(result: Result, portfolio: Portfolio, group_by: str, owner: str | None) -> pd.DataFrame:
    """Yearly payment credits (M€) by group, for one owner or all."""
    ops = result.operations
    groups = pd.Series(_labelled_groups(result, portfolio, group_by).to_numpy(), index=ops["operation_id"].to_numpy())
    years = result.operation_years
    first, last = year_range(result)
    frame = pd.DataFrame(
        {
            "year": years["year"].to_numpy(),
            "group": groups.reindex(years["operation_id"].astype(str)).to_numpy(),
            "owner": pd.Series(ops["owner"].to_numpy(), index=ops["operation_id"].to_numpy())
            .reindex(years["operation_id"].astype(str))
            .to_numpy(),
            "meur": years["spending_ttc"].to_numpy() / 1e6,
        }
    )
    frame = frame[(frame["year"] >= first) & (frame["year"] <= last)]
    if owner is not None:
        frame = frame[frame["owner"] == owner]
    return frame.groupby(["year", "group"], as_index=False)["meur"].sum()


def envelope_by_year(result: Result, owner: str | None) -> pd.DataFrame:
    """Envelope, spending and overrun (M€) per year, for one owner or the sum of all."""
    yearly = result.yearly
    if owner is not None:
        yearly = yearly[yearly["owner"] == owner]
    first, last = year_range(result)
    yearly = yearly[(yearly["year"] >= first) & (yearly["year"] <= last)]
    table = yearly.groupby("year").agg(
        spending=("spending_ttc", "sum"), envelope=("envelope", lambda s: s.sum(min_count=1))
    )
    table = table.reset_index()
    table["spending"] /= 1e6
    table["envelope"] /= 1e6
    table["overrun"] = (table["spending"] - table["envelope"]).where(lambda s: s > 0.0005)
    return table


def spending_vs_envelope(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    owner: str | None = "Ville",
    projector: bool = False,
    height: int = 380,
) -> alt.TopLevelMixin:
    """Stacked yearly payment credits against the envelope line; overruns labelled in red."""
    bars_data = spending_by_year(result, portfolio, group_by, owner)
    env = envelope_by_year(result, owner)
    legend_title = GROUPINGS[group_by]
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(bars_data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(meur):Q", title="Crédits de paiement TTC (M€)", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "group:N",
                title=legend_title,
                scale=alt.Scale(range=CATEGORY_PALETTE),
                legend=alt.Legend(orient="right", labelLimit=320 if projector else 260),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Année"),
                alt.Tooltip("group:N", title=legend_title),
                alt.Tooltip("sum(meur):Q", title="M€ TTC", format=",.1f"),
            ],
        )
    )
    layers: list[alt.Chart] = [bars]
    with_envelope = env.dropna(subset=["envelope"])
    if len(with_envelope):
        line = (
            alt.Chart(with_envelope)
            .mark_line(
                color=ENVELOPE_COLOUR,
                strokeWidth=4 if projector else 2.5,
                strokeDash=[8, 4],
                point=alt.OverlayMarkDef(color=ENVELOPE_COLOUR, size=90 if projector else 50),
            )
            .encode(
                x=x,
                y="envelope:Q",
                tooltip=[
                    alt.Tooltip("year:O", title="Année"),
                    alt.Tooltip("envelope:Q", title="Enveloppe (M€)", format=",.1f"),
                    alt.Tooltip("spending:Q", title="Dépenses (M€)", format=",.1f"),
                ],
            )
        )
        over = with_envelope.dropna(subset=["overrun"])
        labels = (
            alt.Chart(over)
            .transform_calculate(label="'+' + format(datum.overrun, ',.1f') + ' M€'")
            .mark_text(dy=-14, fontWeight="bold", color=OVERRUN_COLOUR, fontSize=20 if projector else 13)
            .encode(x=x, y="spending:Q", text="label:N")
        )
        layers += [line, labels]
    return alt.layer(*layers).properties(height=height, width="container")


def status_by_neighbourhood(result: Result, portfolio: Portfolio, projector: bool = False) -> alt.TopLevelMixin:
    ops = result.operations
    data = pd.DataFrame(
        {
            "quartier": ops["neighbourhood"].map(portfolio.neighbourhood_names),
            "statut": ops["status"].map(STATUS),
        }
    )
    counts = data.groupby(["quartier", "statut"], as_index=False).size()
    order = list(STATUS_COLOURS)
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            y=alt.Y("quartier:N", title=None, sort="-x", axis=alt.Axis(labelLimit=420 if projector else 300)),
            x=alt.X("sum(size):Q", title="Nombre d'opérations", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "statut:N",
                title="Statut",
                scale=alt.Scale(domain=order, range=[STATUS_COLOURS[s] for s in order]),
                legend=alt.Legend(orient="top"),
            ),
            order=alt.Order("statut_order:Q"),
            tooltip=[
                alt.Tooltip("quartier:N", title="Quartier"),
                alt.Tooltip("statut:N", title="Statut"),
                alt.Tooltip("size:Q", title="Opérations"),
            ],
        )
        .transform_calculate(statut_order=f"indexof({order!r}, datum.statut)")
        .properties(height=alt.Step(34 if projector else 24), width="container")
    )


def gantt(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    projector: bool = False,
) -> alt.TopLevelMixin:
    """One bar per phase per kept operation; deadlines as vertical rules; late ones marked."""
    ops = result.operations[result.operations["kept"]]
    rows = []
    for phase, start_col, end_col in (
        ("programming", "start", "design_start"),
        ("design", "design_start", "tendering_start"),
        ("tendering", "tendering_start", "works_start"),
        ("works", "works_start", None),
    ):
        start = pd.to_datetime(ops[start_col], format="%Y-%m")
        end = (
            pd.to_datetime(ops["completion"], format="%Y-%m") + pd.offsets.MonthBegin(1)
            if end_col is None
            else pd.to_datetime(ops[end_col], format="%Y-%m")
        )
        part = pd.DataFrame(
            {
                "operation": (ops["operation_id"] + " – " + ops["title"]).str.slice(0, 70),
                "group": _labelled_groups(result, portfolio, group_by)[ops.index],
                "phase": PHASE[phase],
                "start": start,
                "end": end,
                "late": ops["status"].eq("late").map({True: "En retard", False: "Dans les délais"}),
            }
        )
        rows.append(part[part["end"] > part["start"]])
    data = pd.concat(rows, ignore_index=True)
    order = (
        ops.assign(group=_labelled_groups(result, portfolio, group_by)[ops.index])
        .sort_values(["group", "start"])
        .pipe(lambda f: (f["operation_id"] + " – " + f["title"]).str.slice(0, 70))
        .tolist()
    )
    y = alt.Y(
        "operation:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=520 if projector else 380, labelFontSize=16 if projector else 11),
    )
    phases = list(PHASE_COLOURS)
    bars = (
        alt.Chart(data)
        .mark_bar(height=alt.RelativeBandSize(0.7))
        .encode(
            x=alt.X("start:T", title="Calendrier (mois)", axis=alt.Axis(format="%Y", tickCount="year", orient="top")),
            x2="end:T",
            y=y,
            color=alt.Color(
                "phase:N",
                title="Phase",
                scale=alt.Scale(domain=phases, range=[PHASE_COLOURS[p] for p in phases]),
                legend=alt.Legend(orient="top"),
            ),
            stroke=alt.condition("datum.late == 'En retard'", alt.value(OVERRUN_COLOUR), alt.value(None)),
            strokeWidth=alt.value(2),
            tooltip=[
                alt.Tooltip("operation:N", title="Opération"),
                alt.Tooltip("group:N", title=GROUPINGS[group_by]),
                alt.Tooltip("phase:N", title="Phase"),
                alt.Tooltip("start:T", title="Début", format="%B %Y"),
                alt.Tooltip("end:T", title="Fin (exclue)", format="%B %Y"),
                alt.Tooltip("late:N", title="Statut"),
            ],
        )
    )
    scenario = result.scenario
    deadlines = pd.DataFrame(
        {
            "date": [
                pd.Timestamp(scenario.commitment_deadline + "-01") + pd.offsets.MonthBegin(1),
                pd.Timestamp(scenario.completion_deadline + "-01") + pd.offsets.MonthBegin(1),
            ],
            "label": ["Échéance d'engagement", "Échéance d'achèvement"],
        }
    )
    rules = (
        alt.Chart(deadlines)
        .mark_rule(color=OVERRUN_COLOUR, strokeWidth=3 if projector else 2, strokeDash=[6, 3])
        .encode(x="date:T", tooltip=[alt.Tooltip("label:N", title="Échéance"), alt.Tooltip("date:T", format="%B %Y")])
    )
    rule_labels = (
        alt.Chart(deadlines)
        .mark_text(align="left", dx=4, dy=4, baseline="top", color=OVERRUN_COLOUR, fontSize=16 if projector else 11)
        .encode(x="date:T", y=alt.value(0), text="label:N")
    )
    late_marks = (
        alt.Chart(data[(data["phase"] == PHASE["works"]) & (data["late"] == "En retard")])
        .mark_text(
            align="left",
            dx=6,
            text="● en retard",
            color=OVERRUN_COLOUR,
            fontSize=15 if projector else 11,
            fontWeight="bold",
        )
        .encode(x="end:T", y=y)
    )
    step = 26 if projector else 16
    return alt.layer(bars, rules, rule_labels, late_marks).properties(height=alt.Step(step), width="container")


def staff_heatmap(result: Result, projector: bool = False) -> alt.TopLevelMixin:
    """Load as a share of headcount, per directorate and month, from the reference month."""
    staff = result.staff
    staff = staff[staff["month"] >= result.scenario.reference_month]
    last = f"{year_range(result)[1]}-12"
    staff = staff[staff["month"] <= last]
    data = pd.DataFrame(
        {
            "direction": staff["directorate"].to_numpy(),
            "mois": pd.to_datetime(staff["month"], format="%Y-%m").to_numpy(),
            "charge": staff["load_fte"].to_numpy(),
            "effectif": staff["headcount"].to_numpy(),
        }
    )
    data["taux"] = (data["charge"] / data["effectif"]).where(data["effectif"] > 0)
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("yearmonth(mois):T", title="Mois", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("direction:N", title=None, axis=alt.Axis(labelLimit=300)),
            color=alt.Color(
                "taux:Q",
                title="Charge / effectif",
                scale=alt.Scale(domain=[0, 1, 1.5], range=["#f7fbff", "#56B4E9", "#D55E00"], clamp=True),
                legend=alt.Legend(format=".0%", orient="top", gradientLength=300 if projector else 200),
            ),
            tooltip=[
                alt.Tooltip("direction:N", title="Direction"),
                alt.Tooltip("yearmonth(mois):T", title="Mois", format="%B %Y"),
                alt.Tooltip("charge:Q", title="Charge (ETP)", format=",.1f"),
                alt.Tooltip("effectif:Q", title="Effectif (ETP)", format=",.1f"),
                alt.Tooltip("taux:Q", title="Taux de charge", format=".0%"),
            ],
        )
        .properties(height=alt.Step(44 if projector else 30), width="container")
    )


def staff_lines(result: Result, directorate: str, projector: bool = False) -> alt.TopLevelMixin:
    staff = result.staff
    staff = staff[(staff["directorate"] == directorate) & (staff["month"] >= result.scenario.reference_month)]
    staff = staff[staff["month"] <= f"{year_range(result)[1]}-12"]
    data = pd.DataFrame(
        {
            "mois": pd.to_datetime(staff["month"], format="%Y-%m").to_numpy(),
            "Charge": staff["load_fte"].to_numpy(),
            "Effectif": staff["headcount"].to_numpy(),
        }
    ).melt("mois", var_name="série", value_name="etp")
    return (
        alt.Chart(data)
        .mark_line(strokeWidth=4 if projector else 2, interpolate="step-after")
        .encode(
            x=alt.X("mois:T", title="Mois", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("etp:Q", title="Équivalents temps plein (ETP)"),
            color=alt.Color(
                "série:N", title=None, scale=alt.Scale(domain=["Charge", "Effectif"], range=["#0072B2", "#000000"])
            ),
            strokeDash=alt.StrokeDash(
                "série:N", scale=alt.Scale(domain=["Charge", "Effectif"], range=[[1, 0], [8, 4]]), legend=None
            ),
            tooltip=[
                alt.Tooltip("mois:T", title="Mois", format="%B %Y"),
                alt.Tooltip("série:N"),
                alt.Tooltip("etp:Q", title="ETP", format=",.1f"),
            ],
        )
        .properties(height=320, width="container")
    )


def compare_spending(
    results: dict[str, Result], owner: str | None = "Ville", projector: bool = False
) -> alt.TopLevelMixin:
    """One spending curve per scenario, with each scenario's envelope dashed."""
    frames = []
    for name, result in results.items():
        env = envelope_by_year(result, owner)
        frames.append(env.assign(scénario=name))
    data = pd.concat(frames, ignore_index=True)
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    colour = alt.Color(
        "scénario:N", title="Scénario", scale=alt.Scale(range=OKABE_ITO), legend=alt.Legend(orient="top")
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=True, strokeWidth=4 if projector else 2.5)
        .encode(
            x=x,
            y=alt.Y("spending:Q", title="Crédits de paiement TTC (M€)", axis=alt.Axis(format=",.0f")),
            color=colour,
            tooltip=[
                alt.Tooltip("scénario:N"),
                alt.Tooltip("year:O", title="Année"),
                alt.Tooltip("spending:Q", title="Dépenses (M€)", format=",.1f"),
                alt.Tooltip("envelope:Q", title="Enveloppe (M€)", format=",.1f"),
            ],
        )
    )
    envelopes = (
        alt.Chart(data.dropna(subset=["envelope"]))
        .mark_line(strokeDash=[8, 4], strokeWidth=2 if projector else 1.5, opacity=0.8)
        .encode(x=x, y="envelope:Q", color=colour)
    )
    return alt.layer(lines, envelopes).properties(height=380, width="container")
