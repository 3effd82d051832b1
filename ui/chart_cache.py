"""Draw a chart built by the ``charts`` package, memoised across reruns and sessions.

Building an Altair chart and turning it into a Vega-Lite spec costs 20–150 ms (Altair deep-
copies the chart at every call); the same scenario on the same portfolio always gives the same
spec, so pages that only read a scenario (Synthèse, Calendrier, Capacité…) draw it from a
cache keyed by what it depends on.

A lever moves the scenario at every step, so Arbitrage's chart would never hit that cache: its
spec is kept per *shape* instead (the groups, colours and which layers are drawn) with the rows
left out as named datasets, and each move only sends the rows (``chart_from_frames``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import charts
from simulation import Result
from ui import state

PAGE_PADDING = {"top": 14, "bottom": 5, "left": 5, "right": 5}
"""Room above a page's chart: a label standing above the tallest bar (the spending chart's overrun)
was cut by 2 to 3 px at the top of the drawing (Vega's default padding is 5 px on each side)."""


def _finished(build: Callable[[], Any], projector: bool) -> dict:
    spec: dict = charts.finish(build(), projector).to_dict(validate=False)  # the charts tests validate the specs
    spec["padding"] = PAGE_PADDING
    return spec


@st.cache_resource(max_entries=256, show_spinner=False)
def _spec(
    name: str, revision: int, scenario_json: str, options: str, projector: bool, _build: Callable[[], Any]
) -> dict:
    return _finished(_build, projector)


def chart(name: str, result: Result, build: Callable[[], alt.TopLevelMixin], **options: Any) -> None:
    """Draw ``build()`` (a ``ui.charts`` builder call on ``result``) with the page's projector mode.

    ``name`` and ``options`` must identify everything ``build`` uses besides the scenario and
    the portfolio (e.g. the owner or the grouping chosen on the page).
    """
    projector = state.projector()
    spec = _spec(
        name,
        state.store().revision(),
        result.scenario.model_dump_json(),
        repr(sorted(options.items())),
        projector,
        build,
    )
    st.vega_lite_chart(dict(spec), width="stretch")


@st.cache_resource(max_entries=256, show_spinner=False)
def _template(name: str, shape: str, options: str, projector: bool, _build: Callable[[], Any]) -> dict:
    return _finished(_build, projector)


def chart_from_frames(
    name: str,
    shape: tuple[object, ...],
    build: Callable[[], alt.TopLevelMixin],
    datasets: dict[str, pd.DataFrame],
    **options: Any,
) -> None:
    """Draw a chart whose spec ``build()`` reads its rows from the named ``datasets``.

    The spec is memoised by ``name``, ``shape`` (what of the data the spec itself shows: groups,
    colours, layers) and ``options``; only ``datasets`` change from one call to the next.
    """
    projector = state.projector()
    spec = dict(_template(name, repr(shape), repr(sorted(options.items())), projector, build))
    spec["datasets"] = datasets
    st.vega_lite_chart(spec, width="stretch")
