"""In Chromium against a real ``streamlit run`` (issue 9): a bomb uploaded in one session is
refused in French, with no traceback, while another session keeps arbitrating."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, after_rerun, exceptions, launch_browser, streamlit_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
CORPUS = ROOT / "tests" / "data" / "corpus"
SHOTS = ROOT / "test-output" / "screenshots"


def kpi(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def test_a_bomb_is_refused_in_french_while_another_session_keeps_working(tmp_path):
    from playwright.sync_api import sync_playwright

    with streamlit_server(tmp_path / "app.duckdb") as (url, _), sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            uploader = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
            workshop = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
            workshop.goto(f"{url}/arbitrage")
            wait_idle(workshop)
            uploader.goto(f"{url}/operations")
            wait_idle(uploader)
            uploader.get_by_role("tab", name="Importer / télécharger").click()
            wait_idle(uploader)

            for bomb, reason in [
                ("shared_strings_bomb.xlsx", "sharedStrings.xml"),
                ("padded_dimension.xlsx", "feuille trop grande"),
                ("markdown_programme.csv", None),  # accepted: its programme is shown as text below
            ]:
                after_rerun(  # the upload's own run (it forgets the last outcome) is over before the click
                    uploader,
                    lambda b=bomb: uploader.locator(
                        '[data-testid="stFileUploaderDropzoneInput"]'
                    ).first.set_input_files(str(CORPUS / b)),
                )
                # Uploaded (its chip shows its name and size), and the run it triggers is over.
                chip = uploader.locator('[data-testid="stFileChip"]').filter(
                    has=uploader.locator(f'[data-testid="stFileChipName"][title="{bomb}"]')
                )
                chip.filter(has_text=re.compile(r"\d\s?(KB|ko)")).wait_for(timeout=60_000)  # French once rewritten
                wait_idle(uploader)
                after_rerun(uploader, uploader.get_by_role("button", name="Importer le fichier").click)
                if reason is None:
                    break
                # Meanwhile the workshop moves a lever and sees its figures change.
                before = kpi(workshop, "Crédits de paiement TTC")
                slider = workshop.locator('[data-testid="stSlider"]').filter(has_text="Actualisation des prix")
                slider.get_by_role("slider").focus()
                workshop.keyboard.press("ArrowRight")
                workshop.wait_for_function(
                    "([label, before]) => { const c = [...document.querySelectorAll('[data-testid=stMetric]')]"
                    ".find(e => e.innerText.includes(label)); return c && !c.innerText.includes(before); }",
                    arg=["Crédits de paiement TTC", before],
                    timeout=60_000,  # the same server is refusing a bomb (bounded work, but on 2 loaded cores)
                )
                wait_idle(uploader)
                alert = uploader.locator('[data-testid="stAlertContentError"]').filter(has_text=bomb)
                alert.first.wait_for(timeout=60_000)
                assert "Import refusé" in alert.first.inner_text()
                assert "Aucune donnée n'a été modifiée" in alert.first.inner_text()
                uploader.get_by_text(reason).first.wait_for(timeout=30_000)  # a state the app shows
                assert exceptions(uploader) == [] and exceptions(workshop) == []
                SHOTS.mkdir(parents=True, exist_ok=True)
                uploader.screenshot(path=SHOTS / f"import-refuse-{Path(bomb).stem}.png", full_page=True)

            wait_idle(uploader)
            uploader.get_by_text("réussi").first.wait_for(timeout=60_000)
            uploader.screenshot(path=SHOTS / "import-reussi-markdown.png", full_page=True)
            uploader.get_by_role("tab", name="Catalogue").click()
            wait_idle(uploader)
            assert exceptions(uploader) == []
            images = uploader.locator('img[src*="example.invalid"]')
            assert images.count() == 0  # the sheet itself is checked by an AppTest (test_outside_errors)
        finally:
            browser.close()
