"""The look shared by every chart: Okabe–Ito palette, French locale, type sizes (projector mode)."""

from __future__ import annotations

import functools
from typing import cast

import altair as alt

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]
CATEGORY_PALETTE = [*OKABE_ITO[:7], "#882255", "#44AA99", "#117733", "#332288", "#AA4499", "#88CCEE", "#DDCC77"]
MAX_SERIES = 8
"""At most this many colours in one chart: the eye can tell Okabe–Ito's apart on a projector."""
SERIES_PALETTE = OKABE_ITO[:7]  # black is the envelope line's
OTHERS = "Autres"
OTHERS_COLOUR = "#999999"
STATUS_COLOURS = {"Dans les délais": "#0072B2", "En retard": "#D55E00", "Abandonnée": "#999999"}
PHASE_COLOURS = {"Programmation": "#56B4E9", "Conception": "#009E73", "Consultation": "#E69F00", "Travaux": "#0072B2"}
ENVELOPE_COLOUR = "#000000"
OVERRUN_COLOUR = "#D55E00"
PLAN_COLOUR = "#555555"
LOAD_COLOURS = ("#f2f7fb", "#b7d4ea", "#4f9bd0", "#fdbb84", "#ef6548", "#990000")
"""The staff heat map, load over headcount from « moins de 50 % » to « 150 % et plus »: blues up to
the headcount, then oranges to dark red (sequential, readable by the common colour-vision deficiencies)."""
NO_HEADCOUNT_COLOUR = "#bdbdbd"
"""A directorate without headcount in the heat map."""
LOAD_COLOUR = OKABE_ITO[0]
"""The staff load line; the headcount line is ``ENVELOPE_COLOUR`` (a limit is black everywhere)."""
TEXT_COLOUR = "#000000"
SOFT_TEXT_COLOUR = "#333333"
"""Labels on a desk screen; a projector shows them in ``TEXT_COLOUR``."""
CELL_STROKE = "#ffffff"
LEGEND_STROKE = "#888888"

COLOUR_WORD = {
    "#0072B2": "bleu",
    "#56B4E9": "bleu clair",
    "#D55E00": "orange",
    "#E69F00": "jaune orangé",
    "#000000": "noir",
    "#555555": "gris foncé",
    "#999999": "gris",
}
"""What a caption calls each colour, as the room sees it: Okabe–Ito's vermilion (#D55E00) reads
orange on a projector (never « rouge »), and its orange (#E69F00) yellowish beside it."""


def colour_word(colour: str) -> str:
    """The French word a caption uses for ``colour`` (a chart's own constant, never a literal)."""
    return COLOUR_WORD[colour.upper()]


GROUPINGS = {
    "neighbourhood": "Quartier",
    "facility_type": "Type d'équipement",
    "owner": "Maître d'ouvrage",
    "directorate": "Direction",
}


AnyChart = (
    alt.Chart
    | alt.LayerChart
    | alt.HConcatChart
    | alt.VConcatChart
    | alt.ConcatChart
    | alt.FacetChart
    | alt.RepeatChart
)
"""Every top-level Altair chart: what ``finish`` returns and ``st.altair_chart`` draws."""


@functools.lru_cache(maxsize=1)
def _locale() -> alt.Locale:
    import vl_convert

    return alt.Locale(number=vl_convert.get_format_locale("fr-FR"), time=vl_convert.get_time_format_locale("fr-FR"))


def finish(chart: alt.TopLevelMixin, projector: bool = False, title: str | None = None) -> AnyChart:
    """French locale and type sizes (larger in projector mode), applied to any chart.

    One ``configure`` call: each Altair call deep-copies the whole chart, data included.
    """
    big = projector
    if title is not None:
        chart = chart.properties(title=title)
    configured = chart.configure(
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
            labelFontSize=18 if big else 12,
            titleFontSize=18 if big else 13,
            symbolSize=200 if big else 100,
            labelColor="#000000" if big else "#333333",
            titleColor="#000000",
        ),
        title=alt.TitleConfig(fontSize=24 if big else 16, anchor="start", color="#000000"),
        header=alt.HeaderConfig(labelFontSize=18 if big else 12, titleFontSize=18 if big else 13),
        view=alt.ViewConfig(stroke=None),
    )
    return cast(AnyChart, configured)


# The house colours of the exported documents (notes, workbooks, summary image), as RRGGBB hex.
HEADER_FILL_HEX = "DDE6EE"
"""Shaded header rows of every Word and Excel table."""
OPTIONAL_FILL_HEX = "F2F2F2"
"""Optional columns of the import template."""
DEMO_HEX = "B35900"
"""The demonstration-data mark (orange dark enough to read on white)."""
