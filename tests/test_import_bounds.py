"""Bounded parsing that cannot be fooled (issue 22): rows counted as kept, row numbers checked,
problems capped, the role checked before any parsing, one file parsed at a time per process,
and the smaller refusals (long cell, huge integer, export onto a file) said in French."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import formats.limits
import formats.read
import formats.update
from formats.errors import ImportIssue, ImportRefused, Issues
from formats.files import load_portfolio
from formats.limits import reading_turn
from formats.read import read_table
from formats.write import write_csv
from store import AccessDenied, Store

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
from make_corpus import COLUMNS, csv_bytes, repeated_row_number, row

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus"


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulation", "--db", str(db), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("number", ["2", "-5", "0", "1.5", "x"])
def test_a_row_number_not_positive_and_increasing_is_refused_at_once(tmp_path, number):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(repeated_row_number(number, 200_000))
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        read_table(path)
    assert time.perf_counter() - started < 5
    reason = refused.value.issues[0].reason
    assert "numéro de ligne invalide" in reason or "suit la ligne" in reason
    assert refused.value.issues[0].row == 2 or number in ("-5", "0", "1.5", "x")


def test_the_rows_kept_are_counted_not_their_numbers(tmp_path, monkeypatch):
    """Even with valid numbers, the count of kept rows stops the read (as the CSV reader does)."""
    monkeypatch.setattr(formats.read, "_row_number", lambda declared, previous, source, limits: previous + 1)
    limits = formats.limits.ImportLimits(max_rows=50)
    path = tmp_path / "rows.xlsx"
    path.write_bytes(repeated_row_number("2", 1_000))
    with pytest.raises(ImportRefused, match="trop de lignes"):
        read_table(path, limits)


def test_problems_are_capped_at_100_and_the_rest_counted():
    with pytest.raises(ImportRefused) as refused:
        load_portfolio(CORPUS / "many_problems.csv")
    exc = refused.value
    assert len(exc.issues) == ImportRefused.LISTED == 100
    assert exc.total == 9_000 * 14
    assert str(exc).startswith("Import refusé : 126\u00a0000 problème(s) dans many_problems.csv")
    assert str(exc).endswith("… et 125\u00a0900 autres")


def test_issues_keep_the_first_hundred_only():
    issues = Issues()
    for i in range(1_000):
        issues.append(ImportIssue(i, "id", None, "x"))
    refusal = issues.refusal("f.csv")
    assert [i.row for i in refusal.issues] == list(range(100)) and refusal.total == 1_000 and refusal.more == 900


@pytest.fixture
def team(store):
    store.add_person("Admin", "administrateur")
    admin = store.as_user("Admin")
    admin.add_person("Léa", "contributeur", ("Éducation",))
    admin.add_person("Luc", "lecteur")
    return store


@pytest.mark.parametrize("user", ["Luc", None, "Inconnu"])
def test_a_person_who_may_not_import_never_makes_the_file_parsed(team, tmp_path, monkeypatch, user):
    def parse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(formats.update, "read_table", parse)
    path = tmp_path / "ops.csv"
    path.write_bytes(csv_bytes([row()]))
    with pytest.raises(AccessDenied):
        team.as_user(user).import_operations(path)


def test_a_contributeur_may_not_parse_a_replace_import(team, tmp_path, monkeypatch):
    monkeypatch.setattr(formats.update, "read_table", lambda *a, **k: pytest.fail("parsed"))
    path = tmp_path / "ops.csv"
    path.write_bytes(csv_bytes([row()]))
    with pytest.raises(AccessDenied, match="administrateurs"):
        team.as_user("Léa").import_operations(path, replace=True)


def test_a_lecteur_importing_an_unchanged_row_is_refused_by_the_cli(team, tmp_path):
    path = tmp_path / "same.csv"
    write_csv(team.portfolio(), path)
    before = team.history()
    team.close()
    out = cli("--user", "Luc", "import", str(path), db=team.path)
    assert out.returncode != 0
    assert "mise(s) à jour" not in out.stdout
    assert "Luc (lecteur) ne peut pas importer" in out.stderr
    assert Store.open(team.path).history() == before


def test_an_unchanged_import_says_unchanged_not_updated(store, tmp_path):
    path = tmp_path / "same.csv"
    write_csv(store.portfolio(), path)
    summary = store.import_operations(path)
    total = len(store.portfolio().operations)
    assert str(summary).startswith(f"0 opération(s) ajoutée(s), 0 mise(s) à jour, {total} inchangée(s)")
    assert summary.change_set is None


def test_one_file_is_parsed_at_a_time_and_a_flood_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "ops.csv"
    path.write_bytes(csv_bytes([row()]))
    monkeypatch.setattr(formats.limits, "READ_QUEUE_SECONDS", 0.2)
    with reading_turn("autre.csv"), pytest.raises(ImportRefused, match="en cours de lecture sur ce serveur"):
        read_table(path)
    inside, most = [0], [0]
    lock = threading.Lock()
    real = formats.read._read_csv

    def counted(*args):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            return real(*args)
        finally:
            with lock:
                inside[0] -= 1

    monkeypatch.setattr(formats.limits, "READ_QUEUE_SECONDS", 30.0)
    monkeypatch.setattr(formats.read, "_read_csv", counted)
    threads = [threading.Thread(target=read_table, args=(path,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def test_a_9_mo_cell_is_refused_with_excel_limit_and_its_line(tmp_path):
    path = tmp_path / "cell.csv"
    header = ";".join(COLUMNS)
    path.write_bytes(f"{header}\r\n{';'.join(row().values())}\r\nX-1;{'x' * 9_000_000}\r\n".encode())
    with pytest.raises(ImportRefused) as refused:
        read_table(path)
    issue = refused.value.issues[0]
    assert issue.row == 3
    assert "au plus 32\u00a0767 caractères" in issue.reason and "131" not in str(refused.value)


def test_a_400_digit_integer_is_refused_as_a_number(tmp_path):
    with pytest.raises(ImportRefused) as refused:
        load_portfolio(CORPUS / "integer_400_digits.xlsx")
    issue = refused.value.issues[0]
    assert (issue.row, issue.column) == (2, "cout_ht") and "nombre démesuré (400 caractères)" in issue.reason


def test_export_onto_an_existing_file_is_refused_in_french(store, tmp_path):
    target = tmp_path / "déjà.txt"
    target.write_text("x")
    store.close()
    out = cli("export", str(target), db=store.path)
    assert out.returncode == 1
    assert "c'est un fichier, un dossier est attendu" in out.stderr and "File exists" not in out.stderr
    assert target.read_text() == "x"


def test_a_scenario_file_too_big_is_named_and_weighed_the_french_way(tmp_path):
    from formats.files import FileError, load_scenario_file

    path = tmp_path / "big.json"
    path.write_bytes(b" " * int(1.1 * 1024 * 1024))
    with pytest.raises(FileError) as refused:
        load_scenario_file(path)
    assert str(refused.value) == "Scénario big.json refusé : le fichier pèse 1,1 Mo, la limite est de 1 Mo."
