"""French and bounded, never a traceback (issue 9): the database file, scenario JSON, the CLI,
and user text shown on a page."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from store import FileError, Store, StoreError, load_scenario_file
from store.opening import database_problem
from tests.factories import form_values

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, db: Path | None = None, wait_s: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulation"]
    if db is not None:
        command += ["--db", str(db)]
    env = {**os.environ, "SIMULATEUR_DB_WAIT_S": wait_s} if wait_s is not None else None
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


@contextlib.contextmanager
def holding(code: str) -> Iterator[None]:
    """Another process running ``code`` (it opens the database) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", code + "\nprint('ok', flush=True)\ninput()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        yield
    finally:
        holder.communicate("\n", timeout=30)


def no_traceback(text: str) -> None:
    assert "Traceback" not in text and 'File "' not in text and "Error:" not in text.replace("Erreur :", "")


# ------------------------------------------------------------------ the database file


def test_a_newer_schema_is_refused_and_never_written(database):
    con = duckdb.connect(str(database))
    con.execute("INSERT INTO schema_version VALUES (99, now())")
    con.close()
    before = digest(database)
    with pytest.raises(StoreError, match="créée par une version plus récente du simulateur"):
        Store.open(database)
    assert digest(database) == before
    out = cli("run", "--scenario", "Référence", db=database)
    assert out.returncode == 1 and "version plus récente" in out.stderr
    no_traceback(out.stderr)
    assert digest(database) == before


def test_a_damaged_database_is_named_in_french(database, tmp_path):
    data = bytearray(database.read_bytes())
    for i in range(12_288, len(data)):  # every block after the headers
        data[i] ^= 0xFF
    damaged = tmp_path / "abimee.duckdb"
    damaged.write_bytes(bytes(data))
    garbage = tmp_path / "pas_une_base.duckdb"
    garbage.write_bytes(b"ceci n'est pas une base" * 200)
    for path in (damaged, garbage):
        with pytest.raises(StoreError, match="endommagée"):
            Store.open(path)
        out = cli("run", "--scenario", "Référence", db=path)
        assert out.returncode == 1, out.stderr
        assert "endommagée" in out.stderr and "Signalez" not in out.stderr
        no_traceback(out.stderr)


def test_a_database_held_too_long_is_named_in_french_by_the_cli(database):
    # A unit of work waits for a file another process holds (issue 12), then says so in French.
    with holding(f"import duckdb\nc = duckdb.connect({str(database)!r})"):
        out = cli("import", str(CORPUS / "ok.xlsx"), db=database, wait_s="1")
    assert out.returncode == 1
    assert "occupée par un autre processus depuis plus de 1 s" in out.stderr
    assert str(database.parent) not in out.stderr  # the file is named, not the machine's paths
    no_traceback(out.stderr)


def test_duckdb_errors_found_later_are_translated():
    assert "endommagée" in database_problem(duckdb.Error("Corrupt database file: computed checksum 1 does not match"))
    assert "déjà ouverte" in database_problem(duckdb.IOException('Could not set lock on file "x": Conflicting lock'))
    assert "inattendue" in database_problem(duckdb.Error("something else"))


# ------------------------------------------------------------------ the command line


def test_cli_refuses_a_bomb_in_french_and_leaves_the_store_unchanged(database):
    before = digest(database)
    for name, reason in [
        ("shared_strings_bomb.xlsx", "sharedStrings"),
        ("padded_dimension.xlsx", "feuille trop grande"),
        ("huge_cell.csv", "cellule trop longue"),
        ("misspelled_columns.csv", "vouliez-vous dire « anru »"),
    ]:
        out = cli("import", str(CORPUS / name), db=database)
        assert out.returncode == 1 and reason in out.stderr, out.stderr
        no_traceback(out.stderr)
    assert digest(database) == before


def test_cli_reads_a_french_excel_csv(database):
    out = cli("import", str(CORPUS / "excel_fr_cp1252_semicolon_crlf.csv"), db=database)
    assert out.returncode == 0, out.stderr
    assert "1 opération(s) ajoutée(s)" in out.stdout


def test_cli_help_is_french():
    out = cli("--help")
    text = out.stdout + cli("import", "--help").stdout
    for english in ("show this help", "positional arguments", "optional arguments", "usage:"):
        assert english not in text
    assert "afficher cette aide" in text and "utilisation :" in text
    missing = cli("import")
    assert missing.returncode == 2 and "arguments obligatoires manquants :" in missing.stderr


# ------------------------------------------------------------------ scenario JSON


