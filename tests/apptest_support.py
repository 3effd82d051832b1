"""Helpers for AppTest page tests: each test gets its own seeded database."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from simulation import Scenario
from ui import state

ROOT = Path(__file__).resolve().parent.parent


def open_page(page: str | None = None, timeout: float = 30) -> AppTest:
    """Run ``app.py`` (navigation, sidebar) and switch to ``views/<page>.py`` if given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py")
        at.run()
    return at


def open_as(person: str, page: str | None = None) -> AppTest:
    """The app with ``person`` chosen in the sidebar, then ``views/<page>.py`` if given; checked
    to show no exception."""
    at = open_page()
    at.sidebar.selectbox(key="acting_person").set_value(person)
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py")
        at.run()
    assert_no_exception(at)
    return at


def open_projector(page: str) -> AppTest:
    """``views/<page>.py`` in projector mode (the sidebar toggle and the mode it sets); checked to
    show no exception."""
    at = open_page(page)
    at.session_state["projecteur"] = True
    at.session_state["projector_mode"] = True
    at.run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    """No exception shown, and none caught by app.py's French fallback (ui.layout.show_failure)."""
    assert not at.exception, [e.value for e in at.exception]
    failures = [e.value for e in at.error if "erreur inattendue est survenue" in e.value]
    assert not failures, failures


def shown(text: str) -> str:
    """What a reader sees of Markdown escaped by ``ui.frames.plain.md``: the backslashes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def working_scenario(at: AppTest) -> Scenario:
    """The session's working scenario, as the pages see it through ``ui.state.working()``."""
    return at.session_state[state._WORKING]


def set_working_scenario(at: AppTest, scenario: Scenario) -> None:
    """Replace the session's working scenario before the next ``at.run()`` (as a page's lever would)."""
    at.session_state[state._WORKING] = scenario
