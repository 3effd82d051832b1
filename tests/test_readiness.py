"""Readiness for the engagement committee: levels, missing items, neighbourhood counts, CLI."""

from __future__ import annotations

import json

import pytest

from simulation.readiness import ABSENT, DEFINED, PARTIAL, operation_readiness, readiness_records
from tests.factories import operation, portfolio
from tests.test_cli import ROOT, cli

COMPLETE = {
    "area_m2": 2500.0,
    "capacity": 12,
    "programme": "Groupe scolaire de 12 classes",
    "maturity": "programme",
    "funding": {"anru": 300_000.0},
    "programming_months": 3,
    "design_months": 12,
    "tendering_months": 4,
}


def test_a_complete_operation_is_ready():
    row = operation_readiness(operation(**COMPLETE))
    assert (row.programme, row.cost, row.calendar) == (DEFINED, DEFINED, DEFINED)
    assert row.ready and row.missing == ()


def test_programme_levels_name_what_is_missing():
    partial = operation_readiness(operation(**{**COMPLETE, "capacity": None}))
    assert partial.programme == PARTIAL
    assert partial.missing == ("programme : capacité (classes, places)",)
    absent = operation_readiness(operation(**{**COMPLETE, "capacity": None, "area_m2": None, "programme": "  "}))
    assert absent.programme == ABSENT
    assert absent.missing == (
        "programme : surface",
        "programme : capacité (classes, places)",
        "programme : texte du programme",
    )
    assert not absent.ready
    # A park states no capacity: surface and text define its programme.
    park = operation_readiness(operation(**{**COMPLETE, "facility_type": "parc", "capacity": None}))
    assert park.programme == DEFINED


def test_cost_levels():
    row = operation_readiness(operation(**{**COMPLETE, "maturity": "faisabilite", "funding": {}}))
    assert row.cost == PARTIAL
    assert row.missing == ("coût : maturité au moins « programme validé »", "coût : plan de financement")
    # A cost HT is always there (the model refuses 0 €, issue 9): at intention with no financing,
    # the cost level is partial, never absent.
    row = operation_readiness(operation(**{**COMPLETE, "maturity": "intention", "funding": {}}))
    assert row.cost == PARTIAL
    assert operation_readiness(operation(**{**COMPLETE, "maturity": "etudes"})).cost == DEFINED


def test_calendar_levels_phases_already_passed_and_dependency():
    row = operation_readiness(operation(**{**COMPLETE, "design_months": 0}))
    assert row.calendar == PARTIAL and row.missing == ("calendrier : durée de conception",)
    # In works, design and tendering are behind the operation: 0 months is a stated duration.
    in_works = operation_readiness(
        operation(
            **{**COMPLETE, "maturity": "travaux", "design_months": 0, "tendering_months": 0, "programming_months": 0}
        )
    )
    assert in_works.calendar == DEFINED
    # A demolition-reconstruction must name what it waits for.
    rebuild = operation_readiness(operation(**{**COMPLETE, "nature": "reconstruction"}))
    assert rebuild.calendar == PARTIAL
    assert rebuild.missing == ("calendrier : dépendance (démolition ou libération foncière attendue)",)
    stated = portfolio(
        operation("D", **COMPLETE), operation("R", **{**COMPLETE, "nature": "reconstruction", "depends_on": "D"})
    )
    assert all(r["calendar"] == DEFINED for r in readiness_records(stated)["operations"])


def test_neighbourhood_counts_and_filter():
    ops = portfolio(
        operation("A", **COMPLETE),
        operation("B", **{**COMPLETE, "capacity": None}),
        operation("C", **{**COMPLETE, "capacity": None, "funding": {}}, directorate="Sports"),
        operation("D", **COMPLETE, neighbourhood="SAVI"),
    )
    records = readiness_records(ops)
    airbel = records["neighbourhoods"][0]
    assert (airbel["code"], airbel["n_operations"], airbel["n_ready"]) == ("AIRB", 3, 1)
    assert airbel["missing"] == {"programme : capacité (classes, places)": 2, "coût : plan de financement": 1}
    assert airbel["directorates_to_act"] == ["Sports", "Éducation"]
    assert [n["code"] for n in records["neighbourhoods"]] == ["AIRB", "SAVI"]
    only = readiness_records(ops, "SAVI")
    assert [o["id"] for o in only["operations"]] == ["D"]
    assert [n["code"] for n in only["neighbourhoods"]] == ["SAVI"]
    assert set(only["operations"][0]) >= {"id", "programme", "cost", "calendar", "missing"}


