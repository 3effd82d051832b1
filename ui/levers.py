"""The binding between the Arbitrage levers and the working scenario (Streamlit side).

A lever's callback calls ``try_lever`` with the change it asks for: a refused value (the
scenario model's bounds, or ``Scenario.check_against`` the portfolio) is explained in French
next to the lever (``show_problems``) and changes nothing; an accepted one becomes the working
scenario (``ui.state.set_working``, one undo step per burst). ``synced`` keeps a widget showing
the scenario's value after an undo, a reset or a refusal.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from pydantic import ValidationError

from simulation import Scenario
from simulation.errors import french_problems
from simulation.months import format_month, parse_month
from ui import state

PROBLEMS = "arbitrage_problems"  # {where: [French problems]}: a refusal is explained next to its lever
REFUSALS = "arbitrage_refusals"  # counts refusals, so an editor showing a refused value is redrawn


_DRAWN = "arbitrage_drawn_revision"  # the portfolio revision the levers were last drawn with


def drawn_with(revision: int) -> None:
    """The page says which portfolio revision it draws the levers with (their callbacks reuse it)."""
    st.session_state[_DRAWN] = revision


def refusals() -> int:
    """How many refusals so far: an editor puts it in its key, to be redrawn showing the value in force."""
    return int(st.session_state.get(REFUSALS, 0))


def accept(scenario: Scenario, lever: str | None = None) -> None:
    """An accepted change: no problem left to show, the scenario becomes the working one."""
    st.session_state.pop(PROBLEMS, None)
    state.set_working(scenario, lever=lever)


def try_lever(change: Callable[[], Scenario], where: str, lever: str | None = None) -> None:
    """Apply a lever; a refused value is explained in French next to the lever (``where``) and
    changes nothing (the lever is drawn again showing the value in force).

    The change is checked against the portfolio the page drew the lever with (``drawn_with``): a
    move reads nothing from the database; the run that follows reads it once (``Store.glance``)."""
    try:
        scenario = change()
    except ValidationError as exc:
        refuse(where, [str(p) for p in french_problems(exc)])
        return
    problems = scenario.check_against(state.portfolio(st.session_state.get(_DRAWN)))
    if problems:
        refuse(where, problems)
        return
    accept(scenario, lever)


def refuse(where: str, problems: list[str]) -> None:
    st.session_state[PROBLEMS] = {where: problems}
    st.session_state[REFUSALS] = int(st.session_state.get(REFUSALS, 0)) + 1


def show_problems(where: str) -> None:
    problems = st.session_state.get(PROBLEMS, {}).get(where, [])
    if problems:
        st.error(
            "Valeur refusée, le scénario n'a pas changé :  \n" + "  \n".join(f"– {p}" for p in problems),
            icon=":material/block:",
        )


def month_options(scenario: Scenario) -> list[str]:
    """Twelve years of months from the reference month: what a deadline slider offers."""
    first = parse_month(scenario.reference_month)
    return [format_month(m) for m in range(first, first + 12 * 12)]


def synced(key: str, value: object) -> str:
    """A widget key whose state shows ``value``, the scenario's.

    Keys are stable, so a slider keeps the keyboard focus between reruns (arrow keys can be
    pressed again and again); when the scenario changed elsewhere (undo, reset, the table,
    a refused value), the widget is brought back to what the scenario says before it is drawn.

    Every synced widget is also given that value as its default (``value=``/``index=``): the
    browser falls back to a widget's default when it draws the widget again without a stored
    value (a run interrupted by another), and a default left at the first option once sent
    "50 %" for the envelope level along with the next edit. ``.streamlit/config.toml`` silences
    Streamlit's warning about a default given with a value set through the session state.
    """
    if st.session_state.get(key, _MISSING) != value:
        st.session_state[key] = value
    return key


_MISSING = object()
