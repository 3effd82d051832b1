"""Charts as print-quality images (PNG at scale 2, SVG) through vl-convert.

Every image comes from the same Altair builders as the pages (``ui/charts.py``), finished by
``charts.finish`` (French locale, type sizes), with a title, the scenario and the date on top,
the demo-data mark, and a source line « Données : … — scénario … — édité le … » underneath.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt

import charts
from exports.context import ExportContext
from exports.text import quote
from simulation import fr
from simulation.labels import DEMO_MARK, OWNER

PNG_SCALE = 2
"""Pixels per spec pixel in PNG exports: print quality."""

_OWNER_KEYS = {"Ville": "ville", "SPEM": "spem", "Metropole": "metropole", "Bailleur": "bailleur", "Autre": "autre"}


@dataclass(frozen=True)
class ChartExport:
    """One exportable chart: file stem, French title and how to build it from the context."""

    key: str
    title: str
    build: Callable[[ExportContext], alt.TopLevelMixin]
    width: int = 1000
    in_note: bool = True
    in_report: bool = True  # the per-neighbourhood calendars are on the Exports page only (report time)

    @property
    def png_name(self) -> str:
        return f"{self.key}.png"

    @property
    def svg_name(self) -> str:
        return f"{self.key}.svg"


def chart_catalogue(ctx: ExportContext) -> list[ChartExport]:
    """The charts of the app for this scenario, in the order a note presents them."""
    portfolio = ctx.portfolio
    catalogue = [
        ChartExport(
            "depenses_tous",
            "Crédits de paiement par année face aux enveloppes, tous maîtres d'ouvrage",
            lambda c: charts.spending_vs_envelope(c.result, portfolio, "owner", None),
        )
    ]
    for owner in _owners_with_envelope(ctx):
        catalogue.append(
            ChartExport(
                f"depenses_{_OWNER_KEYS.get(owner, owner.lower())}",
                f"Crédits de paiement par année face à l'enveloppe : {OWNER.get(owner, owner)}",
                functools.partial(_spending_of_owner, owner=owner),
                in_note=owner == ctx.scenario.capacity_owner.value,
            )
        )
    catalogue.append(
        ChartExport(
            "statut_quartiers",
            "Statut des opérations par quartier",
            lambda c: charts.status_by_neighbourhood(c.result, portfolio),
            width=900,
        )
    )
    if ctx.risk is not None:
        owner = ctx.scenario.capacity_owner.value
        catalogue.append(
            ChartExport(
                "risques_cp",
                f"Crédits de paiement face à l'enveloppe sous incertitude ({OWNER.get(owner, owner)}) : "
                f"éventail de {fr.number(ctx.risk.draws)} tirages",
                functools.partial(_risk_fan, owner=owner),
            )
        )
    if ctx.against is not None:
        catalogue.append(
            ChartExport(
                "comparaison_depenses",
                f"Crédits de paiement par année : {quote(ctx.name)} et {quote(ctx.against_name or '')}",
                _comparison,
            )
        )
    late = ctx.result.operations.loc[ctx.result.operations["status"] == "late", "operation_id"].tolist()
    if late:
        catalogue.append(
            ChartExport(
                "calendrier_hors_delai",
                "Calendrier des opérations hors délai, phase par phase",
                lambda c: charts.gantt(c.result, portfolio, "neighbourhood", operation_ids=late),
                width=1100,
            )
        )
    catalogue += [
        ChartExport(
            "charge_directions",
            "Charge des chefs de projet par direction, rapportée à l'effectif",
            lambda c: charts.staff_heatmap(c.result),
            width=1100,
        ),
        ChartExport(
            "calendrier",
            "Calendrier des opérations retenues, phase par phase",
            lambda c: charts.gantt(c.result, portfolio, "neighbourhood"),
            width=1100,
            in_note=False,  # one line per operation: too tall for a page of the note
        ),
    ]
    # One calendar per neighbourhood: legible when projected or pasted in a note's annex.
    kept = ctx.result.operations[ctx.result.operations["kept"]]
    names = portfolio.neighbourhood_names
    for code in sorted(kept["neighbourhood"].unique(), key=lambda c: names.get(c, c)):
        ids = kept.loc[kept["neighbourhood"] == code, "operation_id"].tolist()
        catalogue.append(
            ChartExport(
                f"calendrier_{code.lower()}",
                f"Calendrier des opérations : {names.get(code, code)}",
                functools.partial(_calendar_of, operation_ids=ids),
                width=1100,
                in_note=False,
                in_report=False,
            )
        )
    return catalogue


def _calendar_of(ctx: ExportContext, operation_ids: list[str]) -> alt.TopLevelMixin:
    return charts.gantt(ctx.result, ctx.portfolio, "neighbourhood", operation_ids=operation_ids)


def find_chart(ctx: ExportContext, key: str) -> ChartExport:
    for chart in chart_catalogue(ctx):
        if chart.key == key:
            return chart
    raise KeyError(f"graphique inconnu : {key}")


def _owners_with_envelope(ctx: ExportContext) -> list[str]:
    owners = {owner.value for owner in ctx.scenario.envelopes}
    return [owner for owner in OWNER if owner in owners]


def _spending_of_owner(ctx: ExportContext, owner: str) -> alt.TopLevelMixin:
    return charts.spending_vs_envelope(ctx.result, ctx.portfolio, "neighbourhood", owner)


def _risk_fan(ctx: ExportContext, owner: str) -> alt.TopLevelMixin:
    assert ctx.risk is not None
    return charts.cp_fan(ctx.risk, owner)


def _comparison(ctx: ExportContext) -> alt.TopLevelMixin:
    assert ctx.against is not None
    return charts.compare_spending({ctx.name: ctx.result, ctx.against_name or "": ctx.against}, owner=None)


# ------------------------------------------------------------------------------ rendering


_SOURCE_SPACING = 14
_NO_ROWS = "empty"
_PADDING = {"left": 12, "right": 12, "top": 12, "bottom": 12}


def _title(ctx: ExportContext, title: str) -> dict[str, Any]:
    subtitle = [ctx.subtitle()]
    if ctx.demo:
        subtitle.append(DEMO_MARK)
    return {
        "text": title,
        "subtitle": subtitle,
        "subtitleFontSize": 13,
        "subtitleColor": "#333333",
        "subtitlePadding": 6,
        "offset": 14,
    }


def _source_line(ctx: ExportContext, width: int) -> dict[str, Any]:
    """« Données : … — scénario … — édité le … » under the chart, as a text view."""
    return {
        "data": {"name": _NO_ROWS},  # one empty row, as Altair names it
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": 11,
            "color": "#444444",
            "text": ctx.source_line(),
            "x": 0,
            "y": 0,
            "limit": width,
        },
        "width": width,
        "height": 14,
    }


def framed(chart: alt.TopLevelMixin, ctx: ExportContext, title: str, width: int) -> alt.TopLevelMixin:
    """The chart at a fixed width, titled, with the scenario, date, demo mark and source line, as
    an Altair chart (``chart_spec`` composes the same spec directly)."""
    source = alt.Chart.from_dict({**_source_line(ctx, width), "data": {"values": [{}]}})
    composed = alt.vconcat(chart.properties(width=width), source, spacing=_SOURCE_SPACING)  # type: ignore[arg-type]
    return composed.properties(title=alt.TitleParams(**_title(ctx, title)), padding=_PADDING)


def chart_spec(chart: ChartExport, ctx: ExportContext) -> dict[str, Any]:
    """The finished Vega-Lite spec of one exported chart: ``framed`` and ``charts.finish``, composed
    on the spec itself.

    Composing with Altair deep-copies the whole chart, data included, at each call (a quarter of
    a calendar image's time); the result is the same spec (tests/test_exports.py checks it).
    """
    body = chart.build(ctx).properties(width=chart.width).to_dict(validate=False)
    datasets = body.pop("datasets", {})
    schema = body.pop("$schema")
    body.pop("config", None)
    return {
        "$schema": schema,
        "config": _export_config(),
        "datasets": {**datasets, _NO_ROWS: [{}]},
        "vconcat": [body, _source_line(ctx, chart.width)],
        "spacing": _SOURCE_SPACING,
        "title": _title(ctx, chart.title),
        "padding": _PADDING,
    }


@functools.cache
def _export_config() -> dict[str, Any]:
    """``charts.finish``'s configuration (French locale, type sizes) for print, computed once."""
    config: dict[str, Any] = charts.finish(alt.Chart(alt.Data(values=[{}])).mark_point(), projector=False).to_dict(
        validate=False
    )["config"]
    return config


def spec_to_svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)


def svg_to_png(svg: str, scale: float = PNG_SCALE) -> bytes:
    """Rasterise an SVG made by vl-convert (same fonts, same bytes as rendering the spec)."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=scale)


def chart_svg(chart: ChartExport, ctx: ExportContext) -> str:
    return spec_to_svg(chart_spec(chart, ctx))


def chart_png(chart: ChartExport, ctx: ExportContext, scale: float = PNG_SCALE) -> bytes:
    return svg_to_png(chart_svg(chart, ctx), scale)


def chart_files(chart: ChartExport, ctx: ExportContext) -> tuple[bytes, str]:
    """PNG and SVG of one chart, rendered once (the PNG is rasterised from the SVG)."""
    svg = chart_svg(chart, ctx)
    return svg_to_png(svg), svg
