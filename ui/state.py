"""Shared state of a session: the store, who is acting, the working scenario, undo, projector mode.

Pages never touch ``st.session_state`` keys directly for these: they call the helpers here,
so the scenario in use is the same on every page and always shown.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
import streamlit as st

from simulation import Portfolio, Result, Scenario, simulate
from store import Caller, Store
from store.database import Draft
from store.drafts import TOKEN

_log = logging.getLogger("simulateur")

_WORKING = "working_scenario"
_BASE = "base_scenario"  # (name, version) of the saved scenario the working one started from
_SAVED = "saved_scenario"  # the saved version, to tell "modified, not saved"
_SKIPPED = "skipped_operations"  # (scenario name, ids) of choices skipped when it was opened
_UNDO = "undo_stack"
_GENERATION = "scenario_generation"
PROJECTOR = "projector_mode"
SCENARIO_PICKER = "scenario"  # the sidebar widget's key, bound to the ``?scenario=`` URL parameter
PENDING_PICK = "pending_scenario_choice"
UNDO_DEPTH = 50
_LAST_MOVE = "undo_last_move"  # (lever, time) of the last lever move, to merge a burst into one undo step
_SIDEBAR_SHOWN = "sidebar_shown"  # what the sidebar last showed: (modified, base name)
DRAFT_PARAM = "atelier"  # the URL parameter holding the session's draft token (a reload keeps it)
_DRAFT_TOKEN = "draft_token"
_RESTORED = "draft_restored"  # when the draft restored at the start of this session was kept
BURST_SECONDS = 1.5
"""Moves of the same lever closer together than this are one move for "undo" (a burst of arrow
key presses on a slider reaches the server as one or several reruns, depending on timing)."""


ACTING = "acting_person"  # poste local: the name the person picked in the sidebar
TRUSTED_HEADER_ENV = "SIMULATEUR_TRUSTED_HEADER"


LINGER_ENV = "SIMULATEUR_DB_LINGER_S"


def _linger_seconds() -> float:
    """How long this process keeps the database file after a unit of work: 1 s alone; 0 when several
    app processes share it (deploy/simulateur.env), so none holds the file while another waits."""
    try:
        return max(0.0, float(os.environ.get(LINGER_ENV, "1").replace(",", ".")))
    except ValueError:
        return 1.0


@st.cache_resource(show_spinner=False)
def _process_store() -> Store:
    """The store of this process: it opens the database per unit of work (the CLI can work beside)."""
    opened = Store.open(linger=_linger_seconds())
    from store.backups import daily_backup

    daily_backup(opened)
    return opened


@st.cache_resource(scope="session", show_spinner=False)
def _session_store() -> Store:
    return _process_store().cursor()


def store() -> Store:
    """The store, seen by the person acting in this session (every write is theirs; the store
    decides from how they were identified whether they may write at all)."""
    return _session_store().as_caller(identity().caller())


# ---------------------------------------------------------------------- who is acting


@dataclass(frozen=True)
class Identity:
    name: str | None
    """What the store matches: the name picked (local), the proxy's login, the provider's e-mail."""
    mode: Literal["oidc", "header", "local"]
    authenticated: bool
    verified: bool = True
    display: str | None = None
    client: str | None = None

    groups: tuple[str, ...] = ()

    def caller(self) -> Caller:
        return Caller(self.name, self.mode, self.verified, self.client, self.groups)


def _auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


ROLE_CLAIM_ENV = "SIMULATEUR_OIDC_ROLE_CLAIM"


def _claim_values(value: object) -> tuple[str, ...]:
    """A claim's groups: a list of names, or one name (anything else: none)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value if isinstance(v, str | int))
    return ()


def identity() -> Identity:
    """Who is acting: ``st.user`` when ``[auth]`` is configured; a trusted header when enabled
    (``SIMULATEUR_TRUSTED_HEADER``, off by default); otherwise the name picked on this
    "poste local", where nobody is authenticated."""
    address = st.context.ip_address  # None on this machine (and a stand-in object under AppTest)
    client = address if isinstance(address, str) else None
    if _auth_configured():
        if st.user.is_logged_in:
            email = st.user.get("email")
            verified = st.user.get("email_verified") is True  # absent or false: not verified
            shown = st.user.get("name") or email
            claim = os.environ.get(ROLE_CLAIM_ENV, "").strip()
            groups = _claim_values(st.user.get(claim)) if claim else ()
            return Identity(str(email) if email else None, "oidc", True, verified, str(shown or ""), client, groups)
        return Identity(None, "oidc", False, client=client)
    header = os.environ.get(TRUSTED_HEADER_ENV, "").strip()
    if header:
        value = (st.context.headers.get(header) or "").strip()
        return Identity(value or None, "header", bool(value), display=value or None, client=client)
    picked = st.session_state.get(ACTING)
    return Identity(str(picked) if picked else None, "local", False, display=picked, client=client)


@st.cache_resource(max_entries=8, show_spinner=False)
def _portfolio_at(revision: int, _store: Store) -> Portfolio:
    return _store.portfolio()


