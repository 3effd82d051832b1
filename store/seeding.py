"""Seeding: an empty store filled from ``data/``, or made to hold the City's own portfolio.

The history starts here with an "état initial" entry and version 1 of every operation.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from formats.actuals import with_demo_accounts
from formats.errors import ImportRefused
from formats.files import load_neighbourhoods, load_portfolio, load_scenario_file
from formats.shipped import DEMO_MILESTONE
from simulation.model import Actual, Portfolio
from simulation.scenario import Scenario
from store import paths
from store.access import Action, Person, enforce
from store.errors import StoreError
from store.journal import open_change_set, record
from store.operation_rows import (
    apply_changes,
    insert_neighbourhoods,
    insert_operations,
    read_neighbourhoods,
    read_operations,
)
from store.operations import ImportSummary
from store.room import Connection, Room
from store.scenario_bin import bin_scenario
from store.scenarios import insert_scenario, list_stored
from store.unit_of_work import system_person


class SeedingRoom(Room):
    def seed(
        self,
        operations_file: str | Path = paths.DEMO_OPERATIONS_CSV,
        scenario_file: str | Path = paths.DEMO_SCENARIO_JSON,
        neighbourhoods_file: str | Path = paths.NEIGHBOURHOODS_CSV,
        variant_files: tuple[Path, ...] = paths.DEMO_VARIANT_JSONS,
    ) -> None:
        """Fill an empty store with the shipped neighbourhoods, portfolio and scenarios."""
        neighbourhoods = load_neighbourhoods(neighbourhoods_file)
        portfolio = load_portfolio(operations_file, neighbourhoods)
        reference = load_scenario_file(scenario_file)
        variants = [load_scenario_file(path) for path in variant_files]
        for variant in variants:
            problems = variant.check_against(portfolio)
            if problems:
                raise StoreError(f"Scénario livré « {variant.name} » invalide : " + " ; ".join(problems))
        demo = Path(operations_file).resolve() == paths.DEMO_OPERATIONS_CSV.resolve()
        actuals: tuple[Actual, ...] = ()
        if demo:
            portfolio = with_demo_accounts(portfolio)
            actuals, portfolio = portfolio.actuals, portfolio.model_copy(update={"actuals": ()})

        def write(con: Connection, actor: Person) -> None:
            insert_neighbourhoods(con, neighbourhoods)
            insert_operations(con, portfolio.operations, replace=True)
            insert_scenario(con, reference, is_reference=True)
            for variant in variants:
                insert_scenario(con, variant, is_reference=False)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [reference.name])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', ?)", ["demo" if demo else "ville"])
            source = "jeu de démonstration" if demo else Path(operations_file).name
            initial_state(con, f"état initial ({source})")
            if demo:
                seed_demo_accounts(con, portfolio, actuals)

        self._write(write, system=True)

    def init_portfolio(
        self, operations_file: str | Path, scenario_file: str | Path | None = None, *, force: bool = False
    ) -> ImportSummary:
        """Make the store hold the City's own portfolio and reference scenario, without the demo.

        On a store that already has operations, refused unless ``force`` (administrateur only).
        """
        neighbourhoods = load_neighbourhoods()
        portfolio = load_portfolio(operations_file, neighbourhoods)
        reference = load_scenario_file(scenario_file) if scenario_file else Scenario(name="Référence")
        problems = reference.check_against(portfolio)
        if problems:
            raise StoreError(f"Scénario « {reference.name} » invalide : " + " ; ".join(problems))

        def write(con: Connection, actor: Person) -> ImportSummary:
            existing = read_operations(con)
            has_scenarios = bool(con.execute("SELECT count(*) FROM scenarios").fetchone()[0])  # type: ignore[index]
            if existing or has_scenarios:
                if not force:
                    raise StoreError(
                        f"La base {self.path} contient déjà {len(existing)} opération(s) : rien n'a été fait. "
                        "Un administrateur peut la remplacer avec --force (une sauvegarde est prise avant)."
                    )
                enforce(actor, Action.RESET_DATABASE, "réinitialiser la base (init --force)")
            if not read_neighbourhoods(con):
                insert_neighbourhoods(con, neighbourhoods)
            cs = open_change_set(con, actor, f"initialisation ({Path(operations_file).name})", None)
            for info in list_stored(con):
                why = "remplacé par init"
                record(con, cs, actor, "scénario", info.name, None, None, "enregistré", "corbeille", why, info.version)
                bin_scenario(con, actor, info.name)
            con.execute("DELETE FROM scenarios")
            target = {op.id: None for op in existing} | {op.id: op for op in portfolio.operations}
            con.execute("DELETE FROM operations")
            apply_changes(con, cs, actor, target, [], None)
            insert_scenario(
                con, reference.model_copy(update={"author": reference.author or actor.name}), is_reference=True
            )
            con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_scenario', ?)", [reference.name])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', 'ville')")
            return ImportSummary(
                added=[op.id for op in portfolio.operations],
                updated=[],
                removed=[op.id for op in existing if op.id not in portfolio.by_id],
                total=len(portfolio.operations),
                change_set=cs,
            )

        return self._write(write)


def initial_state(con: Connection, label: str) -> None:
    """History's first entry, and version 1 of every operation already there."""
    system = system_person()
    cs = open_change_set(con, system, "état initial", label)
    operations = read_operations(con)
    con.executemany(
        "INSERT INTO operation_versions VALUES (?, 1, ?, ?)",
        [[op.id, cs, op.model_dump_json()] for op in operations],
    )
    scenarios = con.execute("SELECT count(*) FROM scenarios").fetchone()
    after = {"opérations": len(operations), "scénarios": int(scenarios[0]) if scenarios else 0}
    record(con, cs, system, "état initial", None, None, None, None, after, label, 1)


def mark_dataset(con: Connection) -> None:
    """Say whether a database taken over from an older version holds the demo or the City's data."""
    try:
        demo_ids = {op.id for op in load_portfolio(paths.DEMO_OPERATIONS_CSV).operations}
    except (ImportRefused, OSError):
        demo_ids = set()
    ids = {r[0] for r in con.execute("SELECT id FROM operations").fetchall()}
    con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', ?)", ["demo" if ids and ids == demo_ids else "ville"])


def seed_demo_accounts(con: Connection, portfolio: Portfolio, actuals: tuple[Actual, ...]) -> None:
    """The demo's actuals, and a milestone dated 15/12/2022 holding the demo plan (before 2023
    and 2024, so that their execution rate can be read against it). Both are illustrative."""
    system = system_person()
    cs = open_change_set(con, system, "réalisé de démonstration", "jeu de démonstration (illustratif)")
    stamp = datetime(2022, 12, 15, 12, 0)
    con.executemany(
        "INSERT INTO actuals VALUES (?, ?, ?, ?, '{}', ?, ?)",
        [[a.operation_id, a.year, a.mandate_ttc, a.engage_ttc, cs, stamp] for a in actuals],
    )
    payload = json.dumps([op.model_dump(mode="json") for op in portfolio.operations], ensure_ascii=False)
    con.execute("INSERT INTO milestones VALUES (?, ?, ?, ?, ?)", [DEMO_MILESTONE, stamp, system.name, payload, cs])
    after = {"lignes de réalisé": len(actuals), "jalon": DEMO_MILESTONE}
    record(con, cs, system, "réalisé", None, None, None, None, after, "jeu de démonstration (illustratif)", None)
