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

    monkeypatch.setenv("SIMULATEUR_DB", str(tmp_path / "app.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield tmp_path / "app.duckdb"
    st.cache_resource.clear()
    st.cache_data.clear()
