"""Workshop speed as a user sees it, in Chromium against a real ``streamlit run`` (demo data).

Run: ``.venv/bin/python bench/bench_browser.py`` (or ``./dev bench``). Prints what it measured.
Targets (issue 3): lever moved -> chart redrawn median < 250 ms, never above 1 s;
page switch < 1 s; cold start to the first page < 5 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_support import PAGES, launch_browser, streamlit_server, wait_idle

LEVER_MOVES = 20  # 0 % -> 10 % by steps of 0,5 %: every step but 3,0 % is a scenario not yet computed
PAGE_TOUR = ["arbitrage", "calendrier", "capacite", "synthese", "comparer", "operations", "scenarios", "arbitrage"]


def chart_changed(page, before: str, timeout: float = 5000) -> None:
    page.wait_for_function(
        "before => { const s = document.querySelector('[data-testid=stVegaLiteChart] svg');"
        " return s && s.innerHTML !== before; }",
        arg=before,
        timeout=timeout,
        polling="raf",
    )


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        started = time.perf_counter()
        with streamlit_server(Path(folder) / "bench.duckdb") as (url, server_ready):
            browser = launch_browser(playwright)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(url)
            wait_idle(page)
            page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for()
            cold = time.perf_counter() - started

            page.goto(f"{url}/arbitrage")
            wait_idle(page)
            page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for()
            slider = (
                page.locator('[data-testid="stSlider"]').filter(has_text="Actualisation des prix").get_by_role("slider")
            )
            lever = []
            slider.focus()
            before = page.locator('[data-testid="stVegaLiteChart"] svg').first.inner_html()
            page.keyboard.press("Home")  # start from 0 %, not measured
            chart_changed(page, before)
            wait_idle(page)
            for _ in range(LEVER_MOVES):
                before = page.locator('[data-testid="stVegaLiteChart"] svg').first.inner_html()
                slider = (
                    page.locator('[data-testid="stSlider"]')
                    .filter(has_text="Actualisation des prix")
                    .get_by_role("slider")
                )
                slider.focus()
                t0 = time.perf_counter()
                page.keyboard.press("ArrowRight")
                chart_changed(page, before)
                lever.append(time.perf_counter() - t0)
                wait_idle(page)

            switches = []
            for slug in PAGE_TOUR:
                link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=PAGES[slug]).first
                t0 = time.perf_counter()
                link.click()
                page.wait_for_function(
                    "title => { const h = document.querySelector('h1'); return h && h.innerText.startsWith(title); }",
                    arg=PAGES[slug],
                    timeout=10_000,
                )
                wait_idle(page)
                switches.append(time.perf_counter() - t0)
            browser.close()

    ms = [t * 1000 for t in lever]
    print("Commande : .venv/bin/python bench/bench_browser.py (Chromium Debian, 1920×1080, données de démonstration)")
    print(f"Démarrage à froid → première page affichée : {cold:.2f} s (serveur prêt en {server_ready:.2f} s)")
    print(
        f"Levier (actualisation 0 → 10 %) → graphique redessiné, {LEVER_MOVES} mouvements : "
        f"médiane {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms, min {min(ms):.0f} ms"
    )
    sw = [t * 1000 for t in switches]
    print(
        f"Changement de page ({len(sw)} pages) : médiane {statistics.median(sw):.0f} ms, max {max(sw):.0f} ms "
        f"({', '.join(f'{s} {t:.0f}' for s, t in zip(PAGE_TOUR, sw, strict=True))})"
    )


if __name__ == "__main__":
    main()
