"""The command lines of people, history, milestones, backups, init and scenarios, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from formats.write import operation_to_row
from store import Store
from tests.test_cli import cli


def _as(user: str, *args: str, db: Path):
    return cli("--user", user, *args, db=db)


def test_users_history_restore_round_trip(tmp_path):
    db = tmp_path / "db.duckdb"
    assert _as("alice", "users", "add", "Alice", "--role", "administrateur", db=db).returncode == 0
    out = _as("Alice", "users", "add", "Léa", "--role", "contributeur", "--direction", "Éducation", db=db)
    assert out.returncode == 0, out.stderr
    listed = json.loads(_as("Alice", "users", "list", "--json", db=db).stdout)
    assert listed == [
        {"name": "Alice", "role": "administrateur", "directions": []},
        {"name": "Léa", "role": "contributeur", "directions": ["Éducation"]},
    ]
    refused = _as("Intrus", "run", "--scenario", "Référence", db=db)
    assert refused.returncode == 1 and "n'est pas une personne connue" in refused.stderr

    store = Store.open(db, linger=0)
    op = store.portfolio().by_id["CNSM-02"]
    row = operation_to_row(op) | {"cout_ht": 15_000_000}
    path = tmp_path / "maj.csv"
    path.write_text(";".join(row) + "\n" + ";".join("" if v is None else str(v) for v in row.values()), "utf-8")
    out = _as("Léa", "import", str(path), "--reason", "APS rendu", db=db)
    assert out.returncode == 0, out.stderr
    history = json.loads(_as("Léa", "history", "--operation", "CNSM-02", "--json", db=db).stdout)
    assert [(h["field"], h["before"], h["after"], h["user"], h["reason"], h["version"]) for h in history] == [
        ("cost_ht", op.cost_ht, 15_000_000, "Léa", "APS rendu", 2)
    ]
    assert set(history[0]) >= {"at", "user", "kind", "target", "field", "before", "after", "reason", "version"}
    refused = _as("Léa", "restore", "--operation", "CNSM-02", "--version", "1", db=db)
    assert refused.returncode == 1 and "réservée aux administrateurs" in refused.stderr
    assert _as("Alice", "restore", "--operation", "CNSM-02", "--version", "1", db=db).returncode == 0
    assert Store.open(db, linger=0).portfolio().by_id["CNSM-02"] == op


def test_milestone_create_list_drift(tmp_path):
    db = tmp_path / "db.duckdb"
    assert _as("x", "milestone", "create", "Comité d'engagement – mars 2027", db=db).returncode == 0
    assert "Comité d'engagement – mars 2027" in _as("x", "milestone", "list", db=db).stdout
    store = Store.open(db, linger=0)
    op = store.portfolio().by_id["CNSM-02"]
    store.save_operation(op.model_copy(update={"start": "2023-04"}))  # 12 months later
    out = _as("x", "milestone", "drift", "Comité d'engagement – mars 2027", "--json", db=db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    row = next(r for r in data["operations"] if r["id"] == "CNSM-02")
    assert {k: row[k] for k in ("status", "slippage_months", "cost_ht_before", "cost_ht_after")} == {
        "status": "modifiée",
        "slippage_months": 12,
        "cost_ht_before": op.cost_ht,
        "cost_ht_after": op.cost_ht,
    }
    assert {"works_start_before", "works_start_after"} <= set(row)
    assert data["n_modified"] == 1 and data["n_unchanged"] == len(data["operations"]) - 1
    text = _as("x", "milestone", "drift", "Comité d'engagement – mars 2027", db=db).stdout
    assert "+12 mois" in text and "M€" in text
    run = _as("x", "run", "--scenario", "Référence", "--milestone", "Comité d'engagement – mars 2027", db=db)
    assert run.returncode == 0, run.stderr


def test_backup_writes_a_copy_that_db_opens(tmp_path):
    db = tmp_path / "db.duckdb"
    copy = tmp_path / "sauvegarde.duckdb"
    out = _as("x", "backup", str(copy), db=db)
    assert out.returncode == 0, out.stderr
    original = _as("x", "run", "--scenario", "Référence", "--json", db=db).stdout
    assert _as("x", "run", "--scenario", "Référence", "--json", db=copy).stdout == original


def test_init_with_the_citys_portfolio_then_refused_then_forced(tmp_path):
    db = tmp_path / "ville.duckdb"
    out = _as("x", "init", "--operations", "data/operations.csv", db=db)
    assert out.returncode == 0, out.stderr
    listed = json.loads(_as("x", "scenario", "list", "--json", db=db).stdout)
    assert [s["name"] for s in listed] == ["Référence"]
    assert not Store.open(db, linger=0).is_demo()
    again = _as("x", "init", "--operations", "data/operations.csv", db=db)
    assert again.returncode == 1 and "--force" in again.stderr
    forced = _as("x", "init", "--operations", "data/operations.csv", "--force", db=db)
    assert forced.returncode == 0, forced.stderr
    assert "Sauvegarde prise" in forced.stdout and list(tmp_path.glob("ville.avant-init-*.duckdb"))


def test_scenario_show_save_delete_restore(tmp_path):
    db = tmp_path / "db.duckdb"
    shown = _as("x", "scenario", "show", "Référence", db=db)
    assert shown.returncode == 0 and "version 1" in shown.stderr
    scenario = json.loads(shown.stdout)
    scenario["name"] = "Copie"
    path = tmp_path / "copie.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    run = _as("x", "run", "--scenario", str(path), db=db)
    assert run.returncode == 0, run.stderr
    assert "version 1" in _as("x", "scenario", "save", str(path), db=db).stdout
    again = _as("x", "scenario", "save", str(path), db=db)
    assert again.returncode == 1 and "--version 1" in again.stderr
    assert "version 2" in _as("x", "scenario", "save", str(path), "--version", "1", db=db).stdout
    stale = _as("x", "scenario", "save", str(path), "--version", "1", db=db)
    assert stale.returncode == 1 and "rien n'a été" in stale.stderr
    assert _as("x", "scenario", "delete", "Copie", db=db).returncode == 0
    assert "Copie" not in _as("x", "scenario", "list", db=db).stdout
    assert _as("x", "restore", "--scenario", "Copie", db=db).returncode == 0
    assert "Copie" in _as("x", "scenario", "list", db=db).stdout


def test_report_with_drift_adds_the_sheet(tmp_path):
    import openpyxl

    db = tmp_path / "db.duckdb"
    assert _as("x", "milestone", "create", "Jalon", db=db).returncode == 0
    out = _as("x", "report", "--scenario", "Référence", "--drift", "Jalon", "--out", str(tmp_path / "note"), db=db)
    assert out.returncode == 0, out.stderr
    book = openpyxl.load_workbook(tmp_path / "note" / "tableaux.xlsx", read_only=True)
    assert "Dérive depuis le jalon" in book.sheetnames
