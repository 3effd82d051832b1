"""No silent overwrite (issue 22): an export carries each operation's version, the form holds the
one it was opened at; a change made from an old read keeps what others changed since in other
fields, and is refused, naming who changed what, when it clashes with it."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest

from formats.write import write_csv
from simulation.import_columns import OPTIONAL_COLUMNS, VERSION_COLUMN
from store import ImportRefused, Store


@pytest.fixture
def team(store):
    store.add_person("Alice", "administrateur")
    store.as_user("Alice").add_person("Bruno", "arbitre")
    return store


def export(store: Store, path: Path) -> Path:
    portfolio, versions = store.portfolio_with_versions()
    return write_csv(portfolio, path, versions)


def edit(path: Path, target: Path, op_id: str, **cells: str) -> Path:
    """The exported file with some cells of one row changed (as a person would in a spreadsheet)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == op_id:
            for column, value in cells.items():
                row[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    target.write_text(buffer.getvalue(), encoding="utf-8")
    return target


def test_an_export_carries_versions_and_reimports_unchanged(team, tmp_path):
    path = export(team, tmp_path / "ops.csv")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[-1] == VERSION_COLUMN
    summary = team.as_user("Alice").import_operations(path)
    assert summary.change_set is None and len(summary.unchanged) == len(team.portfolio().operations)


def test_two_imports_from_the_same_export_keep_both_changes(team, tmp_path):
    """The probe: A changes a title and imports; B changes a cost from the same earlier export."""
    first = team.portfolio().operations[0]
    read = export(team, tmp_path / "ops.csv")
    alice = edit(read, tmp_path / "alice.csv", first.id, intitule="Titre d'Alice")
    bruno = edit(read, tmp_path / "bruno.csv", first.id, cout_ht="12345678")
    team.as_user("Alice").import_operations(alice)
    team.as_user("Bruno").import_operations(bruno)
    stored = team.portfolio().by_id[first.id]
    assert stored.title == "Titre d'Alice" and stored.cost_ht == 12_345_678


def test_a_clash_is_refused_naming_who_changed_what(team, tmp_path):
    first = team.portfolio().operations[0]
    read = export(team, tmp_path / "ops.csv")
    team.as_user("Alice").import_operations(edit(read, tmp_path / "a.csv", first.id, intitule="Titre d'Alice"))
    before = team.portfolio()
    with pytest.raises(ImportRefused) as refused:
        team.as_user("Bruno").import_operations(edit(read, tmp_path / "b.csv", first.id, intitule="Titre de Bruno"))
    issue = refused.value.issues[0]
    assert issue.column == "intitule" and issue.row == 2
    assert "modifiée depuis votre lecture" in issue.reason and "par Alice le " in issue.reason
    assert f"({first.title} → Titre d'Alice)" in issue.reason
    assert team.portfolio() == before


def test_a_partial_file_touching_other_fields_merges(team, tmp_path):
    """Bruno's file has the required columns only; Alice changed the programme since (absent)."""
    first = team.portfolio().operations[0]
    read = export(team, tmp_path / "ops.csv")
    team.as_user("Alice").save_operation(first.model_copy(update={"programme": "Programme d'Alice"}))
    rows = list(csv.reader(io.StringIO(read.read_text(encoding="utf-8-sig")), delimiter=";"))
    keep = [i for i, name in enumerate(rows[0]) if name not in OPTIONAL_COLUMNS or name == VERSION_COLUMN]
    partial = [[row[i] for i in keep] for row in rows if row[0] in ("id", first.id)]
    partial[1][partial[0].index("duree_travaux")] = str(first.works_months + 1)
    path = tmp_path / "partiel.csv"
    path.write_text("\r\n".join(";".join(row) for row in partial), encoding="utf-8")
    team.as_user("Bruno").import_operations(path)
    stored = team.portfolio().by_id[first.id]
    assert (stored.programme, stored.works_months) == ("Programme d'Alice", first.works_months + 1)


def test_the_form_holds_its_version(team):
    first = team.portfolio().operations[0]
    opened = team.operation_version(first.id)
    team.as_user("Alice").save_operation(first.model_copy(update={"title": "Par Alice"}))
    # Bruno's form, opened before, changes the cost only: Alice's title is kept.
    team.as_user("Bruno").save_operation(first.model_copy(update={"cost_ht": 9_000_000.0}), expected_version=opened)
    stored = team.portfolio().by_id[first.id]
    assert (stored.title, stored.cost_ht) == ("Par Alice", 9_000_000.0)
    # The same form saved again on the title: refused, Alice named.
    with pytest.raises(ImportRefused, match="par Alice"):
        team.as_user("Bruno").save_operation(first.model_copy(update={"title": "Par Bruno"}), expected_version=opened)
    assert team.portfolio().by_id[first.id].title == "Par Alice"


@pytest.mark.parametrize("same_field", [False, True])
def test_two_people_saving_at_once_both_keep_their_work_or_the_second_is_told(team, same_field):
    first = team.portfolio().operations[0]
    opened = team.operation_version(first.id)
    changes = {
        "Alice": {"title": "Par Alice"},
        "Bruno": {"title": "Par Bruno"} if same_field else {"priority": 5 if first.priority != 5 else 4},
    }
    outcomes: dict[str, object] = {}
    start = threading.Barrier(2)

    def save(user: str) -> None:
        start.wait()
        try:
            team.as_user(user).save_operation(first.model_copy(update=changes[user]), expected_version=opened)
            outcomes[user] = "saved"
        except ImportRefused as exc:
            outcomes[user] = exc

    threads = [threading.Thread(target=save, args=(user,)) for user in changes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = team.portfolio().by_id[first.id]
    if not same_field:
        assert outcomes == {"Alice": "saved", "Bruno": "saved"}
        assert stored.title == "Par Alice" and stored.priority == changes["Bruno"]["priority"]
    else:
        told = [user for user, outcome in outcomes.items() if outcome != "saved"]
        assert len(told) == 1
        winner = next(user for user in changes if user not in told)
        assert stored.title == f"Par {winner}"
        assert f"par {winner}" in str(outcomes[told[0]])
