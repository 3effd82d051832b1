"""The database shared fairly (issue 22): a 9 000-row import is checked outside and written in one
short transaction, so the CLI beside it is not starved (it held the base about a minute)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import store.unit_of_work as unit_of_work
from store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent / "data"))
from make_corpus import csv_bytes, row

WRITE_BUDGET_S = 10.0


def test_a_9000_row_import_writes_in_one_short_transaction(tmp_path, monkeypatch):
    path = tmp_path / "9000.csv"
    path.write_bytes(csv_bytes([row(id=f"W-{i}", intitule=f"Opération {i}") for i in range(9_000)]))
    store = Store.open(tmp_path / "db.duckdb")
    before = len(store.portfolio().operations)
    spans: list[float] = []
    real = unit_of_work.UnitOfWork._write

    def timed(self, fn, **kwargs):
        started = time.perf_counter()
        try:
            return real(self, fn, **kwargs)
        finally:
            spans.append(time.perf_counter() - started)

    monkeypatch.setattr(unit_of_work.UnitOfWork, "_write", timed)
    summary = store.import_operations(path)
    assert len(spans) == 1 and spans[0] < WRITE_BUDGET_S, spans
    assert len(summary.added) == 9_000 and summary.total == before + 9_000
    stored = store.portfolio().by_id
    assert stored["W-8999"].title == "Opération 8999"
    history = store.history(operation="W-8999")
    assert len(history) == 1 and history[0].version == 1 and history[0].after["title"] == "Opération 8999"
    assert store.operation_version("W-0") == 1