def portfolio(revision: int | None = None) -> Portfolio:
    """The current portfolio, rebuilt only when the store's revision changes.

    ``revision``: the store's revision already read in this run (a lever move reads it once)."""
    s = store()
    return _portfolio_at(s.revision() if revision is None else revision, s)


@st.cache_resource(max_entries=256, show_spinner=False)
def _simulated(revision: int, scenario_json: str, _portfolio: Portfolio) -> Result:
    return simulate(_portfolio, Scenario.model_validate_json(scenario_json))


def run(scenario: Scenario, revision: int | None = None) -> Result:
    """Simulate on the current portfolio (cached by portfolio revision and scenario content).

    The cached ``Result`` is shared: pages must not modify its DataFrames in place. ``revision``:
    the store's revision already read in this run.
    """
    s = store()
    revision = s.revision() if revision is None else revision
    return _simulated(revision, scenario.model_dump_json(), _portfolio_at(revision, s))


@st.cache_resource(max_entries=16, show_spinner=False)
def _simulated_on_milestone(path: str, milestone: str, scenario_json: str) -> Result:
    frozen = Store(Path(path)).milestone_portfolio(milestone)  # a milestone never changes once frozen
    return simulate(frozen, Scenario.model_validate_json(scenario_json))


def run_on_milestone(milestone: str, scenario: Scenario) -> Result:
    """Simulate on the portfolio frozen at ``milestone`` (cached: a milestone never changes)."""
    return _simulated_on_milestone(str(store().path), milestone, scenario.model_dump_json())


# ---------------------------------------------------------------------- working scenario


@dataclass(frozen=True)
class ScenarioStatus:
    name: str
    base_name: str
    base_version: int | None
    modified: bool


def reference() -> Scenario:
    return store().reference_scenario().scenario


def _ensure_loaded() -> None:
    if _WORKING not in st.session_state:
        wanted = st.session_state.get(SCENARIO_PICKER)
        s = store()
        names = {info.name for info in s.list_scenarios()}
        if _restore_draft(wanted, names):
            return
        open_scenario(wanted if wanted in names else s.reference_name(), record_undo=False)


# ---------------------------------------------------------------------- drafts (reload, reconnect)


def draft_token() -> str:
    """This browser session's token: from the address (``?atelier=…``) after a reload, else new.

    Kept in the session too, and put back in the address on every run (``keep_token_in_url``):
    a page change must not lose it, or the next reload would start a session with no draft."""
    token = st.session_state.get(_DRAFT_TOKEN)
    if token is None:
        given = st.query_params.get(DRAFT_PARAM, "")
        token = given if TOKEN.fullmatch(given) else secrets.token_urlsafe(16)
        st.session_state[_DRAFT_TOKEN] = token
    return str(token)


def keep_token_in_url() -> None:
    token = draft_token()
    if st.query_params.get(DRAFT_PARAM) != token:
        st.query_params[DRAFT_PARAM] = token


def _restore_draft(wanted: str | None, names: set[str]) -> bool:
    """Carry on with this session's draft (same token, same person, same scenario open); the page
    then says so (``restored_notice``)."""
    try:
        draft = store().draft(draft_token())
    except OSError:
        _log.exception("Brouillon illisible")
        return False
    if draft is None or draft.base_name not in names or wanted not in (None, draft.base_name):
        return False
    working, missing = draft.working.without_missing_operations(portfolio())  # removed since: skipped
    _replace_working(working)
    st.session_state[_UNDO] = []
    st.session_state[_BASE] = (draft.base_name, draft.base_version)
    st.session_state[_SAVED] = draft.saved.without_missing_operations(portfolio())[0]
    st.session_state[_SKIPPED] = (draft.base_name, tuple(missing))
    st.session_state[_RESTORED] = draft.kept_at
    return True


def _keep_draft() -> None:
    """After every change of the working scenario: keep it server-side while it differs from its
    saved version, forget it once it does not. A failed write is logged; the lever still moves."""
    if _BASE not in st.session_state:
        return
    try:
        token, s = draft_token(), store()
        current, saved_version = working(), st.session_state[_SAVED]
        if current == saved_version:
            s.drop_draft(token)
            return
        base_name, base_version = st.session_state[_BASE]
        s.keep_draft(token, Draft(s.user, base_name, base_version, saved_version, current, time.time()))
    except OSError:
        _log.exception("Brouillon non enregistré")


def restored_notice() -> float | None:
    """When the draft this session started from was kept (seconds since the epoch), once."""
    return st.session_state.pop(_RESTORED, None)


def working() -> Scenario:
    _ensure_loaded()
    return st.session_state[_WORKING]


def generation() -> int:
    """Changes whenever the working scenario does: lever widgets put it in their keys so that
    after an undo, a reset or an edit elsewhere they are rebuilt showing the scenario's values."""
    return int(st.session_state.get(_GENERATION, 0))


def _replace_working(scenario: Scenario) -> None:
    st.session_state[_WORKING] = scenario
    st.session_state[_GENERATION] = generation() + 1


