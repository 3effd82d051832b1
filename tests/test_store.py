"""The DuckDB store on a temporary database: seeding, import/export, scenarios, atomicity."""

from __future__ import annotations

import threading

import duckdb
import pytest

from formats.actuals import with_demo_accounts
from formats.write import export_operations
from simulation import Scenario, simulate
from store import ImportRefused, ScenarioConflict, Store, StoreError, load_portfolio
from store.database import SCHEMA_VERSION
from tests.concurrency_support import at_once


def test_first_open_creates_schema_and_seeds_demo_data(store):
    assert store.schema_version() == SCHEMA_VERSION
    portfolio = store.portfolio()
    # The demo as shipped, with its illustrative AP voted and 2023-2024 actuals (issue 19).
    assert portfolio == with_demo_accounts(load_portfolio("data/operations.csv"))
    assert len(store.neighbourhoods()) == 14
    assert store.reference_name() == "Référence"
    reference = store.load_scenario("Référence")
    assert reference.info.is_reference and reference.info.version == 1
    assert reference.scenario.envelopes  # the demo reference has envelopes


def test_reopening_does_not_seed_twice(tmp_path):
    path = tmp_path / "again.duckdb"
    Store.open(path).close()
    store = Store.open(path)
    assert len(store.portfolio().operations) == len(load_portfolio("data/operations.csv").operations)
    assert [i.name for i in store.list_scenarios()] == ["Référence", "Variante – écoles accélérées"]
    store.close()


def test_export_import_round_trip(store, tmp_path):
    before = store.portfolio()
    csv_path, _ = export_operations(before, tmp_path / "out")
    summary = store.import_operations(csv_path)
    assert summary.added == [] and len(summary.updated) == len(before.operations)
    assert store.portfolio() == before


def test_bad_file_changes_nothing(store, tmp_path):
    before = store.portfolio()
    revision = store.revision()
    csv_path, _ = export_operations(before, tmp_path / "out")
    lines = csv_path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[5].split(";")
    cells[10] = "beaucoup"  # cout_ht
    lines[5] = ";".join(cells)
    lines[1] = lines[1].replace(";Ville;", ";Mairie;", 1)
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ImportRefused) as exc:
        store.import_operations(csv_path)
    assert {(i.row, i.column) for i in exc.value.issues} == {(6, "cout_ht"), (2, "maitre_ouvrage")}
    assert store.portfolio() == before and store.revision() == revision


def test_import_adds_and_updates(store, tmp_path):
    portfolio = store.portfolio()
    first = portfolio.operations[0]
    changed = first.model_copy(update={"cost_ht": first.cost_ht + 1000})
    new = first.model_copy(update={"id": "NEW-01", "depends_on": None})
    from simulation import Portfolio

    out = tmp_path / "partial"
    export_operations(Portfolio(neighbourhoods=portfolio.neighbourhoods, operations=(changed, new)), out)
    summary = store.import_operations(out / "operations.xlsx")
    assert summary.added == ["NEW-01"] and summary.updated == [first.id]
    after = store.portfolio()
    assert after.by_id[first.id].cost_ht == first.cost_ht + 1000
    assert after.ids[-1] == "NEW-01" and len(after.operations) == len(portfolio.operations) + 1


def test_replace_refuses_to_remove_operations_used_by_a_scenario(store, tmp_path):
    store.delete_scenario("Variante – écoles accélérées")
    portfolio = store.portfolio()
    kept_id = portfolio.operations[0].id
    store.save_scenario(Scenario(name="Avec choix").with_choice(portfolio.operations[-1].id, keep=False))
    from simulation import Portfolio

    out = tmp_path / "one"
    op = portfolio.operations[0].model_copy(update={"depends_on": None})
    export_operations(Portfolio(neighbourhoods=portfolio.neighbourhoods, operations=(op,)), out)
    with pytest.raises(ImportRefused, match="utilisée par le scénario « Avec choix »"):
        store.import_operations(out / "operations.csv", replace=True)
    store.delete_scenario("Avec choix")
    store.import_operations(out / "operations.csv", replace=True)
    assert store.portfolio().ids == [kept_id]


def test_scenario_crud(store):
    reference = store.load_scenario("Référence").scenario
    variant = reference.model_copy(update={"name": "Variante A", "author": "Léa", "rationale": "Décaler Air Bel"})
    assert store.save_scenario(variant) == 1
    names = [info.name for info in store.list_scenarios()]
    assert names[0] == "Référence" and "Variante A" in names

    copy = store.duplicate_scenario("Variante A", "Variante B", author="Marc")
    assert copy.parent == "Variante A"
    assert store.load_scenario("Variante B").info.author == "Marc"

    store.rename_scenario("Variante A", "Variante A2")
    assert store.load_scenario("Variante A2").scenario.name == "Variante A2"
    assert store.load_scenario("Variante B").info.parent == "Variante A2"

    store.delete_scenario("Variante B")
    with pytest.raises(StoreError, match="Aucun scénario nommé « Variante B »"):
        store.load_scenario("Variante B")
    with pytest.raises(StoreError, match="ne peut pas être supprimé"):
        store.delete_scenario("Référence")


