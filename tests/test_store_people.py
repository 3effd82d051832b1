"""People, roles, history, bin, milestones and safe imports of the store (``store.database``)."""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formats.write import operation_to_row
from simulation import Scenario
from simulation.import_columns import COLUMNS, OPTIONAL_COLUMNS
from store import AccessDenied, ImportRefused, ScenarioConflict, Store, StoreError
from store.database import SCHEMA_VERSION

FIXTURE = Path(__file__).parent / "fixtures" / "main_v1.duckdb"
COLUMNS_REQUIRED = [c for c in COLUMNS if c not in OPTIONAL_COLUMNS]


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    lines = [";".join(header)] + [";".join("" if v is None else str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _snapshot(store: Store) -> bytes:
    """The whole database's content, to compare before and after a refusal."""
    copy = store.path.with_name(f"snap-{uuid.uuid4().hex}.duckdb")
    store.backup(copy)
    import duckdb

    con = duckdb.connect(str(copy), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        dump = [(t, sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall()))) for t in tables]
    finally:
        con.close()
    return repr(dump).encode()


# ------------------------------------------------------------------------------ role matrix


def _education_op(store: Store):
    return next(op for op in store.portfolio().operations if op.directorate == "Éducation")


def _other_op(store: Store):
    return next(op for op in store.portfolio().operations if op.directorate != "Éducation")


ACTIONS = {
    "edit own-directorate operation": lambda s: s.save_operation(
        _education_op(s).model_copy(update={"title": "Titre revu"})
    ),
    "edit another directorate's operation": lambda s: s.save_operation(
        _other_op(s).model_copy(update={"title": "Titre revu"})
    ),
    "save a new scenario": lambda s: s.save_scenario(Scenario(name=f"Essai {s.user}")),
    "save over someone else's scenario": lambda s: s.save_scenario(
        s.load_scenario("Variante – écoles accélérées").scenario.model_copy(update={"rationale": "revu"}),
        expected_version=1,
    ),
    "save over the reference": lambda s: s.save_scenario(
        s.load_scenario("Référence").scenario.model_copy(update={"escalation_rate": 0.025}), expected_version=1
    ),
    "delete someone else's scenario": lambda s: s.delete_scenario("Variante – écoles accélérées"),
    "create a milestone": lambda s: s.create_milestone(f"Jalon de {s.user}"),
    "add a person": lambda s: s.add_person(f"Nouveau {s.user}", "lecteur"),
    "replace the portfolio": lambda s: s.import_operations(s.path.parent / "all.csv", replace=True),
    "restore an operation version": lambda s: s.restore_operation(_education_op(s).id, 1),
}

ALLOWED = {
    "lecteur": set(),
    "contributeur": {"edit own-directorate operation", "save a new scenario"},
    "arbitre": {
        "edit own-directorate operation",
        "edit another directorate's operation",
        "save a new scenario",
        "save over someone else's scenario",
        "save over the reference",
        "delete someone else's scenario",
        "create a milestone",
    },
    "administrateur": set(ACTIONS),
}
PERSON = {"lecteur": "Luc", "contributeur": "Léa", "arbitre": "Arnaud", "administrateur": "Admin"}


@pytest.mark.parametrize("role", list(PERSON))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_matrix(team, role, action):
    from formats.write import export_operations

    export_operations(team.portfolio(), team.path.parent / "export")
    shutil.copy(team.path.parent / "export" / "operations.csv", team.path.parent / "all.csv")
    acting = team.as_user(PERSON[role])
    before = _snapshot(team)
    team.close()
    file_bytes = team.path.read_bytes()
    if action in ALLOWED[role]:
        ACTIONS[action](acting)
        no_op = {"replace the portfolio", "restore an operation version"}  # same data written back
        assert _snapshot(team) != before or action in no_op
    else:
        with pytest.raises(AccessDenied) as refused:
            ACTIONS[action](acting)
        team.close()
        assert team.path.read_bytes() == file_bytes  # the file itself is untouched
        message = str(refused.value)
        assert message.startswith("Refusé : ") and PERSON[role] in message
        assert "réservée" in message or "Seuls" in message or "seuls" in message
        assert _snapshot(team) == before


def test_unknown_or_missing_person_is_refused_once_people_exist(team):
    before = _snapshot(team)
    with pytest.raises(AccessDenied, match="n'est pas une personne connue"):
        team.as_user("Intrus").save_scenario(Scenario(name="X"))
    with pytest.raises(AccessDenied, match="Personne n'est identifié"):
        team.as_user(None).save_scenario(Scenario(name="X"))
    assert _snapshot(team) == before


def test_first_person_must_be_administrateur_and_the_last_one_stays(store):
    with pytest.raises(StoreError, match="première personne"):
        store.add_person("Léa", "contributeur", ("Éducation",))
    store.add_person("Admin", "administrateur")
    with pytest.raises(StoreError, match="dernier administrateur"):
        store.as_user("Admin").remove_person("Admin")


def test_author_of_a_save_is_the_person_acting_and_a_refusal_names_who_saved_last(team):
    version = team.as_user("Léa").save_scenario(Scenario(name="Atelier", author="quelqu'un d'autre"))
    assert team.load_scenario("Atelier").info.author == "Léa"
    team.as_user("Arnaud").save_scenario(
        team.load_scenario("Atelier").scenario.model_copy(update={"rationale": "arbitré"}), expected_version=version
    )
    with pytest.raises(ScenarioConflict, match="modifié par Arnaud"):
        team.as_user("Léa").save_scenario(Scenario(name="Atelier"), expected_version=version)


# ------------------------------------------------------------------------------ history


def test_history_round_trip_change_then_restore_gives_identical_data(team):
    admin = team.as_user("Admin")
    op = _education_op(team)
    original = team.portfolio()
    changed = op.model_copy(update={"cost_ht": op.cost_ht + 100_000, "programme": "Programme revu"})
    team.as_user("Léa").save_operation(changed, reason="chiffrage APS")
    entries = team.history(operation=op.id)
    fields = {e.field: (e.before, e.after) for e in entries if e.version == 2}
    assert fields == {
        "cost_ht": (op.cost_ht, op.cost_ht + 100_000),
        "programme": (op.programme, "Programme revu"),
    }
    assert {e.user for e in entries if e.version == 2} == {"Léa"}
    assert {e.reason for e in entries if e.version == 2} == {"chiffrage APS"}
    assert team.operation_version(op.id) == 2  # version 1 is the initial state
    assert admin.restore_operation(op.id, 1) == 3
    assert team.portfolio() == original
    restored = [e for e in team.history(operation=op.id) if e.version == 3]
    assert {e.field for e in restored} == {"cost_ht", "programme"} and {e.user for e in restored} == {"Admin"}


def test_history_starts_with_an_initial_state(store):
    first = store.history()[-1]
    assert first.kind == "état initial" and "démonstration" in (first.reason or "")
    assert first.after["opérations"] == len(store.portfolio().operations)


def test_an_import_is_one_change_set_that_can_be_undone(team, tmp_path):
    admin = team.as_user("Admin")
    original = team.portfolio()
    first, second = original.operations[0], original.operations[1]
    rows = [operation_to_row(first) | {"cout_ht": 1_000_000}, operation_to_row(second) | {"capacite": 99}]
    header = list(rows[0])
    summary = admin.import_operations(_csv(tmp_path / "lot.csv", header, [[r[c] for c in header] for r in rows]))
    assert summary.change_set is not None and summary.updated == [first.id, second.id]
    assert {e.change_set for e in team.history() if e.kind == "opération"} == {summary.change_set}
    undone = admin.undo_change_set(summary.change_set)
    assert team.portfolio() == original and sorted(undone.updated) == sorted([first.id, second.id])
    with pytest.raises(StoreError, match="déjà été annulé"):
        admin.undo_change_set(summary.change_set)


def test_replace_import_can_be_undone_as_a_whole(team, tmp_path):
    admin = team.as_user("Admin")
    admin.delete_scenario("Variante – écoles accélérées")
    original = team.portfolio()
    kept = [op for op in original.operations if op.depends_on is None][:2]
    header = list(operation_to_row(kept[0]))
    path = _csv(tmp_path / "two.csv", header, [[operation_to_row(op)[c] for c in header] for op in kept])
    summary = admin.import_operations(path, replace=True, reason="portefeuille réduit")
    assert len(team.portfolio().operations) == 2 and summary.removed
    admin.undo_change_set(summary.change_set)
    assert {op.id: op for op in team.portfolio().operations} == {op.id: op for op in original.operations}


# ------------------------------------------------------------------------------ safe imports


def test_update_import_changes_only_the_columns_present(store, tmp_path):
    op = store.portfolio().by_id["CNSM-01"]
    assert op.funding and op.area_m2 and op.priority == 1
    row = operation_to_row(op)
    header = [*COLUMNS_REQUIRED]
    path = _csv(tmp_path / "min.csv", header, [[row[c] for c in header[:-1]] + [12]])  # works 11 → 12 months
    store.import_operations(path)
    after = store.portfolio().by_id["CNSM-01"]
    assert after == op.model_copy(update={"works_months": 12})


def test_an_empty_cell_in_a_present_column_clears_the_field(store, tmp_path):
    op = store.portfolio().by_id["CNSM-01"]
    row = operation_to_row(op)
    header = [*COLUMNS_REQUIRED, "surface_m2", "anru", "priorite"]
    path = _csv(tmp_path / "clear.csv", header, [[row[c] for c in COLUMNS_REQUIRED] + ["", "", ""]])
    store.import_operations(path)
    after = store.portfolio().by_id["CNSM-01"]
    assert after.area_m2 is None and "anru" not in after.funding and after.priority == 3
    assert after.capacity == op.capacity and after.funding.get("etat") == op.funding.get("etat")


def test_dependencies_are_checked_against_store_and_file(store, tmp_path):
    op = store.portfolio().by_id["CNSM-02"]
    assert op.depends_on == "CNSM-01"
    row = operation_to_row(op) | {"id": "NEW-01", "depend_de": "CNSM-01"}
    header = list(row)
    store.import_operations(_csv(tmp_path / "dep.csv", header, [[row[c] for c in header]]))
    assert store.portfolio().by_id["NEW-01"].depends_on == "CNSM-01"
    bad = row | {"id": "NEW-02", "depend_de": "NULLE-PART"}
    with pytest.raises(ImportRefused) as refused:
        store.import_operations(_csv(tmp_path / "bad.csv", header, [[bad[c] for c in header]]))
    assert [(i.row, i.column) for i in refused.value.issues] == [(2, "depend_de")]
    loop = operation_to_row(store.portfolio().by_id["CNSM-01"]) | {"depend_de": "NEW-01"}
    with pytest.raises(ImportRefused, match="circulaires"):
        store.import_operations(_csv(tmp_path / "loop.csv", header, [[loop[c] for c in header]]))


def test_delete_cannot_leave_a_dangling_dependency(store):
    with pytest.raises(StoreError, match="en dépend"):
        store.delete_operation("CNSM-01")
    assert store.portfolio().by_id["CNSM-02"].depends_on == "CNSM-01"


# ------------------------------------------------------------------------------ scenarios bin


def test_deleted_scenario_goes_to_the_bin_author_restores_admin_purges(team):
    lea = team.as_user("Léa")
    lea.save_scenario(Scenario(name="Mien"))
    lea.delete_scenario("Mien")
    assert [b.name for b in team.binned_scenarios()] == ["Mien"]
    with pytest.raises(AccessDenied, match="seuls son auteur"):
        team.as_user("Arnaud").restore_scenario("Mien")
    assert lea.restore_scenario("Mien") == 2
    assert team.load_scenario("Mien").info.author == "Léa"
    lea.delete_scenario("Mien")
    with pytest.raises(AccessDenied, match="administrateurs"):
        lea.purge_scenario("Mien")
    team.as_user("Admin").purge_scenario("Mien")
    assert team.binned_scenarios() == []


# ------------------------------------------------------------------------------ concurrency


def test_twenty_threads_saving_lose_nothing_and_each_write_is_in_history_once(team):
    ops = [op for op in team.portfolio().operations][:20]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            s = team.as_user("Arnaud" if i % 2 else "Admin").cursor()
            s.save_operation(ops[i].model_copy(update={"title": f"Titre {i}"}), reason=f"fil {i}")
            s.save_scenario(Scenario(name=f"Fil {i}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    portfolio = team.portfolio()
    assert [portfolio.by_id[op.id].title for op in ops] == [f"Titre {i}" for i in range(20)]
    history = team.history()
    for i, op in enumerate(ops):
        assert [e.after for e in history if e.target == op.id and e.field == "title"] == [f"Titre {i}"]
        assert len([e for e in history if e.target == f"Fil {i}"]) == 1
    assert {f"Fil {i}" for i in range(20)} <= {i.name for i in team.list_scenarios()}


# ------------------------------------------------------------------------------ milestones


def test_milestone_drift_on_the_store(team):
    arbitre = team.as_user("Arnaud")
    arbitre.create_milestone("Comité d'engagement – mars 2027")
    op = team.portfolio().by_id["CNSM-02"]
    arbitre.save_operation(
        op.model_copy(update={"cost_ht": op.cost_ht + 500_000, "design_months": op.design_months + 3})
    )
    drift = team.drift("Comité d'engagement – mars 2027")
    row = next(o for o in drift.operations if o.id == "CNSM-02")
    assert row.status == "modifiée" and row.slippage_months == 3
    assert row.cost_ht_after - row.cost_ht_before == 500_000
    assert drift.totals["n_modified"] == 1 and drift.totals["cost_ht_drift"] == 500_000
    assert team.milestone_portfolio("Comité d'engagement – mars 2027").by_id["CNSM-02"] == op


# ------------------------------------------------------------------------------ migration and backup


def test_database_written_by_the_previous_version_opens_with_everything(tmp_path):
    path = tmp_path / "old.duckdb"
    shutil.copy(FIXTURE, path)
    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert len(store.portfolio().operations) == 103
    names = {i.name for i in store.list_scenarios()}
    assert names == {"Référence", "Variante – écoles accélérées", "Atelier éducation"}
    assert store.load_scenario("Atelier éducation").info.author == "Claire"
    first = store.history()[-1]
    assert first.kind == "état initial" and "reprise" in (first.reason or "")
    assert store.operation_version("CNSM-01") == 1
    assert store.is_demo()
    store.close()


def test_backup_is_a_consistent_copy_that_opens(team, tmp_path):
    copy = team.backup(tmp_path / "copie.duckdb")
    other = Store.open(copy)
    assert other.portfolio() == team.portfolio()
    assert [p.name for p in other.people()] == [p.name for p in team.people()]
    assert len(other.history()) == len(team.history())
    with pytest.raises(StoreError, match="existe déjà"):
        team.backup(copy)


def test_a_write_conflict_is_retried_then_reported_in_french(store, monkeypatch):
    import duckdb

    import store.scenarios as scenarios

    original = scenarios.write_scenario
    calls = {"n": 0}

    def conflicting_once(con, actor, scenario, expected_version, reason):
        calls["n"] += 1
        if calls["n"] == 1:  # what DuckDB raises from the UPDATE itself, not only at COMMIT
            raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")
        return original(con, actor, scenario, expected_version, reason)

    monkeypatch.setattr(scenarios, "write_scenario", conflicting_once)
    assert store.save_scenario(Scenario(name="Retentée")) == 1
    assert calls["n"] == 2 and len([e for e in store.history() if e.target == "Retentée"]) == 1

    def always_conflicting(con, actor, scenario, expected_version, reason):
        con.execute("INSERT INTO meta VALUES ('trace', 'écrit puis annulé')")
        raise duckdb.TransactionException("TransactionContext Error: Conflict on update!")

    monkeypatch.setattr(scenarios, "write_scenario", always_conflicting)
    with pytest.raises(ScenarioConflict, match="Quelqu'un d'autre a enregistré au même moment"):
        store.save_scenario(Scenario(name="Jamais"))
    assert "Jamais" not in {i.name for i in store.list_scenarios()}
    assert store._read(lambda con: con.execute("SELECT count(*) FROM meta WHERE key = 'trace'").fetchone()) == (0,)


OPTIONAL_NEW_VALUES = {
    "surface_m2": 999.0,
    "capacite": 7,
    "priorite": 5,
    "programme": "Programme réécrit",
    "etat": 1234.0,
}
FIELD = {"surface_m2": "area_m2", "capacite": "capacity", "priorite": "priority", "programme": "programme"}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    present=st.sets(st.sampled_from(sorted(OPTIONAL_NEW_VALUES))),
    blank=st.sets(st.sampled_from(sorted(OPTIONAL_NEW_VALUES))),
)
def test_update_import_property_only_present_columns_change(store, tmp_path, present, blank):
    before = store.portfolio().by_id["CNSM-02"]
    row = operation_to_row(before)
    header = [*COLUMNS_REQUIRED, *sorted(present)]
    values = [row[c] for c in COLUMNS_REQUIRED] + [
        "" if c in blank else OPTIONAL_NEW_VALUES[c] for c in sorted(present)
    ]
    store.import_operations(_csv(tmp_path / "prop.csv", header, [values]))
    after = store.portfolio().by_id["CNSM-02"]
    expected = before.model_dump()
    for column in present:
        if column == "etat":
            funding = dict(expected["funding"])
            funding.pop("etat", None)
            if column not in blank:
                funding["etat"] = OPTIONAL_NEW_VALUES[column]
            expected["funding"] = funding
        else:
            cleared = {"surface_m2": None, "capacite": None, "priorite": 3, "programme": ""}[column]
            expected[FIELD[column]] = cleared if column in blank else OPTIONAL_NEW_VALUES[column]
    assert after.model_dump() == type(before).model_validate(expected).model_dump()


def test_a_store_left_incoherent_by_an_older_version_says_so_in_french_and_replace_repairs_it(store, tmp_path):
    import duckdb

    from formats.write import export_operations

    csv_path, _ = export_operations(store.portfolio(), tmp_path / "sain")
    store.close()
    raw = duckdb.connect(str(store.path))
    raw.execute("UPDATE operations SET depends_on = 'DISPARUE' WHERE id = 'CNSM-01'")  # what a racing delete left
    raw.close()
    with pytest.raises(StoreError, match="incohérent") as refused:
        store.portfolio()
    assert "DISPARUE" in str(refused.value) and "import --replace" in str(refused.value)
    store.import_operations(csv_path, replace=True)
    assert store.portfolio().by_id["CNSM-01"].depends_on is None


def test_daily_backup_once_a_day_and_rotated(store):
    from datetime import date

    from store.backups import backup_dir, daily_backup

    for day in range(1, 5):
        assert daily_backup(store, today=date(2027, 3, day), keep=2) is not None
    assert daily_backup(store, today=date(2027, 3, 4), keep=2) is None  # already done today
    kept = sorted(p.name for p in backup_dir(store).glob("*.duckdb"))
    assert kept == [f"{store.path.stem}-2027-03-03.duckdb", f"{store.path.stem}-2027-03-04.duckdb"]
    assert Store.open(backup_dir(store) / kept[-1]).portfolio() == store.portfolio()
    assert daily_backup(store, today=date(2027, 3, 5), keep=0) is None
