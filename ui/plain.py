"""User text shown as text: never read as Markdown, HTML, LaTeX or a Streamlit directive.

Titles, programmes, rationales, scenario and file names are typed by people (or arrive in
imported files). Streamlit reads Markdown in ``st.markdown``, ``st.caption``, ``st.error``…,
in widget labels and in ``st.table`` cells: a cell holding ``![x](http://…)`` made the
browser fetch that address (issue 9). :func:`md` escapes every ASCII punctuation character
(CommonMark lets any of them be escaped with a backslash), so the text shows exactly as typed
and no image, link, style, colour directive (``:red[…]``) or formula (``$…$``) survives.
"""

from __future__ import annotations

import string
from typing import Any

import pandas as pd

_ESCAPED = {ord(c): "\\" + c for c in string.punctuation}
_ESCAPED[ord("\n")] = "  \n"  # a line break stays a line break, never a heading or list


def md(text: object) -> str:
    """``text`` escaped for any Streamlit element that reads Markdown."""
    return str(text).translate(_ESCAPED)


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, header and index are escaped for ``st.table``."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = [md(v) if isinstance(v, str) else v for v in out[column]]
    out.columns = [md(c) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = pd.Index([md(v) if isinstance(v, str) else v for v in out.index], name=_name(out.index.name))
    return out


def _name(name: Any) -> Any:
    return md(name) if isinstance(name, str) else name
