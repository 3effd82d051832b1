"""The scenarios room: saved arbitration options, with a version each and optimistic concurrency.

Saving over a scenario requires the version the person loaded (``expected_version``): if
someone saved in between, ``ScenarioConflict`` says who and when, and nothing is written.
The bin (``store.scenario_bin``) keeps what was deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from simulation.errors import french_message
from simulation.scenario import Scenario
from store.access import Action, Person, enforce
from store.errors import ScenarioConflict, StoreError
from store.journal import now, open_change_set, record
from store.room import Connection, Room

NAME_MAX = 120


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    author: str
    rationale: str
    parent: str | None
    is_reference: bool
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class StoredScenario:
    scenario: Scenario
    info: ScenarioInfo


@dataclass(frozen=True)
class Glance:
    """What a page run needs from the database, read in one unit of work."""

    revision: int
    """The portfolio's revision (the pages' cache key)."""
    demo: bool
    """The portfolio is the shipped demonstration dataset."""
    reference: StoredScenario


class ScenariosRoom(Room):
    def reference_name(self) -> str:
        row = self._read(
            lambda con: con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone(), key="reference_name"
        )
        if row is None:
            raise StoreError("La base ne contient pas de scénario de référence.")
        return str(row[0])

    def reference_scenario(self) -> StoredScenario:
        """The reference scenario, in one read (what a page compares against at every rerun)."""

        def read(con: Connection) -> StoredScenario:
            row = con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone()
            if row is None:
                raise StoreError("La base ne contient pas de scénario de référence.")
            return load_stored(con, str(row[0]))

        return self._read(read, key="reference_scenario")

    def glance(self) -> Glance:
        """The portfolio's revision, whether it is the demo, and the reference scenario, in one
        read: a lever move on the Arbitrage page opens the database for this only."""

        def read(con: Connection) -> Glance:
            meta = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('revision', 'dataset')").fetchall())
            row = con.execute("SELECT name FROM scenarios WHERE is_reference").fetchone()
            if row is None:
                raise StoreError("La base ne contient pas de scénario de référence.")
            revision = int(meta["revision"]) if "revision" in meta else 0
            return Glance(revision, meta.get("dataset") == "demo", load_stored(con, str(row[0])))

        return self._read(read)

    def list_scenarios(self) -> list[ScenarioInfo]:
        return list(self._read(list_stored, key="scenarios"))

    def load_scenario(self, name: str) -> StoredScenario:
        return self._read(lambda con: load_stored(con, name))

    def save_scenario(
        self, scenario: Scenario, *, expected_version: int | None = None, reason: str | None = None
    ) -> int:
        """Save under ``scenario.name``; returns the new version number.

        A new name is created. An existing name is overwritten only when ``expected_version``
        is the version the caller loaded: if someone saved in between, ``ScenarioConflict``
        says so and nothing is written (the caller can save under another name). The author
        recorded is the person acting.
        """
        return self._write(lambda con, actor: write_scenario(con, actor, scenario, expected_version, reason))

    def duplicate_scenario(
        self, source: str, new_name: str, *, author: str = "", rationale: str | None = None
    ) -> Scenario:
        original = self.load_scenario(source).scenario
        copy = original.model_copy(
            update={
                "name": checked_name(new_name),
                "parent": source,
                "author": author or original.author,
                "rationale": original.rationale if rationale is None else rationale,
            }
        )
        self.save_scenario(copy)
        return self.load_scenario(copy.name).scenario

    def rename_scenario(self, old: str, new: str, *, reason: str | None = None) -> None:
        new = checked_name(new)

        def write(con: Connection, actor: Person) -> None:
            stored = load_stored(con, old)
            enforce(
                actor,
                Action.CHANGE_SCENARIO,
                f"renommer « {old} »",
                author=stored.info.author,
                is_reference=stored.info.is_reference,
            )
            if con.execute("SELECT 1 FROM scenarios WHERE name = ?", [new]).fetchone():
                raise ScenarioConflict(f"Un scénario « {new} » existe déjà. Choisissez un autre nom.")
            renamed = stored.scenario.model_copy(update={"name": new})
            version = stored.info.version + 1
            con.execute(
                "UPDATE scenarios SET name = ?, payload = ?, version = ?, updated_at = ? WHERE name = ?",
                [new, renamed.model_dump_json(), version, now(), old],
            )
            con.execute("UPDATE scenarios SET parent = ? WHERE parent = ?", [new, old])
            if stored.info.is_reference:
                con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [new])
            cs = open_change_set(con, actor, f"scénario « {old} » renommé", reason)
            record(con, cs, actor, "scénario", new, None, "name", old, new, reason, version)

        self._write(write)


def list_stored(con: Connection) -> list[ScenarioInfo]:
    rows = con.execute(
        "SELECT name, author, rationale, parent, is_reference, version, created_at, updated_at "
        "FROM scenarios ORDER BY is_reference DESC, updated_at DESC, name"
    ).fetchall()
    return [ScenarioInfo(r[0], r[1] or "", r[2] or "", r[3], bool(r[4]), int(r[5]), r[6], r[7]) for r in rows]


def load_stored(con: Connection, name: str) -> StoredScenario:
    row = con.execute(
        "SELECT payload, author, rationale, parent, is_reference, version, created_at, updated_at "
        "FROM scenarios WHERE name = ?",
        [name],
    ).fetchone()
    if row is None:
        known = ", ".join(f"« {i.name} »" for i in list_stored(con))
        raise StoreError(f"Aucun scénario nommé « {name} ». Scénarios enregistrés : {known or 'aucun'}.")
    try:
        scenario = Scenario.model_validate_json(row[0])
    except ValidationError as exc:
        raise StoreError(f"Le scénario « {name} » enregistré est illisible :\n{french_message(exc)}") from None
    info = ScenarioInfo(name, row[1] or "", row[2] or "", row[3], bool(row[4]), int(row[5]), row[6], row[7])
    return StoredScenario(scenario, info)


def write_scenario(
    con: Connection,
    actor: Person,
    scenario: Scenario,
    expected_version: int | None,
    reason: str | None,
) -> int:
    """Create or overwrite (at ``expected_version``) a scenario, in the caller's transaction."""
    enforce(actor, Action.SAVE_SCENARIO, f"enregistrer le scénario « {scenario.name} »")
    if not actor.implicit or not scenario.author:
        scenario = scenario.model_copy(update={"author": actor.name})
    row = con.execute(
        "SELECT version, author, updated_at, payload, is_reference FROM scenarios WHERE name = ?", [scenario.name]
    ).fetchone()
    if row is None:
        insert_scenario(con, scenario, is_reference=False)
        cs = open_change_set(con, actor, f"scénario « {scenario.name} » créé", reason)
        after = {"parent": scenario.parent, "rationale": scenario.rationale}
        record(con, cs, actor, "scénario", scenario.name, None, None, None, after, reason, 1)
        return 1
    version, author, updated_at, payload, is_reference = int(row[0]), row[1] or "?", row[2], row[3], bool(row[4])
    if expected_version is None:
        raise ScenarioConflict(
            f"Un scénario « {scenario.name} » existe déjà (enregistré par {author} le "
            f"{updated_at:%d/%m/%Y à %H:%M}). Choisissez un autre nom."
        )
    if expected_version != version:
        raise ScenarioConflict(
            f"Le scénario « {scenario.name} » a été modifié par {author} le "
            f"{updated_at:%d/%m/%Y à %H:%M} depuis que vous l'avez ouvert : rien n'a été "
            "écrasé. Enregistrez votre version sous un autre nom."
        )
    enforce(
        actor,
        Action.CHANGE_SCENARIO,
        f"modifier le scénario « {scenario.name} »",
        author=author,
        is_reference=is_reference,
    )
    con.execute(
        "UPDATE scenarios SET payload = ?, author = ?, rationale = ?, parent = ?, version = ?, "
        "updated_at = ? WHERE name = ?",
        [
            scenario.model_dump_json(),
            scenario.author,
            scenario.rationale,
            scenario.parent,
            version + 1,
            now(),
            scenario.name,
        ],
    )
    cs = open_change_set(con, actor, f"scénario « {scenario.name} » enregistré", reason)
    for field, before, after in scenario_diff(json.loads(payload), json.loads(scenario.model_dump_json())):
        record(con, cs, actor, "scénario", scenario.name, None, field, before, after, reason, version + 1)
    return version + 1


def scenario_diff(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Changed keys of two scenario payloads; choices, envelopes and headcounts one level deeper."""
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b or key == "author":
            continue
        if isinstance(a, dict) and isinstance(b, dict) and key in ("choices", "envelopes", "headcount"):
            for sub in sorted(set(a) | set(b)):
                if a.get(sub) != b.get(sub):
                    changes.append((f"{key}.{sub}", a.get(sub), b.get(sub)))
        else:
            changes.append((key, a, b))
    return changes


def insert_scenario(con: Connection, scenario: Scenario, *, is_reference: bool) -> None:
    stamp = now()
    con.execute(
        "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
        [
            scenario.name,
            scenario.model_dump_json(),
            scenario.author,
            scenario.rationale,
            scenario.parent,
            is_reference,
            stamp,
            stamp,
        ],
    )


def checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise StoreError("Le nom du scénario ne peut pas être vide.")
    if len(name) > NAME_MAX:
        raise StoreError(f"Le nom du scénario est trop long ({NAME_MAX} caractères au plus).")
    return name
