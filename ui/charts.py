"""Altair chart builders: plain functions from a ``Result`` (and the portfolio) to a chart.

Pages and image exports use the same builders, so a chart looks the same on screen and in a
committee note. French locale lives in the spec (numbers ``1 234,5``, months ``mars 2027``),
every axis says its unit, and the palette is colour-blind safe (Okabe–Ito).
"""

from __future__ import annotations

import functools
from typing import Any, Literal, cast

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

GROUPINGS = {
    "neighbourhood": "Quartier",
    "facility_type": "Type d'équipement",
    "owner": "Maître d'ouvrage",
    "directorate": "Direction",
}


@functools.lru_cache(maxsize=1)
def _locale() -> alt.Locale:
    import vl_convert

    return alt.Locale(number=vl_convert.get_format_locale("fr-FR"), time=vl_convert.get_time_format_locale("fr-FR"))


def finish(chart: alt.TopLevelMixin, projector: bool = False, title: str | None = None) -> alt.TopLevelMixin:
    """French locale and type sizes (larger in projector mode), applied to any chart.

    One ``configure`` call: each Altair call deep-copies the whole chart, data included.
    """
    big = projector
    if title is not None:
        chart = chart.properties(title=title)
    return chart.configure(
        locale=_locale(),
        font="DejaVu Sans",
        axis=alt.AxisConfig(
            labelFontSize=18 if big else 12,
            titleFontSize=19 if big else 13,
            labelColor="#000000" if big else "#333333",
            titleColor="#000000",
            gridColor="#d9d9d9",
        ),
        legend=alt.LegendConfig(
            labelFontSize=18 if big else 12, titleFontSize=18 if big else 13, symbolSize=200 if big else 100
        ),
        title=alt.TitleConfig(fontSize=24 if big else 16, anchor="start", color="#000000"),
        header=alt.HeaderConfig(labelFontSize=18 if big else 12, titleFontSize=18 if big else 13),
        view=alt.ViewConfig(stroke=None),
    )


