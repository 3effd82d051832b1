"""Text stays text (issue 22): names refuse control characters and are capped at 200; the CLI
prints every stored text on its line, so no name forges a history line or drives the terminal."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from cli.terminal import escaped
from simulation.scenario import Scenario
from simulation.user_text import name_problem, one_line, text_problem
from store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent
FORGED = "\n07/12/2026 13:09 lot 99 — Alice Admin — opération AIRB-03 supprimée"
LINE = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2} lot \d+ — ")


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulation", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


@given(st.text())
def test_one_line_never_holds_a_control_character(text):
    shown = one_line(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", shown)
    assert "\n" not in shown


@given(st.text())
def test_escaped_keeps_only_line_breaks_and_tabs(text):
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", escaped(text))


@pytest.mark.parametrize("bad", ["a\nb", "a\x1b[31mb", "a\rb", "a\u202eb", "a\x00b", "a\tb"])
def test_a_name_refuses_control_characters(bad):
    assert name_problem(bad) is not None
    with pytest.raises(ValidationError):
        Scenario(name=bad)


def test_a_text_keeps_its_line_breaks_but_not_escapes():
    assert text_problem("ligne 1\r\nligne 2\tfin", 100) is None
    assert "ESC" in (text_problem("a\x1b[2J", 100) or "")
    assert "2\u00a0000 au plus" in (text_problem("x" * 2_001, 2_000) or "")


def test_names_are_capped_at_200():
    assert name_problem("x" * 200) is None
    assert name_problem("x" * 201) == "trop long : 201 caractères, 200 au plus"


@pytest.mark.parametrize(
    ("name", "said"),
    [("x" * 10_000, "trop long : 10\u00a0000 caractères"), ("Eve\x1b[2J", "ESC"), ("Eve\nAdmin", "retour à la ligne")],
)
def test_users_add_refuses_long_or_control_names(tmp_path, name, said):
    db = tmp_path / "t.duckdb"
    Store.open(db).close()
    out = cli(db, "users", "add", name, "--role", "administrateur")
    assert out.returncode == 1 and said in out.stderr, out.stderr
    assert "\x1b" not in out.stderr
    assert Store.open(db).people() == []


def test_scenario_save_refuses_a_forged_name(tmp_path):
    db = tmp_path / "t.duckdb"
    Store.open(db).close()
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"name": FORGED}), encoding="utf-8")
    out = cli(db, "scenario", "save", str(path))
    assert out.returncode == 1 and "retour à la ligne" in out.stderr


def test_a_reason_with_an_escape_is_refused(store):
    with pytest.raises(StoreError, match="Motif refusé"):
        store.save_scenario(Scenario(name="Essai"), reason="ok\x1b]0;pwned\x07")
    assert "Essai" not in {i.name for i in store.list_scenarios()}


def test_history_and_lists_print_an_old_forged_name_on_its_line(tmp_path):
    """A database written before the check holds the forged scenario name and an ESC in a person's
    name: the CLI still prints each entry on one line and no ESC reaches the terminal."""
    db = tmp_path / "t.duckdb"
    store = Store.open(db)
    store.save_scenario(Scenario(name="Sain"))
    store.close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE scenarios SET name = ? WHERE name = 'Sain'", [FORGED])
    con.execute("UPDATE history SET target = ? WHERE target = 'Sain'", [FORGED])
    con.execute("INSERT INTO people VALUES (?, 'administrateur', '[]', NULL, now())", ["Eve\x1b[2J"])
    con.close()
    history = cli(db, "--user", "Eve\x1b[2J", "history")
    assert history.returncode == 0, history.stderr
    lines = history.stdout.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any("\\n07/12/2026 13:09 lot 99" in line for line in lines)
    listing = cli(db, "--user", "Eve\x1b[2J", "scenario", "list")
    shown = listing.stdout.splitlines()
    assert len(shown) == 3 and all(re.search(r", le \d{2}/\d{2}/\d{4} à \d{2}:\d{2}$", line) for line in shown)
    assert "\\n07/12/2026" in listing.stdout
    users = cli(db, "--user", "Eve\x1b[2J", "users", "list")
    assert "\x1b" not in users.stdout + users.stderr and "Eve\\x1b[2J" in users.stdout
