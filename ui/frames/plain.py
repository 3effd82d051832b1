"""User text shown as text: never read as Markdown, HTML, LaTeX or a Streamlit directive.

Titles, programmes, rationales, scenario and file names are typed by people (or arrive in
imported files). Streamlit reads Markdown in ``st.markdown``, ``st.caption``, ``st.error``…,
in widget labels and in ``st.table`` cells: a cell holding ``![x](http://…)`` made the
browser fetch that address (issue 9). :func:`md` escapes every character
that opens a Markdown construct, so the text shows as typed and no image, link, style, colour
directive (``:red[…]``) or formula (``$…$``) survives.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

_ALWAYS = "\\`*_{}[]<>|~$&@#"
"""Escaped wherever they are: emphasis, code, links and images (``[``), HTML and autolinks
(``<``), tables, strikethrough, LaTeX (``$``), entities, e-mail autolinks, headings."""

_ESCAPED = {ord(c): "\\" + c for c in _ALWAYS}
_LINE_START = re.compile(r"^(\s*\d*)([-+=.)])", re.MULTILINE)  # "- x", "+ x", "===", "1. x", "1) x"
_COLON_DIRECTIVE = re.compile(r":(?=\S)")  # ``:red[``, ``:material/…:``, ``http://`` — not French « : »


def md(text: object) -> str:
    """``text`` escaped for any Streamlit element that reads Markdown (shown exactly as typed).

    Characters that open a Markdown construct are escaped with a backslash (CommonMark allows
    it for any ASCII punctuation); list, heading and numbered-list marks are escaped at the
    start of a line; ``www.`` and ``x:y`` cannot start an autolink or a Streamlit directive. A
    line break stays a line break.
    """
    out = str(text).translate(_ESCAPED)
    out = _COLON_DIRECTIVE.sub(r"\\:", out)
    out = out.replace("www.", "www\\.")
    out = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return out.replace("\r\n", "\n").replace("\n", "  \n")


def plain_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells, header and index are escaped for ``st.table``."""
    out = frame.copy()
    for column in out.columns:
        if _may_hold_text(out[column].dtype):
            out[column] = [md(v) if isinstance(v, str) else v for v in out[column]]
    out.columns = [md(c) if isinstance(c, str) else c for c in out.columns]
    if _may_hold_text(out.index.dtype):
        out.index = pd.Index([md(v) if isinstance(v, str) else v for v in out.index], name=_name(out.index.name))
    return out


def _may_hold_text(dtype: Any) -> bool:
    """Object columns and pandas' string columns (pandas 3 stores text as ``str``, not object)."""
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _name(name: Any) -> Any:
    return md(name) if isinstance(name, str) else name
