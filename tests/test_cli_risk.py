"""``python -m simulation risk``: the fixed JSON shape, reproducibility, French refusals."""

from __future__ import annotations

import json

import pytest

from simulation.risk import simulate_risk
from store import load_portfolio, load_scenario_file
from tests.test_cli import ROOT, cli

FILES = ("--operations", "data/operations.csv", "--scenario", "data/scenario_reference.json")


def test_risk_json_has_the_fixed_shape_and_matches_the_engine():
    out = cli("risk", *FILES, "--draws", "50", "--seed", "4", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["draws", "seed", "operations", "yearly", "anru_lost", "late_operations"]
    assert (data["draws"], data["seed"]) == (50, 4)
    assert all(
        set(op)
        == {"id", "p_commitment_on_time", "p_completion_on_time", "cost_ttc_mean", "cost_ttc_p90", "anru_lost_mean"}
        for op in data["operations"]
    )
    assert all(set(row) == {"owner", "year", "p10", "p50", "p90", "envelope", "p_over"} for row in data["yearly"])
    expected = simulate_risk(
        load_portfolio(ROOT / "data/operations.csv"), load_scenario_file(ROOT / "data/scenario_reference.json"), 50, 4
    ).to_json()
    assert data == json.loads(json.dumps(expected))


def test_risk_same_seed_same_bytes():
    first = cli("risk", *FILES, "--draws", "30", "--seed", "8", "--json")
    second = cli("risk", *FILES, "--draws", "30", "--seed", "8", "--json")
    assert first.returncode == 0 and first.stdout == second.stdout


def test_risk_text_summary_is_french():
    out = cli("risk", *FILES, "--draws", "20")
    assert out.returncode == 0, out.stderr
    assert "20 tirages" in out.stdout and "Où agir d'abord" in out.stdout
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("draws", "words"), [("0", "entre 1 et 100 000"), ("100001", "entre 1 et 100 000"), ("x", "entier invalide")]
)
def test_risk_bad_draws_are_refused_in_french(draws, words):
    out = cli("risk", *FILES, "--draws", draws)
    assert out.returncode != 0
    assert words in out.stderr and "Traceback" not in out.stderr


def test_risk_bad_uncertainty_in_the_scenario_file_is_refused_in_french(tmp_path):
    scenario = json.loads((ROOT / "data/scenario_reference.json").read_text(encoding="utf-8"))
    scenario["uncertainty"] = {"programme": {"cost": [0.3, 0.1, 0.2]}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    out = cli("risk", "--operations", "data/operations.csv", "--scenario", str(path))
    assert out.returncode == 1
    assert "bas ≤ mode ≤ haut" in out.stderr and "Traceback" not in out.stderr


def test_report_includes_the_fan_chart_and_refuses_bad_draws(tmp_path):
    out = tmp_path / "dossier"
    run = cli("report", *FILES, "--out", str(out), "--date", "2026-03-01", "--draws", "20")
    assert run.returncode == 0, run.stderr
    assert (out / "risques_cp.png").exists() and (out / "risques_cp.svg").exists()
    refused = cli("report", *FILES, "--out", str(tmp_path / "autre"), "--draws", "0")
    assert refused.returncode == 1
    assert "nombre de tirages" in refused.stderr and "Traceback" not in refused.stderr
