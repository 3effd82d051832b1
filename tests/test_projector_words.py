"""Plain French for the room (issue 20, item 4): in projector mode the pages speak as an elected
official does — « proposition rapide / optimisée », « 1 chance sur 10 », no seed, no number of
draws, no solver or distribution names — while a desk keeps the experts' terms."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page

pytestmark = pytest.mark.usefixtures("isolated_app")

JARGON = [
    "Glouton",
    "glouton",
    "CP-SAT",
    "heuristique",
    "Graine",
    "graine",
    "Monte-Carlo",
    "triangulaire",
    "décile",
    "P90",
    "P10",
    "Green Book",
    "tirages,",
]


def everything_shown(at) -> str:
    """The text of the page's elements, tooltips included (what a projector can show)."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "subheader", "header", "title"):
        parts += [e.value for e in at.get(kind)]
    for card in at.metric:
        parts += [card.label, card.value, card.proto.help]
    for widget in ("number_input", "slider", "select_slider", "radio", "button", "tabs", "multiselect"):
        for w in at.get(widget):
            parts += [str(getattr(w, "label", "")), str(getattr(w, "help", "") or "")]
    for table in at.get("table"):
        parts.append(str(table.proto))
    return "\n".join(parts)


def projector_page(page: str):
    at = open_page()
    at.session_state["projecteur"] = True
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run(timeout=120)
    assert_no_exception(at)
    return at


@pytest.mark.parametrize("page", ["risques", "synthese", "phasage"])
def test_the_projector_speaks_plainly(page):
    at = projector_page(page)
    if page == "phasage":
        at.number_input(key="phasage_time_limit").set_value(1)
        at.button(key="phasage_submit").click().run(timeout=90)
        job = at.session_state["phasage_run"]["job"]
        if job is not None:
            assert job.wait(timeout=120)
            at.run(timeout=60)
        assert_no_exception(at)
        assert "Proposition rapide" in everything_shown(at)
    text = everything_shown(at)
    assert [word for word in JARGON if word in text] == []
    if page == "risques":
        assert "1 chance sur 10" in text
        assert not at.number_input  # neither the number of draws nor the seed


def test_the_desk_keeps_the_experts_terms():
    at = open_page("risques")
    labels = [w.label for w in at.number_input]
    assert labels == ["Nombre de tirages", "Graine"]
