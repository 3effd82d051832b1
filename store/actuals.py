"""The actuals room: the accounts' CP paid per operation and year (*réalisé*), imported whole.

An arbitre or administrateur imports a file (``formats.actuals``); everyone reads. Each year the
file holds replaces that year's stored rows entirely (the year's accounts, re-exported), and the
history keeps every former value, one line per operation and year, in the same transaction.
A refused file writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from formats.errors import ImportIssue, ImportRefused
from simulation import fr
from simulation.actuals import EXECUTION_COLUMNS, execution_rates
from simulation.engine import simulate
from simulation.model import Actual, Funder, Portfolio
from simulation.scenario import Scenario
from store.access import Action, Person, enforce
from store.errors import StoreError
from store.journal import load, now, open_change_set, record
from store.operation_rows import bump_revision
from store.people import acting_person
from store.room import Connection, Room

ACTUALS_KIND = "réalisé"
"""The history's kind for a line of actuals: target the operation, field the year."""


@dataclass(frozen=True)
class ActualsSummary:
    years: list[int]
    rows: int
    replaced: int
    change_set: int

    def __str__(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        replaced = f", dont {self.replaced} remplaçant une valeur déjà enregistrée" if self.replaced else ""
        return (
            f"Réalisé importé : {fr.number(self.rows, 0)} ligne(s) pour {years}{replaced} "
            f"(lot de modifications n° {self.change_set})."
        )


def read_actuals(con: Connection, operation_id: str | None = None, *, known: set[str] | None = None) -> list[Actual]:
    """Stored actuals, by operation and year; ``known`` keeps those of operations still there."""
    sql = "SELECT operation_id, year, mandate_ttc, engage_ttc, received FROM actuals"
    params: list[object] = []
    if operation_id is not None:
        sql += " WHERE operation_id = ?"
        params.append(operation_id)
    rows = con.execute(sql + " ORDER BY operation_id, year", params).fetchall()
    return [
        Actual(operation_id=r[0], year=r[1], mandate_ttc=r[2], engage_ttc=r[3], received=json.loads(r[4]))
        for r in rows
        if known is None or r[0] in known
    ]


def _plain(actual: Actual) -> dict[str, object]:
    """What the history records of one operation-year."""
    values: dict[str, object] = {"mandate_ttc": actual.mandate_ttc}
    if actual.engage_ttc is not None:
        values["engage_ttc"] = actual.engage_ttc
    values.update({f"recu_{f.value}": amount for f, amount in actual.received.items()})
    return values


class ActualsRoom(Room):
    def actuals(self, operation_id: str | None = None) -> tuple[Actual, ...]:
        """The accounts' rows (of one operation when given), for everyone to read."""
        return tuple(self._read(lambda con: read_actuals(con, operation_id)))

    def execution(self, scenario: Scenario) -> tuple[pd.DataFrame, dict[int, str]]:
        """Execution rate of each closed year against the milestone taken before it, and which
        milestone each year was read against (``closed_year_execution``)."""
        from store.milestones import milestone_operations
        from store.operation_rows import read_neighbourhoods, valid_portfolio

        def read(con: Connection) -> list[tuple[str, datetime, Portfolio]]:
            neighbourhoods = read_neighbourhoods(con)
            rows = con.execute("SELECT name, created_at FROM milestones ORDER BY created_at").fetchall()
            return [(r[0], r[1], valid_portfolio(neighbourhoods, milestone_operations(con, r[0]))) for r in rows]

        portfolio = self.portfolio()  # type: ignore[attr-defined]
        return closed_year_execution(portfolio, self._read(read), scenario)

    def check_may_import_actuals(self) -> Person:
        """The person acting, if they may import actuals; ``AccessDenied`` otherwise."""

        def check(con: Connection) -> Person:
            actor = acting_person(con, self.caller)
            enforce(actor, Action.IMPORT_ACTUALS, "importer le réalisé (crédits de paiement mandatés)")
            return actor

        return self._read(check)

    def import_actuals(self, path: str | Path, *, reason: str | None = None) -> ActualsSummary:
        """Import a file of actuals, all or nothing (arbitre or administrateur)."""
        from formats.actuals import read_actuals as read_file

        source = Path(path).name
        self.check_may_import_actuals()  # before the file is read: a refused person's file is never parsed
        known = {r[0] for r in self._read(lambda con: con.execute("SELECT id FROM operations").fetchall())}
        incoming = read_file(path, known)

        def write(con: Connection, actor: Person) -> ActualsSummary:
            enforce(actor, Action.IMPORT_ACTUALS, "importer le réalisé (crédits de paiement mandatés)")
            ids = {r[0] for r in con.execute("SELECT id FROM operations").fetchall()}
            gone = sorted({a.operation_id for a in incoming} - ids)
            if gone:  # an operation deleted since the file was read
                raise ImportRefused(
                    [ImportIssue(None, "id", g, "opération inconnue du portefeuille") for g in gone], source
                )
            years = sorted({a.year for a in incoming})
            directorate = dict(con.execute("SELECT id, directorate FROM operations").fetchall())
            before = {(a.operation_id, a.year): a for a in read_actuals(con) if a.year in years}
            after = {(a.operation_id, a.year): a for a in incoming}
            cs = open_change_set(con, actor, f"import du réalisé {source}", reason)
            for key in sorted(set(before) | set(after)):
                old, new = before.get(key), after.get(key)
                if old == new:
                    continue
                record(
                    con,
                    cs,
                    actor,
                    ACTUALS_KIND,
                    key[0],
                    directorate.get(key[0]),
                    str(key[1]),
                    None if old is None else _plain(old),
                    None if new is None else _plain(new),
                    reason,
                    None,
                )
            con.execute("DELETE FROM actuals WHERE year IN (SELECT unnest(?))", [years])
            stamp = now()
            con.executemany(
                "INSERT INTO actuals VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    [
                        a.operation_id,
                        a.year,
                        a.mandate_ttc,
                        a.engage_ttc,
                        json.dumps({Funder(f).value: v for f, v in a.received.items()}),
                        cs,
                        stamp,
                    ]
                    for a in incoming
                ],
            )
            bump_revision(con)
            replaced = sum(1 for key in after if key in before)
            return ActualsSummary(years=years, rows=len(incoming), replaced=replaced, change_set=cs)

        return self._write(write)


