"""Risk charts: the fan of payment credits against the envelope, operations by P(on time)."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from charts.theme import ENVELOPE_COLOUR, OKABE_ITO, OVERRUN_COLOUR, PLAN_COLOUR, colour_word
from simulation.aggregates import year_range
from simulation.labels import COMMITMENT_ON_TIME
from simulation.risk import RiskResult
from simulation.tolerances import EURO_NIL

FAN_COLOUR = OKABE_ITO[4]  # sky blue band, P10–P90
MEDIAN_COLOUR = OKABE_ITO[0]  # blue line, P50
# The deterministic plan: dark grey dashes (an orange one beside the orange overrun odds read as one thing).

ODDS_BANDS = {"moins de 50 %": OKABE_ITO[5], "50 à 90 %": OKABE_ITO[1], "90 % ou plus": OKABE_ITO[0]}
"""P(on time) classes and their Okabe–Ito colours (vermillion, orange, blue; labels say the class too)."""


def fan_caption(plain: bool = False) -> str:
    """The fan's key, its colour words taken from the colours the chart draws with.

    ``plain`` (projector mode) says « 8 chances sur 10 » and « moitié » rather than deciles."""
    band = (
        "8 chances sur 10 que la dépense tombe dans cette bande" if plain else "80 % des tirages (du 1er au 9e décile)"
    )
    middle = "valeur du milieu" if plain else "médiane"
    return (
        f"Bande {colour_word(FAN_COLOUR)} : {band} ; trait {colour_word(MEDIAN_COLOUR)} : {middle} ; "
        f"tirets {colour_word(PLAN_COLOUR)} : plan sans aléa ; traits {colour_word(ENVELOPE_COLOUR)}s : enveloppe ; "
        f"chiffres en {colour_word(OVERRUN_COLOUR)} : probabilité de dépasser l'enveloppe."
    )


def fan_data(risk: RiskResult, owner: str) -> pd.DataFrame:
    """One owner's yearly CP percentiles, plan and envelope (M€) over the years the pages show."""
    first, last = year_range(risk.plan)
    drawn = risk.yearly[risk.yearly["p90"] > EURO_NIL]
    last = max(last, int(drawn["year"].max()) if len(drawn) else last)  # draws may spend past the plan
    yearly = risk.yearly[(risk.yearly["owner"] == owner) & (risk.yearly["year"].between(first, last))]
    frame = pd.DataFrame(
        {
            "year": yearly["year"].to_numpy(),
            "p10": yearly["p10"].to_numpy() / 1e6,
            "p50": yearly["p50"].to_numpy() / 1e6,
            "p90": yearly["p90"].to_numpy() / 1e6,
            "plan": yearly["plan"].to_numpy() / 1e6,
            "envelope": yearly["envelope"].to_numpy() / 1e6,
            "p_over": yearly["p_over"].to_numpy(),
        }
    )
    return frame


