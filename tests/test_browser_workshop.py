"""The workshop at 1280×720 in projector mode, in Chromium (issue 20): nothing typed or moved is
lost, and the consequence of a lever is on the screen while the lever is.

Screenshots go to test-output/screenshots/atelier-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, exceptions, launch_browser, streamlit_server, wait_idle
from tests.test_browser import select_grid_cell

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with streamlit_server(tmp_path_factory.mktemp("atelier") / "app.duckdb") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    tab = context.new_page()
    yield tab
    context.close()


def slider_value(page, label: str) -> str:
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    return (slider.get_attribute("aria-valuetext") or "").replace(NBSP, " ")


def envelope_grid(page):
    return (
        page.locator('[data-testid="stExpander"]')
        .filter(has_text="Enveloppes par maître")
        .locator('[data-testid="stDataFrame"]')
    )


def open_envelopes(page) -> None:
    page.get_by_text("Enveloppes par maître d'ouvrage et par année").click()
    envelope_grid(page).wait_for(timeout=15_000)
    wait_idle(page)


def test_a_cell_typed_fast_keeps_every_digit_and_a_reload_loses_nothing(page, app_url):
    page.goto(f"{app_url}/arbitrage?projecteur=true")
    wait_idle(page)
    assert slider_value(page, "Niveau des enveloppes") == "100 %"
    open_envelopes(page)
    grid = envelope_grid(page)
    grid.scroll_into_view_if_needed()
    select_grid_cell(page, grid, "2027")  # first row: Ville, 66,0 M€
    page.keyboard.type("55", delay=0)  # as fast as keys go: no delay between them, nor before Enter
    page.keyboard.press("Enter")
    change = page.get_by_text("Enveloppes Ville :")
    change.first.wait_for(timeout=15_000)
    wait_idle(page)
    assert "(référence 528,0 M€, -11,0 M€)" in change.first.inner_text().replace(NBSP, " ")  # 66 -> 55, not 5
    assert slider_value(page, "Niveau des enveloppes") == "100 %"  # 829 / 840 M€: the level did not jump

    escalation = page.locator('[data-testid="stSlider"]').filter(has_text="Actualisation des prix")
    escalation.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # 3,0 % -> 3,5 %
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSlider] input[type=range]')]"
        ".some(s => (s.getAttribute('aria-valuetext') || '').replace(/\\s/g, ' ') === '3,5 %')",
        timeout=15_000,
    )
    wait_idle(page)
    assert re.search(r"[?&]atelier=[A-Za-z0-9_-]{16,}", page.url), page.url

    page.reload()  # F5 in the middle of the workshop
    wait_idle(page)
    page.get_by_text("Travail en cours retrouvé").wait_for(timeout=15_000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=15_000)
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "atelier-rechargement.png"))
    assert slider_value(page, "Actualisation des prix") == "3,5 %"
    text = page.locator("body").inner_text().replace(NBSP, " ")
    assert "(référence 528,0 M€, -11,0 M€)" in text
    assert "modifié, non enregistré" in text
    assert exceptions(page) == []
