"""The calendar (Gantt) of operations by phase, with deadlines and late marks.

Two steps: :func:`gantt_frames` builds plain DataFrames (rows, bars, deadline marks: pure pandas,
unit-tested); :func:`gantt` encodes them with Altair. :func:`calendar_pages` cuts the rows into
views of at most N operations, group by group (projector mode, one image per neighbourhood).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import numpy as np
import pandas as pd

from charts.theme import (
    GROUPINGS,
    OVERRUN_COLOUR,
    PHASE_COLOURS,
)
from simulation import Portfolio, Result
from simulation.aggregates import labelled_groups
from simulation.deadlines import MISSED, late_mask
from simulation.labels import PHASE
from simulation.months import french_month, parse_month

LATE_TEXT_COLOUR = "#B34700"
"""Vermilion darkened for text (5,5:1 on white); bars and rules keep the Okabe–Ito vermilion."""
LATE_MARK = "● "
"""Written before a late operation's name (in the label column, never over the timeline)."""
MARK_SLOTS = ("\u200b", "\u200b\u200b", "\u200b\u200b\u200b")
"""Three blank rows on top of the calendar, one per deadline label: the labels never collide."""


TALL_CALENDAR_ROWS = 30
"""Above this many rows the calendar repeats its year axis at the bottom."""


@dataclass(frozen=True)
class GanttFrames:
    """What the calendar draws, as tables.

    ``order``: the y rows top to bottom (label slots, then each group header and its operations);
    ``headers``: the group header rows; ``late_labels``: rows of late operations;
    ``bars``: one row per phase (operation, group, phase, start, end, du, au, statut, late);
    ``marks``: reference month and deadlines (date, label, détail, deadline, slot), one slot each.
    """

    order: list[str]
    headers: list[str]
    late_labels: list[str]
    bars: pd.DataFrame
    marks: pd.DataFrame
    first: pd.Timestamp
    last: pd.Timestamp


def _sort_key(values: pd.Series) -> pd.Series:
    """French-ish alphabetical order: accents ignored (Éducation among the E)."""
    return values.map(lambda s: unicodedata.normalize("NFD", str(s)).encode("ascii", "ignore").decode().lower())


def _french_months(stamps: pd.Series) -> list[str]:
    return [french_month(y * 12 + m - 1) for y, m in zip(stamps.dt.year, stamps.dt.month, strict=True)]


def _shown_operations(
    result: Result, portfolio: Portfolio, group_by: str, operation_ids: list[str] | None
) -> pd.DataFrame:
    """Kept operations (those of ``operation_ids`` if given) with their group, sorted by group, then
    the late ones first (the room looks for them; last, they fell below a projector's screen), then start."""
    all_ops = result.operations
    shown = all_ops["kept"].to_numpy(dtype=bool, copy=True)  # the Result is shared: never write into it
    if operation_ids is not None:
        shown = shown & all_ops["operation_id"].isin(list(operation_ids)).to_numpy()
    groups = labelled_groups(result, portfolio, group_by).fillna("—").to_numpy()[shown]
    ops = all_ops[shown].assign(group=groups)
    ops = ops.assign(_late_first=np.where(late_mask(ops), "0", "1"))
    ops = ops.sort_values("operation_id").sort_values(["group", "_late_first", "start"], key=_sort_key, kind="stable")
    return ops.drop(columns="_late_first")


def calendar_pages(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    max_rows: int = 15,
    operation_ids: list[str] | None = None,
) -> list[tuple[str, list[str]]]:
    """Views of at most ``max_rows`` operations: each group alone, a long group cut in parts.

    Returns (title, operation ids) per view, in the calendar's order; a title reads
    « Air Bel (10 opérations) » or « Centre Nord / Saint-Mauront (opérations 1 à 15 sur 16) ».
    """
    if max_rows < 1:
        raise ValueError("max_rows doit être au moins 1")
    ops = _shown_operations(result, portfolio, group_by, operation_ids)
    pages: list[tuple[str, list[str]]] = []
    for group, part in ops.groupby("group", sort=False):
        ids = part["operation_id"].tolist()
        n = len(ids)
        if n <= max_rows:
            pages.append((f"{group} ({n} opération{'s' if n > 1 else ''})", ids))
            continue
        for start in range(0, n, max_rows):
            chunk = ids[start : start + max_rows]
            pages.append((f"{group} (opérations {start + 1} à {start + len(chunk)} sur {n})", chunk))
    return pages


