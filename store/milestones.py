"""The milestones room: a frozen copy of the portfolio, so that drift since then can be shown."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from simulation.drift import Drift, drift
from simulation.model import Operation, Portfolio
from simulation.scenario import Scenario
from store.access import Action, Person, enforce
from store.errors import StoreError
from store.journal import now, open_change_set, record
from store.operation_rows import read_neighbourhoods, read_operations, valid_portfolio
from store.room import Connection, Room


@dataclass(frozen=True)
class MilestoneInfo:
    name: str
    created_at: datetime
    created_by: str
    n_operations: int


class MilestonesRoom(Room):
    def create_milestone(self, name: str, *, reason: str | None = None) -> MilestoneInfo:
        name = (name or "").strip()
        if not name:
            raise StoreError("Le nom du jalon ne peut pas être vide.")

        def write(con: Connection, actor: Person) -> MilestoneInfo:
            enforce(actor, Action.FREEZE_MILESTONE, "figer un jalon du portefeuille")
            if con.execute("SELECT 1 FROM milestones WHERE name = ?", [name]).fetchone():
                raise StoreError(f"Un jalon « {name} » existe déjà. Choisissez un autre nom.")
            operations = read_operations(con)
            payload = json.dumps([op.model_dump(mode="json") for op in operations], ensure_ascii=False)
            cs = open_change_set(con, actor, f"jalon « {name} » figé", reason)
            stamp = now()
            con.execute("INSERT INTO milestones VALUES (?, ?, ?, ?, ?)", [name, stamp, actor.name, payload, cs])
            record(con, cs, actor, "jalon", name, None, None, None, {"opérations": len(operations)}, reason, None)
            return MilestoneInfo(name, stamp, actor.name, len(operations))

        return self._write(write)

    def milestones(self) -> list[MilestoneInfo]:
        rows = self._read(
            lambda con: con.execute(
                "SELECT name, created_at, created_by, json_array_length(operations) FROM milestones ORDER BY created_at, name"
            ).fetchall()
        )
        return [MilestoneInfo(r[0], r[1], r[2], int(r[3])) for r in rows]

    def milestone_portfolio(self, name: str) -> Portfolio:
        """The portfolio as frozen at the milestone (a scenario can run on it)."""
        return self._read(lambda con: valid_portfolio(read_neighbourhoods(con), milestone_operations(con, name)))

    def drift(self, name: str) -> Drift:
        """Today's portfolio against the milestone ``name``, with the reference's commitment milestone."""

        def read(con: Connection) -> Drift:
            before = milestone_operations(con, name)
            reference = con.execute("SELECT payload FROM scenarios WHERE is_reference").fetchone()
            milestone = Scenario.model_validate_json(reference[0]).commitment_milestone if reference else "works_start"
            return drift(tuple(before), tuple(read_operations(con)), milestone)

        return self._read(read)


def milestone_operations(con: Connection, name: str) -> list[Operation]:
    row = con.execute("SELECT operations FROM milestones WHERE name = ?", [name]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM milestones ORDER BY created_at").fetchall()]
        raise StoreError(f"Aucun jalon « {name} ». Jalons : {', '.join(f'« {k} »' for k in known) or 'aucun'}.")
    return [Operation.model_validate(item) for item in json.loads(row[0])]
