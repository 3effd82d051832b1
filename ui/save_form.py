"""The one "save as a scenario" popover (Arbitrage and Proposer un phasage both use it).

Name and rationale in a form; the author is the person acting (``ui.identity``). Saving happens in the submit button's callback, before the
page is drawn again, so that on success the popover closes, its fields are emptied and a
confirmation is shown in the same interaction; on refusal the popover stays open with the
French reason inside it and the store is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from simulation.model import RATIONALE_MAX
from store import StoreError
from ui import identity, state
from ui.frames.plain import md

Save = Callable[[str, str, str], str]
"""Saves (name, author, rationale) and returns the confirmation sentence; raises ``SaveRefused``
or a ``StoreError`` (French message) to refuse."""


class SaveRefused(ValueError):
    """A save refused before reaching the store (e.g. an empty name), with a French message."""


def _keys(key: str) -> dict[str, str]:
    return {part: f"{key}_{part}" for part in ("popover", "name", "author", "rationale", "error", "done", "submit")}


def _submit(key: str, save: Save) -> None:
    k = _keys(key)
    name = str(st.session_state.get(k["name"], "")).strip()
    author = identity.author_name()
    rationale = str(st.session_state.get(k["rationale"], "")).strip()
    try:
        if not name:
            raise SaveRefused("Donnez un nom au scénario.")
        message = save(name, author, rationale)
    except (SaveRefused, StoreError) as exc:
        st.session_state[k["error"]] = str(exc)
        return
    st.session_state.pop(k["error"], None)
    for field in ("name", "rationale"):
        st.session_state.pop(k[field], None)
    st.session_state[k["popover"]] = False  # close the popover
    st.session_state[k["done"]] = message


def save_popover(
    key: str,
    save: Save,
    *,
    label: str = "Enregistrer sous…",
    name: str = "",
    rationale: str = "",
    width: str = "content",
) -> None:
    """Draw the popover; the fields start from ``name`` and ``rationale``; the author is the person acting."""
    k = _keys(key)
    box = st.popover(label, icon=":material/save:", key=k["popover"], on_change="rerun", width=width)  # type: ignore[arg-type]
    with box:
        if box.open is False:  # drawn only while open: a closed popover reads nobody from the database
            return
        with st.form(f"{key}_form", clear_on_submit=False, border=False):
            st.text_input("Nom du scénario", value=name, max_chars=120, key=k["name"])
            identity.author_caption()
            st.text_area("Justification", value=rationale, max_chars=RATIONALE_MAX, key=k["rationale"])
            st.form_submit_button("Enregistrer", type="primary", key=k["submit"], on_click=_submit, args=(key, save))
        refusal = st.session_state.pop(k["error"], None)
        if refusal:
            st.error(md(refusal), icon=":material/error:")


def confirmation(key: str) -> None:
    """Show, once, the confirmation of the last successful save from popover ``key``."""
    message = st.session_state.pop(_keys(key)["done"], None)
    if message:
        st.success(md(message), icon=":material/check_circle:")
        st.toast(md(message), icon=":material/check_circle:")


def save_working_popover(key: str, reference_name: str | None = None) -> None:
    """Save the working scenario: under a new name, or over the scenario it was opened from
    (refused if someone saved it in between). Over its own name, a scenario keeps its origin,
    so it never comes "from" itself; under a new name, it comes from the scenario opened.

    ``reference_name``: the reference scenario's name when the page already read it."""
    current = state.status()
    if reference_name is None:
        reference_name = state.store().reference_name()
    default_name = "" if current.base_name == reference_name else current.base_name
    working = state.working()

    def save(name: str, author: str, rationale: str) -> str:
        current = state.status()
        overwrite = name == current.base_name and name != reference_name
        scenario = state.working()
        scenario = scenario.model_copy(
            update={
                "name": name,
                "author": author,
                "rationale": rationale,
                "parent": scenario.parent if overwrite else current.base_name,
            }
        )
        version = state.store().save_scenario(scenario, expected_version=current.base_version if overwrite else None)
        state.mark_saved(scenario, version)
        return f"Scénario « {name} » enregistré (version {version}) : c'est le scénario ouvert sur toutes les pages."

    save_popover(
        key,
        save,
        name=default_name,
        rationale=working.rationale if default_name else "",
        width="stretch",
    )