def gantt_frames(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    operation_ids: list[str] | None = None,
    label_limit: int = 70,
) -> GanttFrames:
    """The calendar's rows, phase bars and deadline marks (see :class:`GanttFrames`).

    Labels are « id – title » cut at ``label_limit`` characters, a late one starts with
    :data:`LATE_MARK`. Deadlines fall at the end of their month (a milestone in the deadline
    month is on time); phases of zero months have no bar.
    """
    ops = _shown_operations(result, portfolio, group_by, operation_ids)
    commitment = ops["commitment_missed"].to_numpy(dtype=bool)
    completion = ops["completion_missed"].to_numpy(dtype=bool)
    late = late_mask(ops)  # the one rule (simulation.deadlines)
    full = ops["operation_id"] + " – " + ops["title"]
    full = full.where(~late, LATE_MARK + full)
    ops = ops.assign(label=full.where(full.str.len() <= label_limit, full.str.slice(0, label_limit - 1) + "…"))
    missed = np.where(
        commitment & completion, MISSED["both"], np.where(commitment, MISSED["commitment"], MISSED["completion"])
    )
    statut = np.where(late, np.char.add("En retard – échéance manquée : ", missed.astype(str)), "Dans les délais")

    # Row order: the label slots, then each group's header and its operations by start month.
    counts = ops.groupby("group", sort=False).size()
    headers = {g: f"{g} ({n} opération{'s' if n > 1 else ''})" for g, n in counts.items()}
    order: list[str] = list(MARK_SLOTS)
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
                "du": _french_months(start),
                "au": _french_months(end - pd.DateOffset(months=1)),
                "statut": statut,
                "late": late,
            }
        )
        rows.append(part[part["end"] > part["start"]])
    bars = pd.concat(rows, ignore_index=True)

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
            "slot": list(MARK_SLOTS),
        }
    )
    # One time scale for every view (a filter, a projector page): the span of all kept operations.
    every = result.operations[result.operations["kept"].to_numpy(dtype=bool)]
    span_start = pd.to_datetime(every["start"], format="%Y-%m").min() if len(every) else reference
    span_end = (
        (pd.to_datetime(every["completion"], format="%Y-%m") + pd.DateOffset(months=1)).max()
        if len(every)
        else marks["date"].max()
    )
    first = min(span_start, reference)
    last = max(span_end, marks["date"].max())
    return GanttFrames(
        order=order,
        headers=list(headers.values()),
        late_labels=ops.loc[late, "label"].tolist(),
        bars=bars,
        marks=marks,
        first=pd.Timestamp(first),
        last=pd.Timestamp(last) + pd.DateOffset(months=3),
    )


def gantt(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    projector: bool = False,
    operation_ids: list[str] | None = None,
) -> alt.TopLevelMixin:
    """One bar per phase per kept operation, under a bold header row per group.

    Deadlines are dashed vertical rules drawn at the end of their month, the reference month a
    grey dotted rule; their labels sit in three rows of their own above the operations. A late
    operation has an outlined bar and a vermilion label starting with « ● ». ``operation_ids``
    keeps only those operations (filters, pages); the chart grows by one row per operation.
    """
    frames = gantt_frames(result, portfolio, group_by, operation_ids, label_limit=50 if projector else 70)
    return _encode(frames, group_by, projector)


def _encode(frames: GanttFrames, group_by: str, projector: bool) -> alt.TopLevelMixin:
    data, marks, first, last = frames.bars, frames.marks, frames.first, frames.last
    x_scale = alt.Scale(
        domain=[
            alt.DateTime(year=first.year, month=1, date=1),
            alt.DateTime(year=last.year, month=last.month, date=1),
        ]
    )
    label_colour = "#000000" if projector else "#333333"
    header_list = json.dumps(frames.headers, ensure_ascii=False)
    late_list = json.dumps(frames.late_labels, ensure_ascii=False)
    y = alt.Y(
        "operation:N",
        title=None,
        scale=alt.Scale(domain=frames.order, paddingInner=0.15),
        axis=alt.Axis(
            labelLimit=0,  # labels are already cut in Python; measuring them again costs ~0,7 s per export
            labelFontSize=18 if projector else 11,
            labelFontWeight=alt.ExprRef(expr=f"indexof({header_list}, datum.value) >= 0 ? 'bold' : 'normal'"),
            labelColor=alt.ExprRef(
                expr=f"indexof({late_list}, datum.value) >= 0 ? '{LATE_TEXT_COLOUR}' : '{label_colour}'"
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
        alt.Chart(pd.DataFrame({"operation": frames.headers}))
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
    # A second year axis under a tall calendar (the top one has scrolled away); a short one (a
    # neighbourhood, a projector page) reads its years at the top, and each label costs its image.
    bottom_axis = alt.Axis(orient="bottom", **year_axis) if len(frames.order) > TALL_CALENDAR_ROWS else None
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeWidth=3 if projector else 2)
        .encode(
            x=alt.X("date:T", scale=x_scale, title="Année", axis=bottom_axis),
            color=alt.condition("datum.deadline", alt.value(OVERRUN_COLOUR), alt.value("#666666")),
            strokeDash=alt.condition("datum.deadline", alt.value([8, 4]), alt.value([2, 3])),
            tooltip=[alt.Tooltip("détail:N", title="Repère")],
        )
    )

    # Each label in its own blank row above the operations, right of its rule (the last one,
    # near the right edge, left of it): they can never collide, whatever the width.
    def rule_labels(frame: pd.DataFrame, align: Literal["left", "right"]) -> alt.Chart:
        return (
            alt.Chart(frame.rename(columns={"slot": "operation"}))  # the operations' y encoding, one axis
            .mark_text(
                align=align, dx=5 if align == "left" else -5, fontSize=17 if projector else 11, fontWeight="bold"
            )
            .encode(
                x=alt.X("date:T", scale=x_scale, axis=None),
                y=y,
                text="label:N",
                color=alt.condition("datum.deadline", alt.value(LATE_TEXT_COLOUR), alt.value("#444444")),
            )
        )

    labels_right, labels_left = rule_labels(marks.iloc[:2], "left"), rule_labels(marks.iloc[2:], "right")
    step = 30 if projector else 17
    return (
        alt.layer(bands, bars, rules, labels_right, labels_left)
        .resolve_axis(x="independent")
        .properties(height=alt.Step(step), width="container")
    )
