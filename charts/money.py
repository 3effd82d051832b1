"""Money charts: yearly payment credits against envelopes, statuses, comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import altair as alt
import pandas as pd

from charts.theme import (
    ENVELOPE_COLOUR,
    GROUPINGS,
    MAX_SERIES,
    OKABE_ITO,
    OTHERS,
    OTHERS_COLOUR,
    OVERRUN_COLOUR,
    SERIES_PALETTE,
    STATUS_COLOURS,
)
from simulation import Portfolio, Result
from simulation.aggregates import envelope_by_year, spending_by_year
from simulation.labels import STATUS


def limit_series(frame: pd.DataFrame, max_series: int = MAX_SERIES) -> tuple[pd.DataFrame, list[str]]:
    """Keep the ``max_series - 1`` largest groups (by total ``meur``), the rest summed as « Autres ».

    ``frame`` has columns year, group, meur. Returns the frame (one row per year and group) and
    the groups in legend order: largest first, « Autres » last. With ``max_series`` groups or
    fewer, nothing is grouped.
    """
    totals = frame.groupby("group")["meur"].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= max_series:
        return frame, totals.index.astype(str).tolist()
    kept = totals.index[: max_series - 1].astype(str).tolist()
    grouped = frame.assign(group=frame["group"].where(frame["group"].isin(kept), OTHERS))
    # as_index=False: a frame with the year and group columns (pandas-stubs types it a Series).
    summed = cast(pd.DataFrame, grouped.groupby(["year", "group"], as_index=False, sort=False)["meur"].sum())
    return summed, [*kept, OTHERS]


@dataclass(frozen=True)
class SpendingFrames:
    """What the spending chart draws: the stacked bars, the envelope line and the overrun labels
    (two heights, so that labels of consecutive years never overlap).

    ``shape`` is everything of the spec that depends on the data besides the rows themselves: two
    results with the same shape give the same spec once their rows are named datasets, so a
    page can keep the spec and send only the rows at each lever move (``spending_chart(named=True)``).
    """

    bars: pd.DataFrame
    order: tuple[str, ...]
    colours: tuple[str, ...]
    envelope: pd.DataFrame
    low_labels: pd.DataFrame
    high_labels: pd.DataFrame

    @property
    def shape(self) -> tuple[object, ...]:
        return (self.order, self.colours, len(self.envelope) > 0, len(self.low_labels) > 0, len(self.high_labels) > 0)

    def datasets(self) -> dict[str, pd.DataFrame]:
        """The rows by dataset name, for a spec built with ``named=True``."""
        return {
            "spending_bars": self.bars,
            "spending_envelope": self.envelope,
            "spending_over_low": self.low_labels,
            "spending_over_high": self.high_labels,
        }


def spending_frames(result: Result, portfolio: Portfolio, group_by: str, owner: str | None) -> SpendingFrames:
    """The rows of :func:`spending_vs_envelope`: at most :data:`MAX_SERIES` stacked groups (the
    smallest summed as « Autres »), the years with an envelope, and the overruns split between
    two label heights (consecutive years alternate)."""
    bars, order = limit_series(spending_by_year(result, portfolio, group_by, owner))
    colours = [SERIES_PALETTE[i % len(SERIES_PALETTE)] if g != OTHERS else OTHERS_COLOUR for i, g in enumerate(order)]
    with_envelope = envelope_by_year(result, owner).dropna(subset=["envelope"]).reset_index(drop=True)
    over = with_envelope.dropna(subset=["overrun"]).sort_values("year")
    consecutive = over["year"].diff().eq(1)
    high = consecutive.groupby((~consecutive).cumsum()).cumsum() % 2 == 1
    # A label is wider than its bar: it stands above its own bar and both neighbours, so that on a
    # narrow chart its ends never print over the next year's (taller) bar.
    totals = bars.groupby("year")["meur"].sum()
    years = over["year"].to_numpy()
    around = pd.concat(
        [totals.reindex(years + k).reset_index(drop=True) for k in (-1, 0, 1)]
        + [over["spending"].reset_index(drop=True)],
        axis=1,
    ).max(axis=1)
    over = over.assign(anchor=around.to_numpy())
    return SpendingFrames(
        bars=bars.reset_index(drop=True),
        order=tuple(order),
        colours=tuple(colours),
        envelope=with_envelope,
        low_labels=over[~high].reset_index(drop=True),
        high_labels=over[high].reset_index(drop=True),
    )


def spending_vs_envelope(
    result: Result,
    portfolio: Portfolio,
    group_by: str = "neighbourhood",
    owner: str | None = "Ville",
    projector: bool = False,
    height: int = 380,
) -> alt.TopLevelMixin:
    """Stacked yearly payment credits against the envelope line; overruns labelled in vermilion.

    At most :data:`MAX_SERIES` stacked colours: the smallest groups are summed as « Autres » (grey).
    """
    return spending_chart(spending_frames(result, portfolio, group_by, owner), group_by, projector, height)


def spending_chart(
    frames: SpendingFrames, group_by: str, projector: bool = False, height: int = 380, named: bool = False
) -> alt.TopLevelMixin:
    """The spending chart of ``frames``; with ``named``, its data are the named datasets of
    :meth:`SpendingFrames.datasets`, left out of the spec (one spec serves every result of the
    same :attr:`SpendingFrames.shape`)."""

    def data(name: str, frame: pd.DataFrame) -> Any:
        return alt.NamedData(name=name) if named else frame

    legend_title = GROUPINGS[group_by]
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    bars = (
        alt.Chart(data("spending_bars", frames.bars))
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(meur):Q", title="Crédits de paiement TTC (M€)", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "group:N",
                title=legend_title,
                scale=alt.Scale(domain=list(frames.order), range=list(frames.colours)),
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
    if len(frames.envelope):
        layers.append(
            alt.Chart(data("spending_envelope", frames.envelope))
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
        size = 20 if projector else 13
        for name, part, dy in (
            ("spending_over_low", frames.low_labels, -14),
            ("spending_over_high", frames.high_labels, -14 - int(size * 1.3)),
        ):
            if len(part):
                layers.append(
                    alt.Chart(data(name, part))
                    .transform_calculate(label="'+' + format(datum.overrun, ',.1f') + ' M€'")
                    .mark_text(dy=dy, fontWeight="bold", color=OVERRUN_COLOUR, fontSize=size)
                    .encode(x=x, y="anchor:Q", text="label:N")
                )
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


def compare_spending(
    results: dict[str, Result], owner: str | None = "Ville", projector: bool = False, height: int = 380
) -> alt.TopLevelMixin:
    """Yearly payment credits of each scenario (solid line) against its envelope (dashed line).

    One colour per scenario, in the order given (the first one is the comparison's basis).
    """
    frames = []
    for name, result in results.items():
        env = envelope_by_year(result, owner)
        for series_name, column in (("Crédits de paiement", "spending"), ("Enveloppe", "envelope")):
            frame = pd.DataFrame(
                {
                    "scénario": name,
                    "year": env["year"].to_numpy(),
                    "série": series_name,
                    "meur": env[column].to_numpy(),
                    "envelope": env["envelope"].to_numpy(),
                    "spending": env["spending"].to_numpy(),
                }
            )
            frames.append(frame if column == "spending" else frame.dropna(subset=["meur"]))  # no envelope: no line
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
