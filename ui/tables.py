"""Tables that a projector can read.

Streamlit's grid (``st.dataframe``, ``st.data_editor``) draws on a canvas at its own small type
size, whatever the page's CSS says; ``st.table`` is HTML and follows the projector's large type.
At a desk the grid is better (sorting, scrolling, search). Every cell goes through ``plain_frame``
before ``st.table``, because ``st.table`` reads Markdown and the cells hold user text.

Grids that must stay grids on a projector (editable ones, and those holding user text) are drawn
through :func:`grid`: in projector mode a CSS transform enlarges the canvas. A transform (unlike
CSS ``zoom``) keeps the grid's clicks on the cell under the pointer, because the grid maps the
pointer through its scaled bounding box; it does not move what follows, so the room the enlarged
grid takes is added below it, from the height the page gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui import state
from ui.frames.plain import plain_frame

PROJECTOR_GRID_SCALE = 1.35
"""The grid's 14 px type becomes about 19 px: readable from the back of a room, a little under
the 21 px of the page's text so that the levers' columns still fit a 1920 px wide projector."""
NARROW_GRID_SCALE, NARROW_VIEWPORT_PX = 1.15, 1600
"""Below 1600 px of window (1280×720 and 1366×768 projectors), a smaller enlargement, so that the
lever grid's decision columns still fit."""
PROJECTOR_ROOT_PX = 21
"""The projector's root type size (the desk's is the browser's 16 px): Streamlit sizes the grid's
rows in rem, so they grow with it."""
ROW_PX, HEADER_PX = 35, 38  # at a 16 px root
PROJECTOR_PAGE_ROWS = 12
"""Rows of a long static table per page on a projector (Comité: 103 rows made a 26-screen page)."""


def read_only_table(frame: pd.DataFrame | Mapping[str, Any], **grid_options: Any) -> None:
    """``frame`` as a grid at a desk, as a static table following the large type in projector mode.

    ``grid_options`` go to ``st.dataframe`` (column widths, height); the index is never shown.
    """
    data = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
    if state.projector():
        st.table(plain_frame(data), hide_index=True, border="horizontal")
    else:
        st.dataframe(data, hide_index=True, width="stretch", **grid_options)


def grid_height(rows: int, visible_rows: int = 10) -> int:
    """Pixel height of a grid showing ``min(rows, visible_rows)`` rows under its header, in the
    session's mode (rows are taller under the projector's larger root type)."""
    ratio = PROJECTOR_ROOT_PX / 16 if state.projector() else 1.0
    return round((HEADER_PX + ROW_PX * max(1, min(rows, visible_rows))) * ratio)


def projector_grid_css(slot: str, height: int) -> str:
    """The CSS that enlarges the container keyed ``slot`` (it holds one grid): the grid is laid out
    on ``1 / scale`` of the width (Streamlit sizes it from that container), scaled back to the
    whole width, and the extra height is kept free below it. The grid's hover toolbar (download,
    search, full screen) is left out: scaled, it covered the line above the grid."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", slot):
        raise ValueError(f"slot must be a CSS-safe key, not {slot!r}")

    def scaled(scale: float) -> str:
        return (
            f".st-key-{slot} {{ transform: scale({scale}); transform-origin: 0 0; "
            f"width: {100 / scale:.4f}% !important; margin-bottom: {round(height * (scale - 1))}px; }}"
        )

    return (
        f"{scaled(PROJECTOR_GRID_SCALE)} "
        f"@media (max-width: {NARROW_VIEWPORT_PX - 1}px) {{ {scaled(NARROW_GRID_SCALE)} }} "
        f".st-key-{slot} [data-testid='stElementToolbar'] {{ display: none; }} "
        f".st-key-{slot} [data-testid='stDataFrame'], .st-key-{slot} [data-testid='stDataFrame'] > div "
        "{ width: 100% !important; max-width: 100% !important; }"
    )


def grid(data: Any, *, slot: str, height: int, editable: bool = False, **options: Any) -> Any:
    """``st.data_editor`` (``editable``) or ``st.dataframe`` of ``data``, ``height`` pixels high at a
    desk and enlarged on a projector (:func:`projector_grid_css`). ``slot`` keys the container
    the CSS aims at (letters, digits, ``_`` and ``-``); ``options`` go to the Streamlit call.
    Returns what that call returns (the edited frame, or the selection)."""
    draw = st.data_editor if editable else st.dataframe
    options.setdefault("hide_index", True)
    options.setdefault("width", "stretch")
    with st.container(key=slot):
        if state.projector():
            st.html(f"<style>{projector_grid_css(slot, height)}</style>")
        return draw(data, height=height, **options)
