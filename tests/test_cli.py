"""The command line: ``python -m simulation …`` as a user runs it.

``cli`` calls ``cli.main.main``, the very function ``python -m simulation`` hands over to, in this
process: the same parsing, handlers, messages and exit codes, without a second of interpreter
start-up for each of the suite's many calls. ``cli_process`` runs the real command in a
subprocess, for what only a process shows (its start-up, its streams' encoding, its exit status).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from cli.main import main
from simulation import Scenario, simulate
from store import load_portfolio, load_scenario_file

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m simulation [--db DB] ARGS`` run in this process, from the repository's root."""
    argv = (["--db", str(db)] if db is not None else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["python", "-m", "simulation", *argv], code, out.getvalue(), err.getvalue())


def cli_process(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in a subprocess."""
    command = [sys.executable, "-m", "simulation"]
    if db is not None:
        command += ["--db", str(db)]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_real_command_starts_runs_and_answers_in_french(tmp_path):
    """One real process: the start-up, the exit status and the French usage error."""
    out = cli_process("--db", str(tmp_path / "db.duckdb"), "scenario", "list")
    assert out.returncode == 0, out.stderr
    assert "Référence" in out.stdout
    refused = cli_process("scenario")
    assert refused.returncode == 2 and "utilisation : python -m simulation" in refused.stderr
    assert "usage" not in refused.stderr


def test_scenario_template_is_a_complete_default_scenario():
    out = cli("scenario-template")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    for key in [
        "name",
        "reference_month",
        "horizon_year",
        "escalation_rate",
        "commitment_deadline",
        "completion_deadline",
        "commitment_milestone",
        "phase_shares",
        "staff_load",
        "fctva_rate",
        "fctva_lag_years",
        "capacity_owner",
        "envelopes",
        "headcount",
        "choices",
    ]:
        assert key in data
    assert Scenario.model_validate(data) == Scenario()


def test_run_on_files_as_json_matches_the_engine(tmp_path):
    scenario_file = tmp_path / "s.json"
    reference = load_scenario_file(ROOT / "data/scenario_reference.json")
    portfolio = load_portfolio(ROOT / "data/operations.csv")
    future = next(op.id for op in portfolio.operations if op.start >= reference.reference_month)
    scenario = reference.with_choice(future, shift_months=12)
    scenario_file.write_text(scenario.model_dump_json(), encoding="utf-8")
    out = cli("run", "--operations", "data/operations.csv", "--scenario", str(scenario_file), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"kpis", "operations", "yearly", "staff"}
    expected = simulate(portfolio, scenario)
    assert data["kpis"]["spending_ttc"] == pytest.approx(expected.kpis["spending_ttc"])
    assert data["kpis"]["anru_lost"] == pytest.approx(expected.kpis["anru_lost"])
    first = data["operations"][0]
    assert len(first["works_start"]) == 7 and first["works_start"][4] == "-"
    assert {r["operation_id"] for r in data["operations"]} == set(expected.operations["operation_id"])
    assert isinstance(data["yearly"][0]["year"], int)
    assert data["staff"][0]["month"][4] == "-"


def test_run_from_the_store_prints_french_kpis(tmp_path):
    out = cli("run", "--scenario", "Référence", db=tmp_path / "db.duckdb")
    assert out.returncode == 0, out.stderr
    assert "Scénario : Référence" in out.stdout and "M€" in out.stdout


def test_import_export_through_the_cli(tmp_path):
    db = tmp_path / "db.duckdb"
    out = cli("export", str(tmp_path / "out"), db=db)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out/operations.csv").exists() and (tmp_path / "out/operations.xlsx").exists()
    out = cli("import", str(tmp_path / "out/operations.xlsx"), db=db)
    assert out.returncode == 0, out.stderr
    assert "0 opération(s) ajoutée(s)" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "--scenario", "Inconnu"), "Aucun scénario nommé « Inconnu »"),
        (("run", "--operations", "nope.csv", "--scenario", "data/scenario_reference.json"), "fichier introuvable"),
        (("import", "pyproject.toml"), "format non reconnu"),
        (("run",), "arguments obligatoires manquants"),
    ],
)
def test_errors_are_french_without_traceback(tmp_path, args, message):
    out = cli(*args, db=tmp_path / "db.duckdb")
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_invalid_scenario_file_names_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"escalation_rate": "beaucoup", "fctva_lag_years": 5}', encoding="utf-8")
    out = cli("run", "--operations", "data/operations.csv", "--scenario", str(bad))
    assert out.returncode == 1
    assert "escalation_rate : nombre attendu (valeur reçue : 'beaucoup')" in out.stderr
    assert "fctva_lag_years" in out.stderr and "Traceback" not in out.stderr


def test_bad_import_file_is_refused_and_lists_rows(tmp_path):
    db = tmp_path / "db.duckdb"
    cli("export", str(tmp_path / "out"), db=db)
    path = tmp_path / "out/operations.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[3].split(";")
    cells[12] = "vingt"  # taux_tva
    lines[3] = ";".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    out = cli("import", str(path), db=db)
    assert out.returncode == 1
    assert "ligne 4, colonne taux_tva — valeur 'vingt' : nombre attendu" in out.stderr
