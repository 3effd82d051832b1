"""``python -m simulation fit``: the assistant on the command line, on the store or on files."""

from __future__ import annotations

import json

from simulation import Scenario
from simulation.fit import FitSettings, build_problem
from store import Store
from tests.test_cli import ROOT, cli

DEMO_OPERATIONS = ROOT / "data" / "operations.csv"
DEMO_SCENARIO = ROOT / "data" / "scenario_reference.json"


def test_fit_from_the_store_writes_a_scenario_that_run_accepts(tmp_path):
    db, out = tmp_path / "s.duckdb", tmp_path / "proposition.json"
    done = cli("fit", "--scenario", "Référence", "--engine", "greedy", "--out", str(out), db=db)
    assert done.returncode == 0, done.stderr
    assert "Glouton (par priorité) — statut" in done.stdout
    assert "Opérations décalées" in done.stdout and "cause : " in done.stdout
    assert "Vérifié par le moteur" in done.stdout
    proposal = Scenario.model_validate_json(out.read_text(encoding="utf-8"))
    assert proposal.parent == "Référence" and proposal.choices
    again = cli("run", "--scenario", str(out), "--json", db=db)
    assert again.returncode == 0, again.stderr
    # The demo's accounts carry 2023-2024's unpaid CP into 2025: the operations under way alone
    # overrun some envelopes, which no phasing of the others can undo. The proposal adds nothing.
    store = Store.open(db)
    try:
        portfolio, reference = store.portfolio(), store.load_scenario("Référence").scenario
    finally:
        store.close()
    forced = build_problem(portfolio, reference, FitSettings()).committed_result.kpis["total_overrun"]
    assert "Déjà au-dessus des limites du seul fait des opérations engagées" in done.stdout
    assert json.loads(again.stdout)["kpis"]["total_overrun"] < forced + 1e6


def test_fit_on_files_with_the_optimiser(tmp_path):
    done = cli(
        "fit",
        "--operations",
        str(DEMO_OPERATIONS),
        "--scenario",
        str(DEMO_SCENARIO),
        "--engine",
        "optimal",
        "--time-limit",
        "2",
        "--mode",
        "carry_forward",
        "--grid",
        "quarterly",
    )
    assert done.returncode == 0, done.stderr
    assert "Optimiseur CP-SAT — statut" in done.stdout
    assert "étape « ANRU sécurisée »" in done.stdout
    assert "Crédits non consommés reportés" in done.stdout


def test_fit_errors_are_french(tmp_path):
    db = tmp_path / "s.duckdb"
    unknown = cli("fit", "--scenario", "Référence", "--force-in", "NOPE", db=db)
    assert unknown.returncode == 1
    assert "opération imposée 'NOPE'" in unknown.stderr and "Traceback" not in unknown.stderr
    both = cli("fit", "--scenario", "Référence", "--force-in", "AIRB-04", "--force-out", "AIRB-04", db=db)
    assert both.returncode == 1 and "à la fois imposée" in both.stderr
    missing = cli("fit", "--scenario", "Inconnu", db=db)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr


def test_impossible_lock_is_explained_and_exits_non_zero(tmp_path):
    scenario = json.loads(DEMO_SCENARIO.read_text(encoding="utf-8"))
    scenario["envelopes"]["Ville"] = dict.fromkeys(scenario["envelopes"]["Ville"], 0)
    path = tmp_path / "zero.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    done = cli(
        "fit",
        "--operations",
        str(DEMO_OPERATIONS),
        "--scenario",
        str(path),
        "--engine",
        "greedy",
        "--force-in",
        "CNSM-04",
    )
    assert done.returncode == 1
    assert "Aucun phasage ne respecte toutes les contraintes" in done.stdout
    assert "maintien imposé de CNSM-04" in done.stdout and "ne peuvent être tenus ensemble" in done.stdout
