"""The scenario bin: a deleted scenario waits here until its author or an administrateur restores it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.access import Action, Person, enforce
from store.errors import ScenarioConflict, StoreError
from store.journal import next_id, now, open_change_set, record
from store.room import Connection, Room
from store.scenarios import load_stored


@dataclass(frozen=True)
class BinnedScenario:
    name: str
    author: str
    version: int
    deleted_by: str
    deleted_at: datetime


class ScenarioBinRoom(Room):
    def delete_scenario(self, name: str, *, reason: str | None = None) -> None:
        """Send a scenario to the bin (its author or an administrateur can restore it)."""

        def write(con: Connection, actor: Person) -> None:
            stored = load_stored(con, name)
            if stored.info.is_reference:
                raise StoreError(f"Le scénario de référence « {name} » ne peut pas être supprimé.")
            enforce(actor, Action.CHANGE_SCENARIO, f"supprimer « {name} »", author=stored.info.author)
            bin_scenario(con, actor, name)
            con.execute("DELETE FROM scenarios WHERE name = ?", [name])
            cs = open_change_set(con, actor, f"scénario « {name} » mis à la corbeille", reason)
            version = stored.info.version
            record(con, cs, actor, "scénario", name, None, None, "enregistré", "corbeille", reason, version)

        self._write(write)

    def binned_scenarios(self) -> list[BinnedScenario]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT name, author, version, deleted_by, deleted_at FROM scenario_bin ORDER BY deleted_at DESC, bin_id DESC"
            ).fetchall()
        )
        return [BinnedScenario(r[0], r[1] or "", int(r[2]), r[3], r[4]) for r in rows]

    def restore_scenario(self, name: str, *, reason: str | None = None) -> int:
        """Take the last binned scenario of that name out of the bin, as a new version."""

        def write(con: Connection, actor: Person) -> int:
            row = con.execute(
                "SELECT bin_id, payload, author, rationale, parent, version, created_at FROM scenario_bin "
                "WHERE name = ? ORDER BY bin_id DESC LIMIT 1",
                [name],
            ).fetchone()
            if row is None:
                raise StoreError(f"Aucun scénario « {name} » dans la corbeille.")
            author = row[2] or ""
            enforce(actor, Action.RESTORE_FROM_BIN, f"restaurer « {name} »", author=author)
            if con.execute("SELECT 1 FROM scenarios WHERE name = ?", [name]).fetchone():
                raise ScenarioConflict(f"Un scénario « {name} » existe déjà : renommez-le avant de restaurer.")
            version = int(row[5]) + 1
            con.execute(
                "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, FALSE, ?, ?, ?)",
                [name, row[1], author, row[3], row[4], version, row[6], now()],
            )
            con.execute("DELETE FROM scenario_bin WHERE bin_id = ?", [row[0]])
            cs = open_change_set(con, actor, f"scénario « {name} » restauré", reason)
            record(con, cs, actor, "scénario", name, None, None, "corbeille", "restauré", reason, version)
            return version

        return self._write(write)

    def purge_scenario(self, name: str, *, reason: str | None = None) -> None:
        def write(con: Connection, actor: Person) -> None:
            enforce(actor, Action.EMPTY_BIN, "vider la corbeille")
            if not con.execute("SELECT 1 FROM scenario_bin WHERE name = ?", [name]).fetchone():
                raise StoreError(f"Aucun scénario « {name} » dans la corbeille.")
            con.execute("DELETE FROM scenario_bin WHERE name = ?", [name])
            cs = open_change_set(con, actor, f"scénario « {name} » purgé", reason)
            record(con, cs, actor, "scénario", name, None, None, "corbeille", "purgé", reason, None)

        self._write(write)


def bin_scenario(con: Connection, actor: Person, name: str) -> None:
    """Copy the stored scenario ``name`` into the bin, deleted by ``actor`` now."""
    con.execute(
        "INSERT INTO scenario_bin SELECT ?, name, payload, author, rationale, parent, version, created_at, "
        "?, ? FROM scenarios WHERE name = ?",
        [next_id(con, "scenario_bin", "bin_id"), actor.name, now(), name],
    )