def _labelled_groups(result: Result, portfolio: Portfolio, group_by: str) -> pd.Series:
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
    # as_index=False: a frame with the year and group columns (pandas-stubs types it a Series).
    return cast(pd.DataFrame, frame.groupby(["year", "group"], as_index=False)["meur"].sum())


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
    operation_ids: list[str] | None = None,
) -> alt.TopLevelMixin:
    """One bar per phase per kept operation, under a bold header row per group.

    Deadlines are dashed vertical rules drawn at the end of their month (a milestone in the
    deadline month is on time); the reference month is a grey rule. A late operation has an
    outlined bar, a red label and "● en retard" just before its bars. ``operation_ids`` keeps
    only those operations (filters); the chart grows by one row per operation.
    """
    import json
    import unicodedata

    import numpy as np

    from simulation.deadlines import MISSED
    from simulation.months import french_month

    def sort_key(values: pd.Series) -> pd.Series:
        """French-ish alphabetical order: accents ignored (Éducation among the E)."""
        return values.map(lambda s: unicodedata.normalize("NFD", str(s)).encode("ascii", "ignore").decode().lower())

    def french_months(stamps: pd.Series) -> list[str]:
        return [french_month(y * 12 + m - 1) for y, m in zip(stamps.dt.year, stamps.dt.month, strict=True)]

    all_ops = result.operations
    shown = all_ops["kept"].to_numpy(dtype=bool, copy=True)  # the Result is shared: never write into it
    if operation_ids is not None:
        shown = shown & all_ops["operation_id"].isin(list(operation_ids)).to_numpy()
    groups = _labelled_groups(result, portfolio, group_by).fillna("—").to_numpy()[shown]
    ops = all_ops[shown].assign(group=groups)
    limit = 50 if projector else 70
    full = ops["operation_id"] + " – " + ops["title"]
    ops = ops.assign(label=full.where(full.str.len() <= limit, full.str.slice(0, limit - 1) + "…"))
    ops = ops.sort_values("operation_id").sort_values(["group", "start"], key=sort_key, kind="stable")
    commitment = ops["commitment_missed"].to_numpy(dtype=bool)
    completion = ops["completion_missed"].to_numpy(dtype=bool)
    late = commitment | completion
    missed = np.where(
        commitment & completion, MISSED["both"], np.where(commitment, MISSED["commitment"], MISSED["completion"])
    )
    statut = np.where(late, np.char.add("En retard – échéance manquée : ", missed.astype(str)), "Dans les délais")

    # Row order: each group's header, then its operations by start month.
    counts = ops.groupby("group", sort=False).size()
    headers = {g: f"{g} ({n} opération{'s' if n > 1 else ''})" for g, n in counts.items()}
    order: list[str] = []
    for group, part in ops.groupby("group", sort=False):
        order += [headers[group], *part["label"]]

    phase_starts = ("start", "design_start", "tendering_start", "works_start")  # PHASE order
    months = {c: pd.to_datetime(ops[c], format="%Y-%m") for c in (*phase_starts, "completion")}
    after_completion = months["completion"] + pd.DateOffset(months=1)
    rows = []
    for i, phase in enumerate(PHASE):
        start = months[phase_starts[i]]
        end = months[phase_starts[i + 1]] if i + 1 < len(phase_starts) else after_completion
        part = pd.DataFrame(
            {
                "operation": ops["label"].to_numpy(),
                "group": ops["group"].to_numpy(),
                "phase": PHASE[phase],
                "start": start.to_numpy(),
                "end": end.to_numpy(),
                "du": french_months(start),
                "au": french_months(end - pd.DateOffset(months=1)),
                "statut": statut,
                "late": late,
            }
        )
        rows.append(part[part["end"] > part["start"]])
    data = pd.concat(rows, ignore_index=True)

    scenario = result.scenario

    def month_end(text: str) -> pd.Timestamp:
        return pd.Timestamp(text + "-01") + pd.DateOffset(months=1)

    reference = pd.Timestamp(scenario.reference_month + "-01")
    marks = pd.DataFrame(
        {
            "date": [reference, month_end(scenario.commitment_deadline), month_end(scenario.completion_deadline)],
            "label": ["Référence", "Engagement", "Achèvement"],
            "détail": [
                f"Mois de référence : {french_month(parse_month(scenario.reference_month))}",
                f"Échéance d'engagement : fin {french_month(parse_month(scenario.commitment_deadline))}",
                f"Échéance d'achèvement : fin {french_month(parse_month(scenario.completion_deadline))}",
            ],
            "deadline": [False, True, True],
        }
    )
    # "● en retard" is written just before a late operation's first bar: room for it on the left.
    first = min(data["start"].min(), reference) if len(data) else reference
    first = first - pd.DateOffset(months=(24 if projector else 14) if late.any() else 0)
    last = max(data["end"].max(), marks["date"].max()) if len(data) else marks["date"].max()
    last = last + pd.DateOffset(months=3)
    x_scale = alt.Scale(
        domain=[
            alt.DateTime(year=first.year, month=1, date=1),
            alt.DateTime(year=last.year, month=last.month, date=1),
        ]
    )
    label_colour = "#000000" if projector else "#333333"
    header_list = json.dumps(list(headers.values()), ensure_ascii=False)
    late_list = json.dumps(ops.loc[late, "label"].tolist(), ensure_ascii=False)
    y = alt.Y(
        "operation:N",
        title=None,
        scale=alt.Scale(domain=order, paddingInner=0.15),
        axis=alt.Axis(
            labelLimit=0,  # labels are already cut in Python; measuring them again costs ~0,7 s per export
            labelFontSize=18 if projector else 11,
            labelFontWeight=alt.ExprRef(expr=f"indexof({header_list}, datum.value) >= 0 ? 'bold' : 'normal'"),
            labelColor=alt.ExprRef(
                expr=f"indexof({late_list}, datum.value) >= 0 ? '{OVERRUN_COLOUR}' : '{label_colour}'"
            ),
            ticks=False,
            domain=False,
        ),
    )
    year_axis: dict[str, Any] = {
        "format": "%Y",
        "tickCount": "year",
        "labelFontSize": 18 if projector else 12,
        "grid": True,
    }
    bands = (
        alt.Chart(pd.DataFrame({"operation": list(headers.values())}))
        .mark_rect(color="#d9d9d9" if projector else "#ececec")
        .encode(y=y, x=alt.value(0), x2=alt.value("width"))
    )
    phases = list(PHASE_COLOURS)
    bars = (
        alt.Chart(data)
        .mark_bar(strokeWidth=3 if projector else 2)
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale, axis=alt.Axis(orient="top", **year_axis)),
            x2="end:T",
            y=y,
            color=alt.Color(
                "phase:N",
                title="Phase",
                scale=alt.Scale(domain=phases, range=[PHASE_COLOURS[p] for p in phases]),
                legend=alt.Legend(orient="top", direction="horizontal", labelColor=label_colour, titleColor="#000000"),
            ),
            stroke=alt.condition("datum.late", alt.value(OVERRUN_COLOUR), alt.value(None)),
            tooltip=[
                alt.Tooltip("operation:N", title="Opération"),
                alt.Tooltip("group:N", title=GROUPINGS.get(group_by, "Groupe")),
                alt.Tooltip("phase:N", title="Phase"),
                alt.Tooltip("du:N", title="Du"),
                alt.Tooltip("au:N", title="Au (inclus)"),
                alt.Tooltip("statut:N", title="Statut"),
            ],
        )
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeWidth=3 if projector else 2)
        .encode(
            x=alt.X("date:T", scale=x_scale, title="Année", axis=alt.Axis(orient="bottom", **year_axis)),
            color=alt.condition("datum.deadline", alt.value(OVERRUN_COLOUR), alt.value("#666666")),
            strokeDash=alt.condition("datum.deadline", alt.value([8, 4]), alt.value([2, 3])),
            tooltip=[alt.Tooltip("détail:N", title="Repère")],
        )
    )

    def rule_labels(frame: pd.DataFrame, align: Literal["left", "right"]) -> alt.Chart:
        return (
            alt.Chart(frame)
            .mark_text(
                align=align,
                dx=5 if align == "left" else -5,
                dy=3,
                baseline="top",
                fontSize=18 if projector else 11,
                fontWeight="bold",
            )
            .encode(
                x=alt.X("date:T", scale=x_scale, axis=None),
                y=alt.value(0),
                text="label:N",
                color=alt.condition("datum.deadline", alt.value(OVERRUN_COLOUR), alt.value("#555555")),
            )
        )

    # Reference and commitment labels right of their rule, completion left of it (no overflow).
    labels_right, labels_left = rule_labels(marks.iloc[:2], "left"), rule_labels(marks.iloc[2:], "right")
    late_starts = data[data["late"]].groupby("operation", as_index=False)["start"].min()
    late_marks = (
        alt.Chart(late_starts)
        .mark_text(
            align="right",
            dx=-6,
            text="● en retard",
            color=OVERRUN_COLOUR,
            fontSize=17 if projector else 11,
            fontWeight="bold",
        )
        .encode(x=alt.X("start:T", scale=x_scale, axis=None), y=y)
    )
    step = 30 if projector else 17
    return (
        alt.layer(bands, bars, rules, labels_right, labels_left, late_marks)
        .resolve_axis(x="independent")
        .properties(height=alt.Step(step), width="container")
    )


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
    colours = ["#f2f7fb", "#b7d4ea", "#4f9bd0", "#fdbb84", "#ef6548", "#990000"]
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
        .mark_rect(stroke="#ffffff", strokeWidth=0.5)
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
                scale=alt.Scale(domain=domain, range=[*colours, "#bdbdbd"][: len(domain)]),
                legend=alt.Legend(
                    orient="top",
                    direction="horizontal",
                    symbolType="square",
                    symbolSize=500 if big else 200,
                    symbolStrokeColor="#888888",
                    symbolStrokeWidth=1,
                    labelColor="#000000" if big else "#333333",
                    titleColor="#000000",
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
                scale=alt.Scale(domain=series, range=["#0072B2", "#000000"]),
                legend=alt.Legend(
                    orient="top",
                    symbolStrokeWidth=4 if projector else 2,
                    labelColor="#000000" if projector else "#333333",
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


def compare_spending(
    results: dict[str, Result], owner: str | None = "Ville", projector: bool = False, height: int = 380
) -> alt.TopLevelMixin:
    """Yearly payment credits of each scenario (solid line) against its envelope (dashed line).

    One colour per scenario, in the order given (the first one is the comparison's basis).
    """
    frames = []
    for name, result in results.items():
        env = envelope_by_year(result, owner)
        frames.append(
            pd.DataFrame(
                {
                    "scénario": name,
                    "year": env["year"].to_numpy(),
                    "série": "Crédits de paiement",
                    "meur": env["spending"].to_numpy(),
                    "envelope": env["envelope"].to_numpy(),
                    "spending": env["spending"].to_numpy(),
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "scénario": name,
                    "year": env["year"].to_numpy(),
                    "série": "Enveloppe",
                    "meur": env["envelope"].to_numpy(),
                    "envelope": env["envelope"].to_numpy(),
                    "spending": env["spending"].to_numpy(),
                }
            ).dropna(subset=["meur"])
        )
    data = pd.concat(frames, ignore_index=True)
    names = list(results)
    series = ["Crédits de paiement", "Enveloppe"]
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    legend: dict[str, Any] = {
        "orient": "top",
        "labelLimit": 420 if projector else 300,
        "symbolType": "stroke",
        "symbolStrokeWidth": 5 if projector else 2.5,
        "symbolSize": 700 if projector else 350,
        "labelColor": "#000000",
        "titleColor": "#000000",
    }
    colour = alt.Color(
        "scénario:N",
        title="Scénario",
        sort=names,
        scale=alt.Scale(domain=names, range=OKABE_ITO[: len(names)]),
        legend=alt.Legend(**legend),
    )
    tooltip = [
        alt.Tooltip("scénario:N", title="Scénario"),
        alt.Tooltip("year:O", title="Année"),
        alt.Tooltip("spending:Q", title="Crédits de paiement (M€)", format=",.1f"),
        alt.Tooltip("envelope:Q", title="Enveloppe (M€)", format=",.1f"),
    ]
    y = alt.Y("meur:Q", title="Crédits de paiement TTC (M€)", axis=alt.Axis(format=",.0f"))
    # Lines without point overlay, so the dash legend draws stroked (not filled) symbols.
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=5 if projector else 2.5)
        .encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "série:N",
                title="Courbe",
                sort=series,
                scale=alt.Scale(domain=series, range=[[1, 0], [10, 5]]),
                legend=alt.Legend(symbolStrokeColor="#000000", **legend),
            ),
            detail="série:N",
            tooltip=tooltip,
        )
    )
    points = (
        alt.Chart(data[data["série"] == series[0]])
        .mark_point(filled=True, size=110 if projector else 45, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    return alt.layer(lines, points).properties(height=height, width="container")


def owner_envelopes(result: Result, owner: str, projector: bool = False, height: int = 340) -> alt.TopLevelMixin:
    """One owner's yearly payment credits against its envelope: the part above it in vermillion,
    the overrun (M€) written above the bar.

    Small multiples: one chart per owner, each with its own scale (a 7 M€ envelope stays
    readable next to a 66 M€ one). Years from the reference year to the horizon.
    """
    env = envelope_by_year(result, owner)
    has_envelope = env["envelope"].notna().to_numpy()
    spending = env["spending"].to_numpy()
    over = env["overrun"].fillna(0.0).to_numpy()
    parts = ["Dans l'enveloppe", "Au-delà de l'enveloppe", "Sans enveloppe fixée"]
    colours = ["#0072B2", OVERRUN_COLOUR, "#999999"]
    gap = (env["spending"] - env["envelope"]).to_numpy()
    common = {
        "year": env["year"].to_numpy(),
        "cp": spending,
        "enveloppe": env["envelope"].to_numpy(),
        "écart": gap,
    }
    frames = [
        pd.DataFrame({**common, "part": parts[0], "rank": 0, "meur": spending - over}).loc[has_envelope],
        pd.DataFrame({**common, "part": parts[1], "rank": 1, "meur": over}).loc[has_envelope & (over > 0)],
        pd.DataFrame({**common, "part": parts[2], "rank": 2, "meur": spending}).loc[~has_envelope],
    ]
    bars_data = pd.concat(frames, ignore_index=True)
    present = [p for p in parts if p in set(bars_data["part"])]
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("year:O", title="Année"),
        alt.Tooltip("cp:Q", title="Crédits de paiement TTC (M€)", format=",.1f"),
        alt.Tooltip("enveloppe:Q", title="Enveloppe (M€)", format=",.1f"),
        alt.Tooltip("écart:Q", title="Écart (M€, + = dépassement)", format="+,.1f"),
    ]
    bars = (
        alt.Chart(bars_data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("meur:Q", stack="zero", title="CP TTC (M€)", axis=alt.Axis(format=",.1~f")),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(domain=present, range=[colours[parts.index(p)] for p in present]),
                legend=alt.Legend(
                    orient="top", labelLimit=400 if projector else 300, labelColor="#000000" if projector else "#333333"
                ),
            ),
            order=alt.Order("rank:Q"),
            tooltip=tooltip,
        )
    )
    layers: list[alt.Chart] = [bars]
    with_envelope = env.loc[has_envelope].assign(cp=spending[has_envelope], enveloppe=env["envelope"][has_envelope])
    if len(with_envelope):
        with_envelope = with_envelope.assign(écart=with_envelope["cp"] - with_envelope["enveloppe"])
        line = (
            alt.Chart(with_envelope)
            .mark_line(
                color=ENVELOPE_COLOUR,
                strokeWidth=4 if projector else 2.5,
                strokeDash=[8, 4],
                point=alt.OverlayMarkDef(color=ENVELOPE_COLOUR, size=90 if projector else 50),
            )
            .encode(x=x, y="enveloppe:Q", tooltip=tooltip)
        )
        labels = (
            alt.Chart(with_envelope.dropna(subset=["overrun"]))
            .transform_calculate(label="'+' + format(datum.overrun, ',.1f')")
            .mark_text(dy=-12, fontWeight="bold", color=OVERRUN_COLOUR, fontSize=19 if projector else 12)
            .encode(x=x, y="cp:Q", text="label:N")
        )
        layers += [line, labels]
    return alt.layer(*layers).properties(height=height, width="container")
