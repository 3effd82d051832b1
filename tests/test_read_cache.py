"""Several app processes share one database: small reads come from memory while nothing changed
(``SIMULATEUR_READ_CACHE=1``), and any write, from this process, another one, or another tool,
is seen by the next read."""

from __future__ import annotations

import duckdb
import pytest

from store import AccessDenied, Caller, Store, connection, read_cache
from tests.test_cli import cli


@pytest.fixture
def shared(tmp_path, monkeypatch):
    monkeypatch.setenv(read_cache.CACHE_ENV, "1")
    read_cache.clear()
    store = Store.open(tmp_path / "partagee.duckdb", linger=0)
    store.add_person("Alice Admin", "administrateur")
    yield store
    read_cache.clear()


def _opens(monkeypatch) -> list[int]:
    counted: list[int] = []
    real = connection.connect

    def counting(path, wait, **kwargs):
        counted.append(1)
        return real(path, wait, **kwargs)

    monkeypatch.setattr(connection, "connect", counting)
    return counted


def test_unchanged_database_reads_come_from_memory(shared, monkeypatch):
    first = ([p.name for p in shared.people()], shared.reference_name(), shared.revision(), shared.is_demo())
    opens = _opens(monkeypatch)
    again = ([p.name for p in shared.people()], shared.reference_name(), shared.revision(), shared.is_demo())
    assert again == first and opens == []
    shared.portfolio()  # not a cached read
    assert opens == [1]


def test_a_write_in_this_process_is_seen_at_once(shared):
    assert [p.name for p in shared.people()] == ["Alice Admin"]
    shared.as_user("Alice Admin").add_person("Léa", "lecteur")
    assert [p.name for p in shared.people()] == ["Alice Admin", "Léa"]
    assert shared.as_user("Léa").whoami().role.value == "lecteur"
    shared.as_user("Alice Admin").set_person("Léa", role="arbitre")
    assert shared.as_user("Léa").whoami().role.value == "arbitre"


def test_a_write_by_another_process_is_seen(shared):
    assert [p.name for p in shared.people()] == ["Alice Admin"]
    shared.close()
    out = cli("--user", "Alice Admin", "users", "add", "Zoé", "--role", "lecteur", db=shared.path)
    assert out.returncode == 0, out.stderr
    assert [p.name for p in shared.people()] == ["Alice Admin", "Zoé"]


def test_a_write_outside_the_store_is_seen_by_the_files_stamp(shared):
    assert shared.is_demo()
    shared.close()
    con = duckdb.connect(str(shared.path))
    con.execute("UPDATE meta SET value = 'ville' WHERE key = 'dataset'")
    con.close()
    assert not shared.is_demo()


def test_a_refusal_is_kept_and_raised_again_fresh(shared, monkeypatch):
    stranger = shared.as_caller(Caller("inconnu@ville.example", "oidc", True))
    with pytest.raises(AccessDenied, match="lecture seule") as first:
        stranger.whoami()
    opens = _opens(monkeypatch)
    with pytest.raises(AccessDenied, match="lecture seule") as again:
        stranger.whoami()
    assert opens == [] and again.value is not first.value


def test_off_by_default_every_read_opens_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv(read_cache.CACHE_ENV, raising=False)
    store = Store.open(tmp_path / "seule.duckdb", linger=0)
    store.people()
    opens = _opens(monkeypatch)
    store.people()
    assert opens == [1]