def continues_burst(last: tuple[str, float] | None, lever: str | None, now: float) -> bool:
    """Whether a move of ``lever`` at ``now`` continues the previous move ``last`` (same lever,
    less than ``BURST_SECONDS`` later): then the two are one step for "undo"."""
    return lever is not None and last is not None and last[0] == lever and 0 <= now - last[1] < BURST_SECONDS


def set_working(scenario: Scenario, lever: str | None = None) -> None:
    """Replace the working scenario, keeping the previous one for "undo".

    ``lever`` names the widget that made the change: successive moves of the same lever in a
    quick burst are merged into one undo step (and a burst that comes back to where it started
    leaves no step at all). Changes without a lever are always a step of their own.
    """
    current = working()
    if scenario == current:
        return
    stack: list[Scenario] = st.session_state.setdefault(_UNDO, [])
    now = time.monotonic()
    last = (lever, now) if lever is not None else None
    if stack and continues_burst(st.session_state.get(_LAST_MOVE), lever, now):
        if scenario == stack[-1]:  # the burst came back where it started: no step left
            stack.pop()
            last = None
    else:
        stack.append(current)
        del stack[:-UNDO_DEPTH]
    st.session_state[_LAST_MOVE] = last
    _replace_working(scenario)
    _keep_draft()


def can_undo() -> bool:
    return bool(st.session_state.get(_UNDO))


def undo() -> None:
    """Back exactly one lever move (a burst on one lever is one move)."""
    stack: list[Scenario] = st.session_state.get(_UNDO, [])
    st.session_state[_LAST_MOVE] = None
    if stack:
        _replace_working(stack.pop())
        _keep_draft()


def reset() -> None:
    """Back to the saved version of the scenario in use."""
    set_working(st.session_state[_SAVED])


def open_scenario(name: str, record_undo: bool = True) -> None:
    """Make the stored scenario ``name`` the working one (a choice of the sidebar, a link).

    Its choices for operations the portfolio no longer has are skipped and said
    (``skipped_operations``): the scenario opens, it never breaks a page.
    """
    stored = store().load_scenario(name)
    scenario, missing = stored.scenario.without_missing_operations(portfolio())
    if record_undo and _WORKING in st.session_state:
        set_working(scenario)
    else:
        _replace_working(scenario)
        st.session_state[_UNDO] = []
    st.session_state[_BASE] = (name, stored.info.version)
    st.session_state[_SAVED] = scenario
    st.session_state[_SKIPPED] = (name, tuple(missing))
    _keep_draft()


def skipped_operations() -> tuple[str, ...]:
    """Operations the open scenario chose but the portfolio no longer has (skipped on opening)."""
    name, missing = st.session_state.get(_SKIPPED, ("", ()))
    return missing if name == st.session_state.get(_BASE, ("",))[0] else ()


def mark_saved(scenario: Scenario, version: int) -> None:
    _replace_working(scenario)
    st.session_state[_SAVED] = scenario
    st.session_state[_BASE] = (scenario.name, version)
    st.session_state[PENDING_PICK] = scenario.name  # the sidebar picker follows on the next run
    _keep_draft()


def status() -> ScenarioStatus:
    current = working()
    base_name, base_version = st.session_state[_BASE]
    return ScenarioStatus(
        name=current.name,
        base_name=base_name,
        base_version=base_version,
        modified=current != st.session_state[_SAVED],
    )


def remember_sidebar() -> None:
    """Called by the sidebar once drawn: what its badge and picker show."""
    st.session_state[_SIDEBAR_SHOWN] = _sidebar_view()


def sidebar_stale() -> bool:
    """Whether the sidebar shows an outdated badge or scenario (a fragment rerun changed the
    scenario): the page then asks for a full rerun, so the badge follows in the same interaction."""
    shown = st.session_state.get(_SIDEBAR_SHOWN)
    return shown is not None and (shown != _sidebar_view() or PENDING_PICK in st.session_state)


def _sidebar_view() -> tuple[bool, str]:
    current = status()
    return current.modified, current.base_name


def forget_deleted(name: str) -> None:
    """After a scenario is deleted, a session that had it open falls back to the reference."""
    if st.session_state.get(_BASE, (None,))[0] == name:
        open_scenario(store().reference_name(), record_undo=False)


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR, False))


def saved() -> Scenario:
    """The saved version of the scenario in use (what "reset" returns to)."""
    _ensure_loaded()
    return st.session_state[_SAVED]


@st.cache_resource(max_entries=16, show_spinner=False)
def _execution(revision: int, milestones: int, scenario_json: str, path: str) -> tuple[pd.DataFrame, dict[int, str]]:
    return Store(Path(path)).execution(Scenario.model_validate_json(scenario_json))


def execution(scenario: Scenario) -> tuple[pd.DataFrame, dict[int, str]]:
    """Execution rate of each closed year against the milestone before it (cached by revision
    and by the number of milestones; the pair is shared: do not modify it)."""
    s = store()
    return _execution(s.revision(), len(s.milestones()), scenario.model_dump_json(), str(s.path))
