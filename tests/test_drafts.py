"""Nothing moved is lost: the working scenario survives a reload or a reconnect (issue 20, item 1).

Store level: a draft is kept whole under its session token, read back only by its person, and
refused (read as absent) when damaged, too large or old. Page level: a lever moved, then a new
session with the same address finds the scenario as it was, with a French notice.
"""

from __future__ import annotations

import os
import time

import pytest

from simulation import Scenario
from store import Store
from store.drafts import DRAFT_DAYS, MAX_DRAFT_BYTES, Draft
from tests.apptest_support import assert_no_exception, open_page, working_scenario
from ui import state

TOKEN = "AbCdEfGhIjKlMnOpQrStUv"


def _draft(person: str | None = None, rate: float = 0.035) -> Draft:
    saved = Scenario(name="Référence")
    return Draft(person, "Référence", 1, saved, saved.model_copy(update={"escalation_rate": rate}), time.time())


def test_a_kept_draft_is_read_back_by_its_person_only(tmp_path):
    mine = Store(tmp_path / "a.duckdb", user="alice")
    mine.keep_draft(TOKEN, _draft("alice"))
    found = mine.draft(TOKEN)
    assert found is not None and found.working.escalation_rate == 0.035 and found.base_version == 1
    assert Store(tmp_path / "a.duckdb", user="bob").draft(TOKEN) is None  # another person's session
    assert Store(tmp_path / "b.duckdb", user="alice").draft(TOKEN) is None  # another database's
    mine.drop_draft(TOKEN)
    assert mine.draft(TOKEN) is None


def test_a_draft_never_touches_the_database(tmp_path):
    database = tmp_path / "a.duckdb"
    s = Store.open(database)
    before = database.read_bytes()
    s.keep_draft(TOKEN, _draft(s.user))
    assert database.read_bytes() == before
    assert not list(tmp_path.glob("*.brouillons/.*.tmp"))  # written whole, then renamed


@pytest.mark.parametrize("token", ["", "court", "../../etc/passwd", "a" * 65, "x" * 15 + "/"])
def test_a_token_that_is_not_ours_is_refused(tmp_path, token):
    s = Store(tmp_path / "a.duckdb")
    assert s.draft(token) is None
    with pytest.raises(ValueError, match="jeton"):
        s.keep_draft(token, _draft())
    s.drop_draft(token)  # nothing happens
    assert not (tmp_path / "a.brouillons").exists()


def test_a_damaged_huge_or_old_draft_reads_as_none(tmp_path):
    s = Store(tmp_path / "a.duckdb")
    s.keep_draft(TOKEN, _draft())
    file = tmp_path / "a.brouillons" / f"{TOKEN}.json"
    file.write_text('{"person": null, "base_name": "Référence"', encoding="utf-8")
    assert s.draft(TOKEN) is None
    file.write_text(" " * (MAX_DRAFT_BYTES + 1), encoding="utf-8")
    assert s.draft(TOKEN) is None
    old = _draft()
    s.keep_draft(TOKEN, Draft(None, "Référence", 1, old.saved, old.working, time.time() - DRAFT_DAYS * 86_400 - 60))
    assert s.draft(TOKEN) is None


def test_old_draft_files_are_forgotten_when_another_is_kept(tmp_path):
    s = Store(tmp_path / "a.duckdb")
    s.keep_draft(TOKEN, _draft())
    file = tmp_path / "a.brouillons" / f"{TOKEN}.json"
    past = time.time() - DRAFT_DAYS * 86_400 - 60
    os.utime(file, (past, past))
    s.keep_draft("ZyXwVuTsRqPoNmLkJiHgFe", _draft())
    assert not file.exists()


# --------------------------------------------------------------------------- a reload, as the page sees it


def _reopened(token: str, page: str | None = None):
    """A new session opening the address of an earlier one (its ``?atelier=`` token)."""
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params[state.DRAFT_PARAM] = token
    at.run()
    if page is not None:
        at.switch_page(f"views/{page}.py")
        at.run()
    return at


def _escalation_moved():
    """Arbitrage with its draft token, once the escalation lever moved from 3 % to 3,5 %."""
    at = open_page("arbitrage")
    token = at.query_params[state.DRAFT_PARAM]
    token = token[0] if isinstance(token, list) else token
    at.select_slider(key="lever_escalation").set_value(0.035).run()
    return at, token


@pytest.mark.usefixtures("isolated_app")
def test_a_lever_moved_then_a_reload_finds_the_scenario_with_a_french_notice():
    at, token = _escalation_moved()
    assert_no_exception(at)
    assert working_scenario(at).escalation_rate == 0.035

    again = _reopened(token)  # a new session: F5, or the wifi dropped and came back
    assert_no_exception(again)
    assert working_scenario(again).escalation_rate == 0.035
    assert any("Travail en cours retrouvé" in info.value for info in again.info)  # said once, on the first page
    again.switch_page("views/arbitrage.py")
    again.run()
    assert not any("Travail en cours retrouvé" in info.value for info in again.info)
    assert any("modifié, non enregistré" in m.value for m in again.markdown)
    assert again.query_params[state.DRAFT_PARAM] in (token, [token])  # the address keeps it

    stranger = open_page("arbitrage")  # another session (no token): the saved scenario
    assert working_scenario(stranger).escalation_rate == 0.03
    assert not any("Travail en cours retrouvé" in info.value for info in stranger.info)


@pytest.mark.usefixtures("isolated_app")
def test_once_back_to_the_saved_version_a_reload_has_nothing_to_restore():
    at, token = _escalation_moved()
    reset = next(b for b in at.button if b.label == "Réinitialiser")
    reset.click().run()
    assert working_scenario(at).escalation_rate == 0.03
    again = _reopened(token)
    assert not any("Travail en cours retrouvé" in info.value for info in again.info)
    assert working_scenario(again).escalation_rate == 0.03