@dataclass(frozen=True)
class ActualsUndone:
    """An actuals import undone: the former rows back, as a new change set."""

    years: list[int]
    rows: int
    change_set: int

    def __str__(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        return (
            f"réalisé rétabli tel qu'avant l'import : {fr.number(self.rows, 0)} ligne(s) pour {years} "
            f"(lot de modifications n° {self.change_set})."
        )


def undo_actuals_import(
    con: Connection, actor: Person, change_set: int, action: str, reason: str | None
) -> ActualsUndone | None:
    """Put back the rows an actuals import replaced or removed, and remove those it added, from
    the history it wrote (one line per operation and year, before and after); ``None`` when the
    change set holds no actuals. Refused, naming them, if a row has changed since."""
    lines = con.execute(
        "SELECT target, field, before, after FROM history WHERE change_set = ? AND kind = ? ORDER BY seq",
        [change_set, ACTUALS_KIND],
    ).fetchall()
    if not lines:
        return None
    current = {(a.operation_id, str(a.year)): _plain(a) for a in read_actuals(con)}
    changed = [
        f"{target} ({year})" for target, year, _before, after in lines if current.get((target, year)) != load(after)
    ]
    if changed:
        raise StoreError(
            f"Le lot n° {change_set} ne peut pas être annulé : le réalisé de {', '.join(changed[:10])}"
            f"{' …' if len(changed) > 10 else ''} a changé depuis. Importez le fichier du réalisé à jour."
        )
    cs = open_change_set(con, actor, f"annulation du lot n° {change_set} ({action})", reason)
    directorate = dict(con.execute("SELECT id, directorate FROM operations").fetchall())
    stamp = now()
    for target, year, before, after in lines:
        restored = load(before)
        con.execute("DELETE FROM actuals WHERE operation_id = ? AND year = ?", [target, int(year)])
        if restored is not None:
            received = {k.removeprefix("recu_"): v for k, v in restored.items() if k.startswith("recu_")}
            con.execute(
                "INSERT INTO actuals VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    target,
                    int(year),
                    restored["mandate_ttc"],
                    restored.get("engage_ttc"),
                    json.dumps(received),
                    cs,
                    stamp,
                ],
            )
        record(con, cs, actor, ACTUALS_KIND, target, directorate.get(target), year, load(after), restored, reason, None)
    bump_revision(con)
    con.execute("UPDATE change_sets SET undone_by = ? WHERE id = ?", [cs, change_set])
    return ActualsUndone(years=sorted({int(line[1]) for line in lines}), rows=len(lines), change_set=cs)


def closed_year_execution(
    portfolio: Portfolio, milestones: list[tuple[str, datetime, Portfolio]], scenario: Scenario
) -> tuple[pd.DataFrame, dict[int, str]]:
    """Execution rates of each closed year that has actuals, against the latest milestone taken
    before that year began (simulated with ``scenario``'s settings, no choice, no actuals)."""
    reference_year = int(scenario.reference_month[:4])
    closed = sorted({a.year for a in portfolio.actuals if a.year < reference_year})
    frames: list[pd.DataFrame] = []
    used: dict[int, str] = {}
    settings = scenario.model_copy(update={"choices": {}})
    for year in closed:
        before = [m for m in milestones if m[1] < datetime(year, 1, 1)]
        if not before:
            continue
        name, _when, frozen = max(before, key=lambda m: m[1])
        planned = simulate(frozen, settings)
        frames.append(execution_rates(planned, portfolio.actuals, portfolio.operations, [year]))
        used[year] = name
    if not frames:
        return pd.DataFrame(columns=list(EXECUTION_COLUMNS)), used
    return pd.concat(frames, ignore_index=True), used
