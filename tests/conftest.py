from __future__ import annotations

import pytest

from store import Store


@pytest.fixture
def store(tmp_path):
    """A fresh store seeded from data/ in a temporary database."""
    opened = Store.open(tmp_path / "test.duckdb")
    yield opened
    opened.close()