def test_cli_readiness_on_files_and_store(tmp_path):
    out = cli("readiness", "--operations", "data/operations.csv", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"operations", "neighbourhoods"}
    assert len(data["operations"]) == len((ROOT / "data/operations.csv").read_text(encoding="utf-8").splitlines()) - 1
    for op in data["operations"]:
        assert {op["programme"], op["cost"], op["calendar"]} <= {"défini", "partiel", "absent"}
        assert op["ready"] == (not op["missing"])
    out = cli("readiness", "--neighbourhood", "AIRB", db=tmp_path / "db.duckdb")
    assert out.returncode == 0, out.stderr
    assert "Air Bel (AIRB)" in out.stdout and "prête(s) sur" in out.stdout
    out = cli("readiness", "--neighbourhood", "NOPE", "--operations", "data/operations.csv")
    assert out.returncode == 1
    assert out.stderr.startswith("Erreur : quartier inconnu 'NOPE'") and "Traceback" not in out.stderr


@pytest.mark.parametrize("json_flag", [False, True])
def test_cli_staffing_on_files_and_store(tmp_path, json_flag):
    extra = ["--json"] if json_flag else []
    on_files = cli(
        "staffing", "--operations", "data/operations.csv", "--scenario", "data/scenario_reference.json", *extra
    )
    on_store = cli("staffing", "--scenario", "Référence", *extra, db=tmp_path / "db.duckdb")
    assert on_files.returncode == 0 and on_store.returncode == 0, on_files.stderr + on_store.stderr
    if json_flag:
        data = json.loads(on_store.stdout)
        assert data["lead_months"] == 6
        coordination = [r for r in data["recommendations"] if r["directorate"] == "Coordination NPNRU"]
        assert len(coordination) == 1 and 1 <= coordination[0]["fte"] <= 2
        assert json.loads(on_files.stdout)["recommendations"] == data["recommendations"]
    else:
        assert "ETP en Coordination NPNRU à partir de" in on_store.stdout


def test_cli_staffing_refuses_an_unknown_directorate_in_french(tmp_path):
    scenario = json.loads((ROOT / "data/scenario_reference.json").read_text(encoding="utf-8"))
    scenario["recruitments"] = [{"direction": "Voirie", "fte": 1, "from": "2026-01", "to": None}]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    out = cli("staffing", "--operations", "data/operations.csv", "--scenario", str(path))
    assert out.returncode == 1 and "direction inconnue 'Voirie'" in out.stderr and "Traceback" not in out.stderr


def test_funding_warnings_name_the_rule_to_check():
    from simulation.funder_rules import funding_warnings

    assert funding_warnings(operation(**COMPLETE)) == []
    gym = operation(**{**COMPLETE, "facility_type": "gymnase", "funding": {"caf": 100_000.0}})
    [caf] = funding_warnings(gym)
    assert caf.startswith("Financement CAF (100\u00a0000\u00a0€) sur un équipement qui n'est ni une crèche")
    assert funding_warnings(operation(**{**COMPLETE, "facility_type": "creche", "funding": {"caf": 100_000.0}})) == []
    # 1 M€ HT: 800 000 € of funding is the most a Ville operation takes without a derogation.
    assert funding_warnings(operation(**{**COMPLETE, "funding": {"anru": 800_000.0}})) == []
    [share] = funding_warnings(operation(**{**COMPLETE, "funding": {"anru": 700_000.0, "region": 150_000.0}}))
    assert "85\u00a0%" in share and "L1111-10" in share
    assert funding_warnings(operation(**{**COMPLETE, "owner": "Bailleur", "funding": {"anru": 900_000.0}})) == []
    [concours] = funding_warnings(operation(**{**COMPLETE, "owner": "Metropole", "funding": {"metropole": 1.0}}))
    assert "fonds de concours" in concours
