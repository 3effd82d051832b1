from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulation import Portfolio
from store import Store, load_portfolio
from store.paths import DEMO_OPERATIONS_CSV


@pytest.fixture
def store(tmp_path):
    """A fresh store seeded from data/ in a temporary database."""
    opened = Store.open(tmp_path / "test.duckdb")
    yield opened
    opened.close()


@pytest.fixture
def team(store):
    """``store`` with one person of each role: Admin, Arnaud (arbitre), Léa (contributeur who
    pilots Éducation) and Luc (lecteur). A test module may define its own ``team``."""
    store.add_person("Admin", "administrateur")
    admin = store.as_user("Admin")
    admin.add_person("Arnaud", "arbitre")
    admin.add_person("Léa", "contributeur", ("Éducation",))
    admin.add_person("Luc", "lecteur")
    return store


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory) -> Path:
    """A database seeded from data/ once per test module: seeding is slow, copying is not."""
    path = tmp_path_factory.mktemp("seed") / "seed.duckdb"
    Store.open(path).close()
    return path


@pytest.fixture
def database(seeded_database, tmp_path) -> Path:
    """A fresh copy of ``seeded_database`` for one test."""
    path = tmp_path / "store.duckdb"
    shutil.copy(seeded_database, path)
    return path


@pytest.fixture(scope="module")
def demo_portfolio() -> Portfolio:
    """The demo portfolio of data/, read once per test module."""
    return load_portfolio(DEMO_OPERATIONS_CSV)


@pytest.fixture
def isolated_app(tmp_path, monkeypatch):
    """AppTest runs on its own freshly seeded database, with no cache left from another test."""
    import streamlit as st

    database = tmp_path / "app.duckdb"
    # Page tests start from the reference alone (the shipped variant is tested in test_store).
    seeded = Store.open(database, seed=False)
    seeded.seed(variant_files=())
    seeded.close()
    monkeypatch.setenv("SIMULATEUR_DB", str(database))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path / "app.duckdb"
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """A real ``streamlit run app.py`` on a fresh database, one per browser test module."""
    from tests.browser_support import streamlit_server

    with streamlit_server(tmp_path_factory.mktemp("browser") / "app.duckdb") as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per browser test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch_browser

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(request, browser):
    """A fresh French tab of ``browser``, at the module's ``VIEWPORT`` (1920×1080 unless it says)."""
    width, height = getattr(request.module, "VIEWPORT", (1920, 1080))
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    tab = context.new_page()
    yield tab
    context.close()
