"""Risques page in Chromium: the draws are drawn beside the plan and follow the correlation slider."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, exceptions, launch_browser, streamlit_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"


def deciles(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]').filter(has_text="9e décile").first.inner_text()


def test_risques_page_draws_and_follows_the_correlation_slider(tmp_path):
    from playwright.sync_api import sync_playwright

    with streamlit_server(tmp_path / "app.duckdb") as (url, _), sync_playwright() as playwright:
        browser = launch_browser(playwright)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="fr-FR").new_page()
        page.goto(url)
        wait_idle(page)
        page.goto(f"{url}/risques")
        wait_idle(page)
        assert page.locator("h1").first.inner_text().startswith("Risques")
        page.locator('[data-testid="stVegaLiteChart"]').nth(1).wait_for()
        assert page.locator('[data-testid="stVegaLiteChart"]').count() == 2
        before = deciles(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "risques-bureau.png")
        page.get_by_text("Où agir d'abord").first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "risques-ou-agir.png")
        page.get_by_role("slider", name="Corrélation entre opérations (ρ)").scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "risques-incertitudes.png")

        slider = page.get_by_role("slider", name="Corrélation entre opérations (ρ)")
        slider.focus()
        page.keyboard.press("End")  # ρ = 1: every operation slips together
        page.wait_for_function(
            "(before) => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
            ".some(e => e.innerText.startsWith('9e décile') && e.innerText !== before)",
            arg=before,
            timeout=30_000,
        )
        wait_idle(page)
        assert deciles(page) != before
        assert exceptions(page) == []
        browser.close()