def test_saving_never_silently_overwrites(store):
    scenario = Scenario(name="Partagé", author="Léa")
    store.save_scenario(scenario)
    with pytest.raises(ScenarioConflict, match="existe déjà"):
        store.save_scenario(scenario.model_copy(update={"author": "Marc"}))
    # Léa and Marc both opened version 1; Léa saves first, Marc is refused.
    assert store.save_scenario(scenario.model_copy(update={"escalation_rate": 0.02}), expected_version=1) == 2
    with pytest.raises(ScenarioConflict, match="modifié par Léa"):
        store.save_scenario(scenario.model_copy(update={"author": "Marc"}), expected_version=1)
    assert store.load_scenario("Partagé").scenario.escalation_rate == 0.02


def test_two_sessions_saving_at_once_both_keep_their_work(store):
    def save(name: str) -> None:
        cursor = store.cursor()
        for i in range(10):
            cursor.save_scenario(Scenario(name=f"{name} {i}", author=name))

    assert at_once(save, ("Léa", "Marc")) == []
    names = {info.name for info in store.list_scenarios()}
    assert {f"Léa {i}" for i in range(10)} <= names and {f"Marc {i}" for i in range(10)} <= names


def test_failed_write_leaves_previous_state(store, monkeypatch):
    import store.operation_rows as operation_rows

    before = store.portfolio()
    history = store.history()
    op = before.operations[0].model_copy(update={"title": "Titre modifié"})
    original = operation_rows.write_operations

    def failing(con, writes):
        original(con, writes)
        raise duckdb.IOException("disque plein (simulé)")

    monkeypatch.setattr(operation_rows, "write_operations", failing)
    with pytest.raises(duckdb.IOException):
        store.save_operation(op)
    assert store.portfolio() == before
    assert store.history() == history  # nor the history: it is written in the same transaction


def test_delete_operation_refused_when_something_depends_on_it(store):
    portfolio = store.portfolio()
    target = next(op.depends_on for op in portfolio.operations if op.depends_on)
    with pytest.raises(StoreError, match="en dépend"):
        store.delete_operation(target)


def test_second_process_works_beside_an_open_store(store):
    import subprocess
    import sys

    store.portfolio()  # this process has just used the database (its keeper lingers)
    code = f"from store import Store\ns = Store.open({str(store.path)!r})\nprint(len(s.portfolio().operations))\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == str(len(store.portfolio().operations))


def test_a_file_held_too_long_by_another_process_gives_a_french_error(store):
    import subprocess
    import sys

    path = str(store.path)
    store.close()
    holder = duckdb.connect(path)  # stands for another process holding the file
    try:
        code = (
            "from store import Store, StoreError\n"
            f"try:\n    Store.open({path!r}, wait=0.5)\nexcept StoreError as e:\n    print(e)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    finally:
        holder.close()
    assert "occupée par un autre processus" in out.stdout and "rien n'a été fait" in out.stdout


def test_reference_scenario_simulates(store):
    result = simulate(store.portfolio(), store.load_scenario("Référence").scenario)
    assert result.kpis["n_operations"] == len(store.portfolio().operations)


def test_the_keeper_is_kept_while_reads_go_on_then_released_without_a_thread_per_read(tmp_path):
    """Each read only moves the keeper's deadline (no new timer thread); past it, the file is free."""
    import time

    from store import connection

    path = tmp_path / "keep.duckdb"
    duckdb.connect(str(path)).close()
    connection.linger(path, 30)
    keeper = connection._KEEPERS[str(path)]
    timer = keeper.timer
    threads = threading.active_count()
    for _ in range(50):
        connection.linger(path, 30)
    assert connection._KEEPERS[str(path)] is keeper and keeper.timer is timer
    assert threading.active_count() == threads
    connection._release(str(path), keeper)  # the timer fires before the deadline: it sleeps again
    assert connection._KEEPERS[str(path)] is keeper and keeper.timer is not timer
    keeper.deadline = time.monotonic() - 1  # the deadline has passed when the timer fires
    connection._release(str(path), keeper)
    assert str(path) not in connection._KEEPERS
    keeper.timer.cancel()
    assert subprocess_can_open(path) == "ok"  # another process can open the file


def subprocess_can_open(path) -> str:
    import subprocess
    import sys

    code = f"import duckdb\nduckdb.connect({str(path)!r}).close()\nprint('ok')"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.strip()


def test_reference_scenario_is_read_in_one_unit_of_work_and_follows_a_rename(store):
    assert store.reference_scenario() == store.load_scenario("Référence")
    store.rename_scenario("Référence", "Référence 2021")
    assert store.reference_scenario().scenario.name == "Référence 2021"
    assert store.reference_scenario().info.is_reference
