"""What differs between two scenarios and their results, said in French, one operation at a time.

Used by the workshop page (what changed against the reference), the comparison page and
the committee note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from simulation import fr
from simulation.labels import KPI, OWNER, PHASE, STATUS
from simulation.model import Portfolio
from simulation.result import Result
from simulation.scenario import OperationChoice, Scenario
from simulation.settings_text import changed_settings
from simulation.tolerances import EURO_NIL


def choice_changes(choice: OperationChoice, reference: OperationChoice) -> list[str]:
    """The levers that differ for one operation, as short French phrases."""
    changes = []
    if choice.keep != reference.keep:
        changes.append("abandonnée" if not choice.keep else "rétablie")
    if choice.shift_months != reference.shift_months:
        delta = choice.shift_months - reference.shift_months
        changes.append(f"décalée de {delta:+d} mois")
    if choice.cost_factor != reference.cost_factor:
        changes.append(
            f"coût × {fr.number(choice.cost_factor, 2)} (au lieu de × {fr.number(reference.cost_factor, 2)})"
        )
    if choice.owner != reference.owner:
        changes.append(f"transférée à : {OWNER.get(choice.owner or '', 'maître d’ouvrage d’origine')}")
    for phase, months in choice.durations.model_dump().items():
        before = getattr(reference.durations, phase)
        if months != before:
            shown = "durée d'origine" if months is None else f"{months} mois"
            changes.append(f"{PHASE[phase].lower()} : {shown}")
    return changes


def settings_changes(scenario: Scenario, reference: Scenario) -> list[str]:
    """Global settings that differ, in French."""
    out = changed_settings(scenario, reference, skip={"recruitments"})
    for owner in sorted(set(scenario.envelopes) | set(reference.envelopes)):
        mine, theirs = scenario.envelopes.get(owner, {}), reference.envelopes.get(owner, {})
        if mine != theirs:
            total, ref_total = sum(mine.values()), sum(theirs.values())
            out.append(
                f"Enveloppes {OWNER.get(owner, owner)} : {fr.meuros(total)} au total "
                f"(référence {fr.meuros(ref_total)}, {fr.meuros(total - ref_total, signed=True)})"
                + envelope_years_text(mine, theirs)
            )
    for directorate in sorted(set(scenario.headcount) | set(reference.headcount)):
        mine_fte, ref_fte = scenario.headcount.get(directorate), reference.headcount.get(directorate)
        if mine_fte != ref_fte:
            out.append(f"Effectif {directorate} : {fr.fte(mine_fte)} (référence {fr.fte(ref_fte)})")
    out += _staffing_changes(scenario, reference)
    return out


YEARS_NAMED = 4
"""At most this many changed years are named one by one; past it, the first ones and how many more."""


def envelope_years_text(mine: dict[int, float], theirs: dict[int, float]) -> str:
    """`` ; 2027 : 55,0 M€ au lieu de 66,0 M€``: the years whose envelope changed, named (a total
    alone did not say that the cut was in 2027)."""
    years = [y for y in sorted(set(mine) | set(theirs)) if mine.get(y) != theirs.get(y)]

    def one(year: int) -> str:
        now, before = mine.get(year), theirs.get(year)
        if now is None:
            return f"{year} : plus d'enveloppe (au lieu de {fr.meuros(before)})"
        if before is None:
            return f"{year} : {fr.meuros(now)} (pas d'enveloppe dans la référence)"
        return f"{year} : {fr.meuros(now)} au lieu de {fr.meuros(before)}"

    if not years:
        return ""
    shown = years if len(years) <= YEARS_NAMED else years[: YEARS_NAMED - 1]
    text = " ; ".join(one(y) for y in shown)
    if len(shown) < len(years):
        text += f" ; et {len(years) - len(shown)} autres années"
    return " ; " + text


def overrun_changes(result: Result, reference: Result) -> list[str]:
    """Where the spending above the envelopes changes, per owner and year, in French:
    ``Ville 2027 : dépassement +11,0 M€ (0,0 → 11,0 M€)``. Differences below 50 000 € read as none."""
    from simulation.fr import MONEY_DELTA_NIL

    def over(frame: pd.DataFrame) -> pd.Series:
        gap = frame.set_index(["owner", "year"])["gap"]
        return gap.dropna().clip(lower=0.0)

    mine, theirs = over(result.yearly), over(reference.yearly)
    keys = sorted(set(mine.index) | set(theirs.index), key=lambda k: (list(OWNER).index(k[0]) if k[0] in OWNER else 99, k))
    out = []
    for owner, year in keys:
        now, before = float(mine.get((owner, year), 0.0)), float(theirs.get((owner, year), 0.0))
        if abs(now - before) >= MONEY_DELTA_NIL:
            out.append(
                f"{OWNER.get(owner, owner)} {year} : dépassement {fr.meuros(now - before, signed=True)} "
                f"({fr.meuros(before)} → {fr.meuros(now)})"
            )
    return out


def _staffing_changes(scenario: Scenario, reference: Scenario) -> list[str]:
    """Recruitments added or removed, one by one, in French (the other settings: ``changed_settings``)."""
    out = []
    for r in scenario.recruitments:
        if r not in reference.recruitments:
            until = f" jusqu'à {fr.month(r.end)}" if r.end else ""
            out.append(f"Recrutement : {fr.fte(r.fte)} en {r.direction} à partir {fr.of_month(r.start)}{until}")
    for r in reference.recruitments:
        if r not in scenario.recruitments:
            out.append(f"Recrutement retiré : {fr.fte(r.fte)} en {r.direction} à partir {fr.of_month(r.start)}")
    return out


def kpi_differences(result: Result, reference: Result) -> pd.DataFrame:
    """One row per KPI: label, value, reference value, difference."""
    rows = []
    for key, label in KPI.items():
        value, ref = result.kpis[key], reference.kpis[key]
        rows.append({"kpi": key, "label": label, "value": value, "reference": ref, "difference": value - ref})
    return pd.DataFrame(rows)


_COMPARED = ("start", "works_start", "completion", "status", "anru_secured", "spending_ttc", "owner")


def operation_differences(result: Result, reference: Result) -> pd.DataFrame:
    """Operations whose dates, status, owner or funding differ, with why, in French.

    Columns: operation_id, title, changes (levers moved by the scenario), consequences (what
    moved as a result: dates, status, ANRU), before/after figures, and general_only (True when
    no lever of its own moved and only its amounts changed, through the global settings such
    as the escalation rate).
    """
    mine = result.operations.set_index("operation_id")
    ref = reference.operations.set_index("operation_id")
    common = mine.index.intersection(ref.index)
    mine, ref = mine.loc[common], ref.loc[common]
    differs = pd.Series(False, index=common)
    for column in _COMPARED:
        if mine[column].dtype.kind == "f":
            differs |= (mine[column] - ref[column]).abs() > EURO_NIL
        else:
            differs |= mine[column] != ref[column]
    rows = []
    # itertuples, not .loc per row: this runs on every lever move in a workshop.
    changed = differs.to_numpy()
    rows_now: Iterable[Any] = mine[changed].itertuples()
    rows_before: Iterable[Any] = ref[changed].itertuples()
    for op_id, a, b in zip(common[changed], rows_now, rows_before, strict=True):
        levers = choice_changes(result.scenario.choice(op_id), reference.scenario.choice(op_id))
        consequences = []
        if a.pushed_months != b.pushed_months and a.pushed_by is not None:
            consequences.append(f"attend l'achèvement de {a.pushed_by} ({a.pushed_months} mois)")
        elif a.pushed_months != b.pushed_months:
            consequences.append("n'attend plus d'autre opération")
        if a.works_start != b.works_start and a.kept and b.kept:
            consequences.append(f"travaux {fr.month(b.works_start)} → {fr.month(a.works_start)}")
        if a.status != b.status:
            consequences.append(f"{STATUS[b.status]} → {STATUS[a.status]}")
        if abs(a.anru_secured - b.anru_secured) > EURO_NIL:
            consequences.append(f"ANRU sécurisée {fr.meuros(b.anru_secured)} → {fr.meuros(a.anru_secured)}")
        general_only = not levers and not consequences and a.start == b.start and a.completion == b.completion
        if not levers and not consequences:
            consequences.append("effet des réglages généraux (enveloppes, actualisation, échéances)")
        rows.append(
            {
                "operation_id": op_id,
                "title": a.title,
                "changes": " ; ".join(levers) if levers else "—",
                "consequences": " ; ".join(consequences) if consequences else "—",
                "status_reference": b.status,
                "status": a.status,
                "works_start_reference": b.works_start,
                "works_start": a.works_start,
                "anru_secured_reference": b.anru_secured,
                "anru_secured": a.anru_secured,
                "spending_difference": a.spending_ttc - b.spending_ttc,
                "general_only": general_only,
            }
        )
    columns = [
        "operation_id",
        "title",
        "changes",
        "consequences",
        "status_reference",
        "status",
        "works_start_reference",
        "works_start",
        "anru_secured_reference",
        "anru_secured",
        "spending_difference",
        "general_only",
    ]
    return pd.DataFrame(rows, columns=columns).astype({"general_only": bool})


# ------------------------------------------------------------------ several scenarios at once


def kpi_table(results: Mapping[str, Result], keys: Sequence[str] | None = None) -> pd.DataFrame:
    """KPIs of several scenarios, compared with the first one, in long form.

    One row per KPI and scenario (KPI order first, then the scenarios' order). Columns:
    kpi, label, scenario, value, difference (value minus the first scenario's value; 0 for
    the first scenario itself).
    """
    if not results:
        raise ValueError("kpi_table needs at least one result")
    keys = list(KPI) if keys is None else list(keys)
    first = next(iter(results.values()))
    rows = []
    for key in keys:
        base = first.kpis[key]
        for name, result in results.items():
            value = result.kpis[key]
            rows.append({"kpi": key, "label": KPI[key], "scenario": name, "value": value, "difference": value - base})
    return pd.DataFrame(rows, columns=["kpi", "label", "scenario", "value", "difference"])


def choice_differences(scenario: Scenario, reference: Scenario, portfolio: Portfolio) -> pd.DataFrame:
    """Operations whose choices differ from the reference's, with the levers moved, in French.

    Columns: operation_id, title, changes. Portfolio order; operations absent from the
    portfolio (a stale choice) are listed last with an empty title.
    """
    ids = set(scenario.choices) | set(reference.choices)
    ordered = [op.id for op in portfolio.operations if op.id in ids] + sorted(ids - set(portfolio.by_id))
    rows = []
    for op_id in ordered:
        changes = choice_changes(scenario.choice(op_id), reference.choice(op_id))
        if changes:
            op = portfolio.by_id.get(op_id)
            rows.append({"operation_id": op_id, "title": op.title if op else "", "changes": " ; ".join(changes)})
    return pd.DataFrame(rows, columns=["operation_id", "title", "changes"])


def envelopes_frame(scenario: Scenario) -> pd.DataFrame:
    """The scenario's envelopes in long form: owner (code), year, envelope (euros)."""
    rows = [
        {"owner": owner.value, "year": year, "envelope": amount}
        for owner, years in scenario.envelopes.items()
        for year, amount in sorted(years.items())
    ]
    return pd.DataFrame(rows, columns=["owner", "year", "envelope"])
