"""The actuals room and file (issue 19): import all or nothing, roles, history, CLI keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main
from formats.actuals import ACTUAL_COLUMNS, actuals_xlsx_bytes
from formats.errors import ImportRefused
from simulation.model import Actual
from store import AccessDenied, Store, StoreError
from store.database import SCHEMA_VERSION


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _frozen(store: Store) -> bytes:
    store.close()
    return store.path.read_bytes()


def test_schema_is_version_3_and_the_demo_ships_actuals_ap_and_a_milestone_before_them(store):
    assert SCHEMA_VERSION >= 3
    portfolio = store.portfolio()
    assert {a.year for a in portfolio.actuals} == {2023, 2024}
    assert sum(op.ap_votee is not None for op in portfolio.operations) > 10
    execution, milestones = store.execution(store.load_scenario("Référence").scenario)
    assert set(milestones) == {2023, 2024}
    owners = execution[execution["level"] == "owner"].groupby("year")[["planned_ttc", "paid_ttc"]].sum()
    rates = owners["paid_ttc"] / owners["planned_ttc"]
    assert ((rates >= 0.65) & (rates <= 0.75)).all(), rates


def test_arbitre_imports_a_french_excel_csv_and_a_year_present_is_replaced_with_history(team, tmp_path):
    arbitre = team.as_user("Arnaud")
    first = _csv(
        tmp_path / "r.csv", "id;annee;mandate_ttc;engage_ttc;recu_anru\nAIRB-01;2024;1 234,5;2000;100\n", "cp1252"
    )
    summary = arbitre.import_actuals(first, reason="compte administratif 2024")
    assert summary.years == [2024] and summary.rows == 1
    rows = arbitre.actuals("AIRB-01")
    assert rows == (
        Actual(operation_id="AIRB-01", year=2024, mandate_ttc=1234.5, engage_ttc=2000, received={"anru": 100}),
    )
    # The year 2024 is replaced whole: the demo's other 2024 rows are gone, 2023 stays.
    assert {a.year for a in arbitre.actuals()} == {2023, 2024}
    assert len([a for a in arbitre.actuals() if a.year == 2024]) == 1
    second = _csv(tmp_path / "r2.csv", "id;annee;mandate_ttc\nAIRB-01;2024;999\n")
    assert arbitre.import_actuals(second).replaced == 1
    history = [h for h in arbitre.history() if h.kind == "réalisé" and h.target == "AIRB-01"]
    assert any(
        h.before and h.before.get("mandate_ttc") == 1234.5 and h.after == {"mandate_ttc": 999.0} for h in history
    )


def test_an_xlsx_made_from_the_template_imports(team, tmp_path):
    path = tmp_path / "realise.xlsx"
    path.write_bytes(actuals_xlsx_bytes())
    book = load_workbook(path)
    assert [c.value for c in book["realise"][1]] == list(ACTUAL_COLUMNS)
    book["realise"].append(["AIRB-01", 2025, 50000.0])
    book.save(path)
    team.as_user("Admin").import_actuals(path)
    assert team.actuals("AIRB-01")[-1].mandate_ttc == 50000.0


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("id;annee;mandate_ttc\nAIRB-01;2024;-5\n", "ligne 2, colonne mandate_ttc"),
        ("id;annee;mandate_ttc\nNOPE-99;2024;5\n", "ligne 2, colonne id"),
        ("id;annee;mandate_ttc;payé\nAIRB-01;2024;5;1\n", "colonne payé"),
        ("id;annee\nAIRB-01;2024\n", "colonne mandate_ttc"),
        ("id;annee;mandate_ttc\nAIRB-01;2024;5\nAIRB-02;deux;5\n", "ligne 3, colonne annee"),
        ("id;annee;mandate_ttc\nAIRB-01;2024;5\nAIRB-01;2024;6\n", "ligne 3, colonne annee"),
        ("id;annee;mandate_ttc\nAIRB-01;2024;1.234\n", "ligne 2, colonne mandate_ttc"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_row_and_column_and_the_store_is_byte_identical(team, tmp_path, text, where):
    path = _csv(tmp_path / "bad.csv", text)
    before = _frozen(team)
    with pytest.raises(ImportRefused) as refused:
        team.as_user("Arnaud").import_actuals(path)
    assert where in str(refused.value)
    assert "aucune donnée n'a été modifiée" in str(refused.value)
    assert _frozen(team) == before


@pytest.mark.parametrize("person", ["Léa", "Luc"])
def test_only_an_arbitre_or_administrateur_imports_and_everyone_reads(team, tmp_path, person):
    path = _csv(tmp_path / "r.csv", "id;annee;mandate_ttc\nAIRB-01;2024;5\n")
    before = _frozen(team)
    with pytest.raises(AccessDenied):
        team.as_user(person).import_actuals(path)
    assert _frozen(team) == before
    assert team.as_user(person).actuals()


def test_a_person_who_may_not_import_never_has_the_file_parsed(team, tmp_path, monkeypatch):
    import formats.actuals

    def parsed(*args, **kwargs):
        raise AssertionError("the file was parsed for a person who may not import it")

    monkeypatch.setattr(formats.actuals, "read_actuals", parsed)
    path = _csv(tmp_path / "r.csv", "id;annee;mandate_ttc\nAIRB-01;2024;5\n")
    with pytest.raises(AccessDenied, match="importer le réalisé"):
        team.as_user("Léa").import_actuals(path)


def test_a_huge_file_is_refused_before_it_is_parsed(team, tmp_path, monkeypatch):
    monkeypatch.setenv("SIMULATEUR_IMPORT_MAX_MO", "1")
    path = tmp_path / "big.csv"
    path.write_bytes(b"id;annee;mandate_ttc\n" + b"AIRB-01;2024;5\n" * 200_000)
    with pytest.raises(ImportRefused, match="trop volumineux"):
        team.as_user("Arnaud").import_actuals(path)


def test_cli_import_list_json_and_run_keys(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    demo = Store.open(db, linger=0).actuals()
    path = _csv(tmp_path / "r.csv", "id;annee;mandate_ttc;engage_ttc\nAIRB-01;2024;1000;1500\n")
    assert main(["--db", db, "actuals", "import", str(path), "--reason", "CA 2024"]) == 0
    assert "Réalisé importé" in capsys.readouterr().out
    assert main(["--db", db, "actuals", "list", "--operation", "AIRB-01", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {"id", "year", "mandate_ttc", "engage_ttc"} <= set(records[0])
    assert [(r["year"], r["mandate_ttc"]) for r in records if r["year"] == 2024] == [(2024, 1000.0)]
    assert main(["--db", db, "run", "--scenario", "Référence", "--json"]) == 0
    run = json.loads(capsys.readouterr().out)
    for key in ("paid_ttc", "remaining_ttc", "incurred_overrun_ttc", "ap_voted", "ap_revision_needed"):
        assert key in run["kpis"] and key in run["operations"][0]
    assert "paid_ttc" in run["yearly"][0]
    assert run["kpis"]["paid_ttc"] == pytest.approx(sum(y["paid_ttc"] for y in run["yearly"]))
    assert main(["--db", db, "actuals", "import", str(tmp_path / "absent.csv")]) != 0
    assert "fichier introuvable" in capsys.readouterr().err
    lot = max(c.id for c in Store.open(db).change_sets())  # the import above
    assert main(["--db", db, "undo", str(lot), "--reason", "mauvais exercice"]) == 0
    # The import replaced the whole year 2024: every demo row of 2024, and AIRB-01's, is put back as it was.
    restored = len({a.operation_id for a in demo if a.year == 2024} | {"AIRB-01"})
    assert capsys.readouterr().out == (
        f"Lot n° {lot} annulé : réalisé rétabli tel qu'avant l'import : {restored} ligne(s) pour 2024 "
        f"(lot de modifications n° {lot + 1}).\n"
    )
    assert Store.open(db, linger=0).actuals() == demo


def test_cli_template_writes_the_blank_workbook(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "realise.xlsx"
    with out.open("wb") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "simulation", "--db", str(tmp_path / "t.duckdb"), "actuals", "template"],
            stdout=handle,
            check=False,
        )
    assert done.returncode == 0
    assert [c.value for c in load_workbook(out)["realise"][1]] == list(ACTUAL_COLUMNS)


def test_an_actuals_import_is_undone_whole_and_the_accounts_are_as_before(team, tmp_path):
    """Undo puts back the rows the import replaced or removed and takes out those it added, as
    a new change set in the history; the portfolio's figures are those from before the import."""
    arbitre, admin = team.as_user("Arnaud"), team.as_user("Admin")
    before = arbitre.actuals()
    paid_before = team.portfolio().actuals
    wrong = _csv(
        tmp_path / "faux.csv",
        "id;annee;mandate_ttc;engage_ttc;recu_anru\nAIRB-01;2024;9 999 999;1000;50\nAIRB-01;2025;123\n",
    )
    imported = arbitre.import_actuals(wrong, reason="mauvais fichier")
    assert arbitre.actuals() != before
    with pytest.raises(AccessDenied):  # undoing a change set is an administrateur's
        arbitre.undo_change_set(imported.change_set)
    undone = admin.undo_change_set(imported.change_set, reason="fichier de l'an dernier")
    assert str(undone).startswith("réalisé rétabli tel qu'avant l'import")
    assert undone.years == [2024, 2025]
    assert arbitre.actuals() == before
    assert team.portfolio().actuals == paid_before
    sets = {c.id: c for c in team.change_sets()}
    assert sets[imported.change_set].undone_by == undone.change_set
    lines = [h for h in team.history() if h.kind == "réalisé" and h.target == "AIRB-01" and h.field == "2025"]
    assert [(h.before, h.after) for h in lines][:2] == [({"mandate_ttc": 123.0}, None), (None, {"mandate_ttc": 123.0})]
    with pytest.raises(StoreError, match="déjà été annulé"):
        admin.undo_change_set(imported.change_set)


def test_an_actuals_import_changed_since_is_not_undone_and_nothing_moves(team, tmp_path):
    arbitre, admin = team.as_user("Arnaud"), team.as_user("Admin")
    first = arbitre.import_actuals(_csv(tmp_path / "a.csv", "id;annee;mandate_ttc\nAIRB-01;2025;100\n"))
    arbitre.import_actuals(_csv(tmp_path / "b.csv", "id;annee;mandate_ttc\nAIRB-01;2025;200\n"))
    frozen = _frozen(team)
    with pytest.raises(StoreError) as refused:
        admin.undo_change_set(first.change_set)
    assert "AIRB-01 (2025) a changé depuis" in str(refused.value)
    assert _frozen(team) == frozen