def test_scenario_json_in_windows_1252_is_read(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_bytes(
        json.dumps({"name": "Été écoles", "rationale": "Priorité aux crèches"}, ensure_ascii=False).encode("cp1252")
    )
    scenario = load_scenario_file(path)
    assert scenario.name == "Été écoles" and scenario.rationale == "Priorité aux crèches"


def test_scenario_json_over_1_mo_is_refused_without_being_read(tmp_path):
    path = tmp_path / "gros.json"
    path.write_bytes(b'{"name": "x", "rationale": "' + b"a" * (1024 * 1024) + b'"}')
    with pytest.raises(FileError, match="la limite est de 1 Mo"):
        load_scenario_file(path)


def test_scenario_json_errors_are_capped_and_never_echo_the_file(tmp_path):
    path = tmp_path / "erreurs.json"
    path.write_text(json.dumps({"choices": {f"OP-{i}": {"keep": "peut-être"} for i in range(500)}}))
    with pytest.raises(FileError) as refused:
        load_scenario_file(path)
    text = str(refused.value)
    assert text.count("\n- ") == 20 and text.endswith("… et 480 autres")
    invalid = tmp_path / "casse.json"
    invalid.write_text('{"name": "x",\n "rationale": ' + '"' + "secret " * 50_000)
    with pytest.raises(FileError) as broken:
        load_scenario_file(invalid)
    assert "secret" not in str(broken.value) and "ligne 2" in str(broken.value)
    assert len(str(broken.value)) < 300


def test_scenario_text_limits():
    from pydantic import ValidationError

    from simulation.scenario import Scenario

    Scenario(rationale="r" * 5000, author="a" * 200)
    with pytest.raises(ValidationError):
        Scenario(rationale="r" * 5001)
    with pytest.raises(ValidationError):
        Scenario(author="a" * 201)


def test_cli_with_many_unknown_ids_prints_a_short_french_error(tmp_path):
    scenario = tmp_path / "inconnus.json"
    scenario.write_text(json.dumps({"choices": {f"X{i}": {"keep": False} for i in range(20_000)}}))
    out = cli("run", "--operations", str(ROOT / "data" / "operations.csv"), "--scenario", str(scenario))
    assert out.returncode == 1
    assert "… et 19980 autres" in out.stderr and len(out.stderr) < 5_000
    no_traceback(out.stderr)


# ------------------------------------------------------------------ user text on pages


def test_md_leaves_no_markdown_construct():
    from ui.frames.plain import md

    assert md("![x](http://e.fr/p.png)") == "!\\[x\\](http\\://e.fr/p.png)"
    assert md(":red[rouge] **gras** $x$ <b>") == "\\:red\\[rouge\\] \\*\\*gras\\*\\* \\$x\\$ \\<b\\>"
    assert md("- a\n1. b\n# c") == "\\- a  \n1\\. b  \n\\# c"
    assert md("www.site.fr a@b.fr") == "www\\.site.fr a\\@b.fr"
    assert md("Maître d'ouvrage (Ville) : 3,5 %") == "Maître d'ouvrage (Ville) : 3,5 %"


def test_plain_frame_escapes_text_cells_header_and_index_whatever_the_text_dtype():
    """pandas 3 stores text as ``str``, not object: a check on object columns escaped nothing."""
    import pandas as pd

    from ui.frames.plain import plain_frame

    hostile = "![x](http://e.fr/p.png)"
    for dtype in ("str", object):
        frame = pd.DataFrame({"Intitulé": pd.Series([hostile, "École"], dtype=dtype), "n": [1, 2]})
        frame.index = pd.Index([hostile, "b"], dtype=dtype)
        out = plain_frame(frame)
        assert out["Intitulé"].tolist() == ["!\\[x\\](http\\://e.fr/p.png)", "École"]
        assert out.index[0] == "!\\[x\\](http\\://e.fr/p.png)" and out["n"].tolist() == [1, 2]
        assert frame["Intitulé"].iloc[0] == hostile  # the caller's frame is left alone


def test_a_markdown_image_in_a_programme_is_shown_as_text(isolated_app):
    from tests.apptest_support import assert_no_exception, open_page, shown

    store = Store.open(isolated_app)
    try:
        op = store.portfolio().operations[0]
        hostile = "![pixel](http://example.invalid/p.png) **gras** :red[rouge] <img src=x>"
        store.save_operation(op.model_copy(update={"programme": hostile, "title": "=1+1 [lien](http://x)"}))
    finally:
        store.close()
    at = open_page("operations")
    at.session_state["ops_current"] = op.id
    at.run()
    assert_no_exception(at)
    programme = [m.value for m in at.markdown if "pixel" in m.value]
    assert programme and all("!\\[pixel\\]" in m and "\\<img" in m for m in programme)
    assert shown(programme[0]) == hostile
    titles = [s.value for s in at.subheader if "1+1" in s.value]
    assert titles and all("\\[lien\\]" in t for t in titles)


def test_the_app_works_beside_an_open_store_and_says_in_french_when_the_file_stays_held(isolated_app, monkeypatch):
    from tests.apptest_support import open_page

    # A store opened by another process (the CLI) does not hold the file: the page opens.
    with holding(f"from store import Store\ns = Store.open({str(isolated_app)!r})"):
        at = open_page()
        assert not at.exception and not at.error

    # A process that keeps the file longer than the wait: a French sentence, no path, no traceback.
    from store import connection

    connection.release(isolated_app)  # the page's store lingers on the file for a second
    monkeypatch.setenv("SIMULATEUR_DB_WAIT_S", "1")
    with holding(f"import duckdb\nc = duckdb.connect({str(isolated_app)!r})"):
        at = open_page()
        assert not at.exception
        errors = " ".join(e.value for e in at.error)
        assert "occupée par un autre processus" in errors
        assert str(isolated_app.parent) not in errors


def test_the_operation_form_asks_about_a_fractional_vat_and_refuses_implausible_figures():
    from ui.operation_form import operation_from_form

    values = form_values(id="ESSAI-1", vat_rate="0,2")
    operation, problems = operation_from_form(values)
    assert operation is None and [p.reason for p in problems] == [
        "le taux est un pourcentage : vouliez-vous dire 20 % ?"
    ]
    operation, problems = operation_from_form({**values, "vat_rate": "20", "cost_ht": "1e24", "start": "9999-12"})
    reasons = " ".join(p.reason for p in problems)
    assert operation is None and "coût invraisemblable" in reasons and "mois invraisemblable" in reasons
    operation, problems = operation_from_form({**values, "vat_rate": "20", "title": "t" * 201})
    assert operation is None and "texte trop long (au plus 200 caractères)" in " ".join(p.reason for p in problems)
