"""Scenarios checked on every door (issue 22): the store refuses to save a scenario that does not
apply to the portfolio (CLI and app alike), and a stored one choosing a vanished operation opens
on every page with its stale choice skipped and said, never an error page."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from simulation import Scenario
from simulation.scenario import OperationChoice
from store import Store, StoreError
from tests.apptest_support import ROOT, assert_no_exception, working_scenario

PAGES = sorted(p.stem for p in (ROOT / "views").glob("*.py") if p.stem != "__init__")
BROKEN = "Copie cassée"


def broken_copy(store: Store) -> Scenario:
    reference = store.reference_scenario().scenario
    choices = {**reference.choices, "NOPE-1": OperationChoice(shift_months=1)}
    return reference.model_copy(update={"name": BROKEN, "choices": choices, "parent": reference.name})


def test_the_store_refuses_a_scenario_choosing_an_unknown_operation(store):
    before = store.list_scenarios()
    with pytest.raises(StoreError, match=r"NOPE-1.*n.existe pas dans le portefeuille"):
        store.save_scenario(broken_copy(store))
    assert store.list_scenarios() == before


def test_scenario_save_refuses_it_on_the_command_line(tmp_path):
    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    path = tmp_path / "cassé.json"
    path.write_text(broken_copy(store).model_dump_json(), encoding="utf-8")
    store.close()
    out = subprocess.run(
        [sys.executable, "-m", "simulation", "--db", str(db), "scenario", "save", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 1 and "NOPE-1" in out.stderr and "rien n'a été écrit" in out.stderr
    assert BROKEN not in json.dumps([i.name for i in Store.open(db).list_scenarios()], ensure_ascii=False)


def test_without_missing_operations_keeps_every_known_choice(store):
    portfolio = store.portfolio()
    broken = broken_copy(store)
    cleaned, missing = broken.without_missing_operations(portfolio)
    assert missing == ["NOPE-1"]
    assert cleaned.choices == {k: v for k, v in broken.choices.items() if k != "NOPE-1"}
    assert cleaned.check_against(portfolio) == []
    assert cleaned.without_missing_operations(portfolio) == (cleaned, [])


@pytest.fixture
def app_with_broken_scenario(isolated_app):
    """A database written before the check: the broken scenario is in it."""
    store = Store.open(isolated_app)
    payload = broken_copy(store).model_dump_json()
    store.close()
    con = duckdb.connect(str(isolated_app))
    con.execute(
        "INSERT INTO scenarios VALUES (?, ?, 'Eve', '', 'Référence', false, 1, now(), now())", [BROKEN, payload]
    )
    con.close()
    return isolated_app


@pytest.mark.parametrize("page", PAGES)
def test_a_link_to_the_broken_scenario_opens_every_page(app_with_broken_scenario, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["scenario"] = BROKEN
    at.session_state["scenario"] = BROKEN  # what the bound picker reads from the link
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert_no_exception(at)
    assert "NOPE-1" not in working_scenario(at).choices
    warnings = [w.value for w in at.warning]
    assert any("NOPE-1" in w and "n'existent plus" in w for w in warnings), warnings
