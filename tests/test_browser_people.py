"""In Chromium against a real ``streamlit run``: a contributeur edits their operation, is refused
on another directorate's, and sees their change in Historique; and the CLI imports and backs
up while that app is running on the same database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from formats.write import operation_to_row
from store import Store
from tests.browser_support import (
    CHROMIUM,
    ROOT,
    after_rerun,
    exceptions,
    launch_browser,
    pick_option,
    streamlit_server,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"


def _one_row_csv(path: Path, row: dict) -> Path:
    path.write_text(
        ";".join(row) + "\n" + ";".join("" if v is None else str(v) for v in row.values()), encoding="utf-8"
    )
    return path


def _nav(page, title: str) -> None:
    """Through the sidebar navigation, so the session (and the name picked) is kept."""
    after_rerun(page, page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click)
    # The page drawn is the new one (the old one's tables stay in the document until it replaces them).
    page.wait_for_function(
        "title => { const h = document.querySelector('h1'); return h && h.innerText.startsWith(title); }",
        arg=title,
        timeout=30_000,
    )
    wait_idle(page)


def _import(page, path: Path) -> None:
    after_rerun(page, lambda: page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path)))
    after_rerun(page, page.get_by_role("button", name="Importer le fichier").click)
    wait_idle(page)


@pytest.fixture
def team_db(tmp_path):
    database = tmp_path / "equipe.duckdb"
    store = Store.open(database)
    store.add_person("Admin", "administrateur")
    store.as_user("Admin").add_person("Léa", "contributeur", ("Éducation",))
    store.close()
    return database


def test_contributeur_edits_own_operation_is_refused_on_another_and_sees_history(team_db, tmp_path):
    from playwright.sync_api import sync_playwright

    portfolio = Store.open(team_db, linger=0).portfolio()
    own = portfolio.by_id["CNSM-02"]
    other = next(op for op in portfolio.operations if op.directorate != "Éducation")
    own_file = _one_row_csv(
        tmp_path / "mon_operation.csv",
        {"id": own.id, "intitule": "GS Saint-Mauront (APS validé)"}
        | {k: v for k, v in operation_to_row(own).items() if k != "intitule"},
    )
    other_file = _one_row_csv(tmp_path / "autre.csv", operation_to_row(other) | {"intitule": "Pas à moi"})
    with streamlit_server(team_db) as (url, _), sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
        page.goto(url)
        wait_idle(page)
        page.get_by_text("personne n'est authentifié").first.wait_for(timeout=30_000)  # a state the app shows
        pick_option(page, page.locator('[data-testid="stSelectbox"]').filter(has_text="Vous êtes"), "Léa")
        wait_idle(page)
        page.get_by_text("contributeur, Éducation").first.wait_for(timeout=30_000)  # a state the app shows

        _nav(page, "Opérations")
        page.get_by_role("tab", name="Importer / télécharger").click()
        wait_idle(page)
        _import(page, own_file)
        page.get_by_text("Import de mon_operation.csv réussi").first.wait_for(timeout=30_000)  # after the rerun

        page.get_by_role("tab", name="Importer / télécharger").click()
        wait_idle(page)
        _import(page, other_file)
        refusal = page.get_by_text("ne sont pas les siennes").first
        refusal.wait_for()
        assert "Léa" in refusal.inner_text()
        assert Store.open(team_db, linger=0).portfolio().by_id[other.id] == other

        _nav(page, "Historique")
        table = page.locator('[data-testid="stTable"]').first
        table.wait_for()
        text = table.inner_text()
        assert "GS Saint-Mauront (APS validé)" in text and "Léa" in text and "CNSM-02" in text
        assert exceptions(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "historique-bureau.png", full_page=True)
        browser.close()


def test_cli_import_and_backup_while_the_app_runs(tmp_path):
    from playwright.sync_api import sync_playwright

    database = tmp_path / "app.duckdb"
    Store.open(database).close()
    op = Store.open(database, linger=0).portfolio().by_id["CNSM-02"]
    update = _one_row_csv(tmp_path / "maj.csv", operation_to_row(op) | {"cout_ht": 15_500_000})
    with streamlit_server(database) as (url, _), sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
        page.goto(url)
        wait_idle(page)  # the app has opened the database and drawn the Synthèse
        assert exceptions(page) == []
        cli = [sys.executable, "-m", "simulation", "--db", str(database)]
        imported = subprocess.run([*cli, "import", str(update)], capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert imported.returncode == 0, imported.stderr
        copy = tmp_path / "copie.duckdb"
        backup = subprocess.run([*cli, "backup", str(copy)], capture_output=True, text=True, timeout=120, cwd=ROOT)
        assert backup.returncode == 0, backup.stderr
        history = subprocess.run(
            [*cli, "history", "--operation", "CNSM-02"], capture_output=True, text=True, timeout=120, cwd=ROOT
        )
        assert history.returncode == 0 and "Coût HT (€)" in history.stdout
        page.reload()  # the running app sees the CLI's change
        wait_idle(page)
        assert exceptions(page) == []
        browser.close()
    assert Store.open(copy, linger=0).portfolio().by_id["CNSM-02"].cost_ht == 15_500_000
