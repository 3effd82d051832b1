"""The calendar (Gantt) of operations by phase, with deadlines and late marks."""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import pandas as pd

from charts.theme import (
    GROUPINGS,
    OVERRUN_COLOUR,
    PHASE_COLOURS,
)
from simulation import Portfolio, Result
from simulation.aggregates import labelled_groups
from simulation.labels import PHASE
from simulation.months import parse_month


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

    from simulation.deadlines import late_mask, missed_deadlines
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
    groups = labelled_groups(result, portfolio, group_by).fillna("—").to_numpy()[shown]
    ops = all_ops[shown].assign(group=groups)
    limit = 50 if projector else 70
    full = ops["operation_id"] + " – " + ops["title"]
    ops = ops.assign(label=full.where(full.str.len() <= limit, full.str.slice(0, limit - 1) + "…"))
    ops = ops.sort_values("operation_id").sort_values(["group", "start"], key=sort_key, kind="stable")
    late = late_mask(ops)
    missed = missed_deadlines(ops)
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
