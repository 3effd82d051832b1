"""In Chromium: Capacité's recommended recruitments added in one click, and the committee
readiness page filtered by neighbourhood. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, exceptions, launch_browser, streamlit_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with streamlit_server(tmp_path_factory.mktemp("browser") / "app.duckdb") as (url, _), sync_playwright() as pw:
        browser = launch_browser(pw)
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
        tab = context.new_page()
        tab.goto(url)
        wait_idle(tab)
        tab.app_url = url  # type: ignore[attr-defined]
        yield tab
        browser.close()


def test_recommended_recruitments_added_in_one_click(page):
    page.goto(f"{page.app_url}/capacite")
    wait_idle(page)
    section = page.get_by_text("Recrutements recommandés", exact=True)
    section.wait_for()
    coordination = page.get_by_text("ETP en Coordination NPNRU à partir de").first
    coordination.wait_for()
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "capacite-recrutements-avant.png")
    page.get_by_role("button", name="Ajouter ces recrutements au scénario de travail").click()
    page.get_by_text("Aucun recrutement nécessaire").wait_for(timeout=20_000)
    wait_idle(page)
    page.get_by_text("modifié, non enregistré").first.wait_for(timeout=30_000)  # a state the app shows
    page.get_by_text("Plan de recrutement du scénario").wait_for(timeout=30_000)  # a state the app shows
    assert exceptions(page) == []
    page.get_by_text("Recrutements recommandés", exact=True).scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "capacite-recrutements-apres.png")


def test_committee_readiness_page_filters_by_neighbourhood(page):
    page.goto(f"{page.app_url}/comite")
    wait_idle(page)
    page.get_by_text("Par opération", exact=True).wait_for()
    page.screenshot(path=SHOTS / "comite-bureau.png", full_page=True)
    page.get_by_text("À compléter", exact=True).click()
    wait_idle(page)
    page.get_by_text(re.compile(r"^\d+[\u00a0 ]opérations?[ .;]")).first.wait_for()
    assert exceptions(page) == []
    page.screenshot(path=SHOTS / "comite-a-completer.png", full_page=True)
