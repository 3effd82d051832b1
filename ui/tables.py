"""Read-only tables that a projector can read.

Streamlit's grid (``st.dataframe``) draws on a canvas at its own small type size, whatever the
page's CSS says; ``st.table`` is HTML and follows the projector's large type. At a desk the grid
is better (sorting, scrolling, search). Every cell goes through ``plain_frame`` before
``st.table``, because ``st.table`` reads Markdown and the cells hold user text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui import state
from ui.plain import plain_frame


def read_only_table(frame: pd.DataFrame | Mapping[str, Any], **grid_options: Any) -> None:
    """``frame`` as a grid at a desk, as a static table following the large type in projector mode.

    ``grid_options`` go to ``st.dataframe`` (column widths, height); the index is never shown.
    """
    data = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
    if state.projector():
        st.table(plain_frame(data), hide_index=True, border="horizontal")
    else:
        st.dataframe(data, hide_index=True, width="stretch", **grid_options)
