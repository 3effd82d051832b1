"""Small Streamlit widgets every page shares, so each page stays layout.

- ``owner_picker``: the « Maître d'ouvrage » segmented control of the charts;
- ``flash`` / ``show_flash``: a success message said on the run after an action (which reruns);
- ``store_action``: try a store write, show its French refusal in place, or flash and rerun.

The KPI cards are ``ui.layout.kpi_cards``; the Arbitrage levers' binding is ``ui.levers``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from simulation.labels import OWNER, OWNER_FILTER
from store import StoreError
from ui.frames.plain import md

T = TypeVar("T")
FLASH_ICON = ":material/check_circle:"
ERROR_ICON = ":material/error:"


def owner_picker(
    key: str,
    label: str = "Maître d'ouvrage",
    options: Sequence[str] = OWNER_FILTER,
    default: str | None = "Ville",
    where: Any = None,
) -> str | None:
    """The owner a chart shows, as a segmented control (``OWNER_FILTER`` by default: the three
    owners with envelopes, then all). ``where``: a column or container to draw in."""
    return (where or st).segmented_control(
        label, list(options), format_func=lambda o: OWNER.get(o, o), default=default, key=key
    )


def _flash_key(page: str) -> str:
    return f"{page}_flash"


def flash(page: str, message: str) -> None:
    """Say ``message`` (plain text, never Markdown) on ``page``'s next run."""
    st.session_state[_flash_key(page)] = message


def show_flash(page: str) -> None:
    """The message an action left for this run, once, as a success box."""
    message = st.session_state.pop(_flash_key(page), None)
    if message:
        st.success(md(str(message)), icon=FLASH_ICON)


def store_action(
    page: str,
    action: Callable[[], T],
    success: str | Callable[[T], str],
    then: Callable[[], object] | None = None,
) -> T | None:
    """Run a store write: on a refusal, its French message in place (``None``); otherwise ``then``
    (a cache to forget, a choice to remember) and the success message flashed on the next run,
    which starts now (``st.rerun``). The message is shown as text: a name typed by a user in it
    is never read as Markdown."""
    try:
        value = action()
    except StoreError as exc:
        st.error(md(str(exc)), icon=ERROR_ICON)
        return None
    if then is not None:
        then()
    flash(page, success(value) if callable(success) else success)
    st.rerun()