def cp_fan(risk: RiskResult, owner: str = "Ville", projector: bool = False, height: int = 380) -> alt.TopLevelMixin:
    """P10–P90 band and median of the yearly CP, the plan, the envelope, and P(over) above each year."""
    data = fan_data(risk, owner)
    x = alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("year:O", title="Année"),
        alt.Tooltip("p10:Q", title="P10 (M€)", format=",.1f"),
        alt.Tooltip("p50:Q", title="Médiane (M€)", format=",.1f"),
        alt.Tooltip("p90:Q", title="P90 (M€)", format=",.1f"),
        alt.Tooltip("plan:Q", title="Plan (M€)", format=",.1f"),
        alt.Tooltip("envelope:Q", title="Enveloppe (M€)", format=",.1f"),
        alt.Tooltip("p_over:Q", title="P(dépassement)", format=".0%"),
    ]
    long = data.melt(id_vars=["year"], value_vars=["p50", "plan"], var_name="series", value_name="meur")
    long["series"] = long["series"].map({"p50": "Médiane des tirages", "plan": "Plan déterministe"})
    band = (
        alt.Chart(data)
        .mark_area(color=FAN_COLOUR, opacity=0.45)
        .encode(
            x=x,
            y=alt.Y("p10:Q", title="Crédits de paiement TTC (M€)", axis=alt.Axis(format=",.0f")),
            y2="p90:Q",
            tooltip=tooltip,
        )
    )
    lines = (
        alt.Chart(long)
        .mark_line(strokeWidth=4 if projector else 2.5, point=alt.OverlayMarkDef(size=80 if projector else 40))
        .encode(
            x=x,
            y="meur:Q",
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=["Médiane des tirages", "Plan déterministe"], range=[MEDIAN_COLOUR, PLAN_COLOUR]
                ),
                legend=alt.Legend(orient="top", labelLimit=0),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=["Médiane des tirages", "Plan déterministe"], range=[[1, 0], [6, 3]]),
                legend=None,
            ),
        )
    )
    layers: list[alt.Chart] = [band, lines]
    with_envelope = data.dropna(subset=["envelope"])
    if len(with_envelope):
        layers.append(
            alt.Chart(with_envelope)
            .mark_tick(color=ENVELOPE_COLOUR, thickness=4 if projector else 3, size=40 if projector else 28)
            .encode(x=x, y="envelope:Q", tooltip=tooltip)
        )
        risky = with_envelope[with_envelope["p_over"] > 0].copy()
        risky["label"] = [f"{round(100 * p):d} %".replace(" ", "\u00a0") for p in risky["p_over"]]
        risky["top"] = np.maximum(risky["p90"], risky["envelope"])
        layers.append(
            alt.Chart(risky)
            .mark_text(dy=-14, fontWeight="bold", color=OVERRUN_COLOUR, fontSize=18 if projector else 12)
            .encode(x=x, y="top:Q", text="label:N")
        )
    return alt.layer(*layers).properties(height=height)


def odds_data(risk: RiskResult, limit: int | None = 40) -> pd.DataFrame:
    """Operations whose commitment is at stake (0 < P < 100 %), least likely first, with their class.

    Those late in every draw are already late in the plan's figures; those on time in every draw
    need no attention: the chart shows the ones the draws can tip either way.
    """
    ops = risk.operations
    ops = ops[(ops["p_commitment_on_time"] > 0.0) & (ops["p_commitment_on_time"] < 1.0)]
    ops = ops.sort_values(["p_commitment_on_time", "anru_lost_mean", "operation_id"], ascending=[True, False, True])
    if limit is not None:
        ops = ops.head(limit)
    p = ops["p_commitment_on_time"].to_numpy(dtype=float)
    band = np.where(p < 0.5, "moins de 50 %", np.where(p < 0.9, "50 à 90 %", "90 % ou plus"))
    titles = ops["title"].astype(str).to_numpy()
    labels = [
        f"{op_id} — {title[:48] + '…' if len(title) > 49 else title}"
        for op_id, title in zip(ops["operation_id"], titles, strict=True)
    ]
    return pd.DataFrame(
        {
            "label": labels,
            "p": p,
            "band": band,
            "text": [f"{round(100 * v):d}\u00a0%" for v in p],
            "anru_lost_mean": ops["anru_lost_mean"].to_numpy(dtype=float) / 1e6,
        }
    )


def commitment_odds(risk: RiskResult, projector: bool = False, limit: int | None = 40) -> alt.TopLevelMixin:
    """Horizontal bars of P(commitment on time) per operation, coloured by class and labelled."""
    data = odds_data(risk, limit)
    row = 30 if projector else 20
    y = alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=0))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "p:Q",
                title="Probabilité de tenir l'échéance d'engagement",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%"),
            ),
            y=y,
            color=alt.Color(
                "band:N",
                title="Probabilité",
                scale=alt.Scale(domain=list(ODDS_BANDS), range=list(ODDS_BANDS.values())),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Opération"),
                alt.Tooltip("p:Q", title=COMMITMENT_ON_TIME, format=".0%"),
                alt.Tooltip("anru_lost_mean:Q", title="ANRU perdue attendue (M€)", format=",.1f"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=16 if projector else 11, color="#000000")
        .encode(x="p:Q", y=y, text="text:N")
    )
    return alt.layer(bars, text).properties(height=max(row * len(data), row))
