"""No way out for a formula (issue 22), in Chromium against a real ``streamlit run``: on every page
that shows a table, the grid's own « Download as CSV » (which writes cells raw) is hidden while its
toolbar still works, and every CSV or Excel file the page offers holds no cell that would run as a
formula, with operations titled ``=HYPERLINK(…)``, ``+33 4…``, ``@SUM(…)`` in the portfolio."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from simulation.cell_text import formula_like
from store import Store
from tests.browser_support import CHROMIUM, ROOT, after_rerun, exceptions, launch_browser, streamlit_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
PAGES = [
    "",
    "arbitrage",
    "comparer",
    "phasage",
    "calendrier",
    "capacite",
    "risques",
    "comite",
    "operations",
    "scenarios",
    "exports",
    "historique",
    "stabilisation",
]
RAW_CSV = 'button[aria-label^="Download as CSV"], button[aria-label^="Télécharger en CSV"]'
TABLE_FILES = ("CSV", "Excel")


def formula_cells(name: str, data: bytes) -> list[str]:
    """Cells of a downloaded CSV or workbook that a spreadsheet would run as a formula."""
    if name.endswith(".csv"):
        text = data.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row if formula_like(cell)]
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_no_table_of_any_page_downloads_a_formula(tmp_path):
    from playwright.sync_api import sync_playwright

    database = tmp_path / "app.duckdb"
    store = Store.open(database)
    store.import_operations(ROOT / "tests" / "data" / "corpus" / "formulas.csv")
    store.close()
    grids_seen, files_seen = 0, []
    with streamlit_server(database) as (url, _), sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
            for path in PAGES:
                page.goto(f"{url}/{path}")
                wait_idle(page, timeout=60_000)
                if path == "operations":  # the catalogue, then the files tab
                    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
                for grid in page.locator('[data-testid="stDataFrame"]').all():
                    if not grid.is_visible():
                        continue
                    grid.scroll_into_view_if_needed()
                    grid.hover()
                    toolbar = page.locator('[data-testid="stElementToolbar"]').filter(
                        has=page.locator('[data-testid="stElementToolbarButton"]')
                    )
                    toolbar.locator('[data-testid="stElementToolbarButton"]:visible').first.wait_for(timeout=30_000)
                    assert page.locator(RAW_CSV).filter(visible=True).count() == 0, path
                    grids_seen += 1
                tabs = [path] if path != "operations" else ["Catalogue", "Importer / télécharger"]
                for tab in tabs:
                    if tab != path:
                        tab_button = page.get_by_role("tab", name=tab)
                        if tab_button.get_attribute("aria-selected") != "true":
                            after_rerun(page, tab_button.click)
                    buttons = page.locator('[data-testid="stDownloadButton"] button').filter(visible=True)
                    for index in range(buttons.count()):
                        button = buttons.nth(index)
                        if not any(kind in button.inner_text() for kind in TABLE_FILES):
                            continue
                        with page.expect_download(timeout=60_000) as download:
                            button.click()
                        name = download.value.suggested_filename
                        data = Path(download.value.path()).read_bytes()
                        assert formula_cells(name, data) == [], (path, name)
                        files_seen.append(name)
                assert exceptions(page) == [], path
        finally:
            browser.close()
    assert grids_seen >= 3
    assert {"catalogue_operations.csv", "operations.csv", "operations.xlsx"} <= set(files_seen), files_seen
