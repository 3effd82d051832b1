from __future__ import annotations

import pytest

from store import Store


@pytest.fixture
def store(tmp_path):
    """A fresh store seeded from data/ in a temporary database."""
    opened = Store.open(tmp_path / "test.duckdb")
    yield opened
    opened.close()


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
