"""Workshop levers as pure scenario transformations (the Arbitrage page only wires widgets).

Each returns a new, validated ``Scenario``; the engine then recomputes everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from simulation import fr
from simulation.labels import OWNER
from simulation.model import Owner
from simulation.result import Result
from simulation.scenario import Scenario


def with_settings(scenario: Scenario, **changes: Any) -> Scenario:
    """A copy with global settings changed, validated again (pydantic ``ValidationError`` if not)."""
    data = scenario.model_dump()
    data.update(changes)
    return Scenario.model_validate(data)


def envelope_total(scenario: Scenario) -> float:
    return float(sum(amount for years in scenario.envelopes.values() for amount in years.values()))


def envelope_level(scenario: Scenario, base: Scenario) -> float:
    """The scenario's envelopes as a multiple of the base scenario's (1.0 when equal or none)."""
    base_total = envelope_total(base)
    return envelope_total(scenario) / base_total if base_total > 0 else 1.0


def scale_envelopes(scenario: Scenario, base: Scenario, level: float) -> Scenario:
    """Every envelope of the base scenario multiplied by ``level`` (1.1 = +10 %), rounded to the euro."""
    envelopes = {
        owner: {year: round(amount * level) for year, amount in years.items()}
        for owner, years in base.envelopes.items()
    }
    return with_settings(scenario, envelopes=envelopes)


def with_headcount(scenario: Scenario, directorate: str, fte: float) -> Scenario:
    headcount = dict(scenario.headcount)
    headcount[directorate] = fte
    return with_settings(scenario, headcount=headcount)


def with_envelope(scenario: Scenario, owner: str, year: int, amount: float | None) -> Scenario:
    """One owner's envelope for one year set to ``amount`` euros (``None``: no envelope that year).

    The other owners and years keep theirs; an owner left with no year is removed.
    """
    envelopes = {o: dict(years) for o, years in scenario.envelopes.items()}
    years = envelopes.setdefault(Owner(owner), {})
    if amount is None:
        years.pop(int(year), None)
    else:
        years[int(year)] = float(amount)
    return with_settings(scenario, envelopes={o: y for o, y in envelopes.items() if y})


def envelope_years(scenario: Scenario) -> list[int]:
    """The years an envelope editor offers: from the reference month's year to the horizon, and any
    year that already has an envelope."""
    first = int(scenario.reference_month[:4])
    years = set(range(first, scenario.horizon_year + 1))
    years |= {year for amounts in scenario.envelopes.values() for year in amounts}
    return sorted(years)


def shift_range_text(low: int, high: int, reference_month: str) -> str:
    """The range a shift lever allows, in French: what the page writes under the lever."""
    reference = fr.month(reference_month)
    if low < 0:
        advance = f"avance de {-low} mois au plus (rien avant {reference})"
    else:
        advance = f"aucune avance (la prochaine phase commence au mois de référence, {reference})"
    return f"Possible : {advance}, retard jusqu'à {high} mois."


def anru_lost_or_forgone(kpis: Mapping[str, float]) -> float:
    """ANRU subsidy a scenario does not receive: lost by a missed deadline plus forgone by a drop."""
    return float(kpis["anru_lost"] + kpis["anru_forgone"])


def change_totals(result: Result, reference: Result) -> tuple[float, float]:
    """What a scenario changes in total against the reference: CP TTC, and ANRU lost or forgone (euros)."""
    spending = float(result.kpis["spending_ttc"] - reference.kpis["spending_ttc"])
    return spending, anru_lost_or_forgone(result.kpis) - anru_lost_or_forgone(reference.kpis)


ENVELOPE_OWNER = "Maître d'ouvrage"
ENVELOPE_TOTAL = "Total"


def envelope_table(
    scenario: Scenario,
    years: list[int] | None = None,
    *,
    every_owner: bool = False,
    missing: str = "—",
    total: bool = True,
) -> pd.DataFrame:
    """The scenario's envelopes in M€ written the French way (« 45,5 »): one row per owner (in
    ``OWNER`` order), one column per year, then their total. The one table of envelopes: the
    Arbitrage editor, the Scénarios page and the committee note show it.

    ``years`` defaults to the years that have an envelope; ``every_owner`` lists owners without
    any; ``missing`` fills a year without envelope (an editor leaves it empty)."""
    envelopes = {owner.value: amounts for owner, amounts in scenario.envelopes.items()}
    shown_years = sorted({y for amounts in envelopes.values() for y in amounts}) if years is None else years
    rows = []
    for code, label in OWNER.items():
        if code not in envelopes and not every_owner:
            continue
        amounts = envelopes.get(code, {})
        row: dict[str, str] = {ENVELOPE_OWNER: label}
        for year in shown_years:
            amount = amounts.get(year)
            row[str(year)] = missing if amount is None else fr.number(amount / 1e6, 1)
        if total:
            row[ENVELOPE_TOTAL] = fr.number(sum(amounts.values()) / 1e6, 1)
        rows.append(row)
    columns = [ENVELOPE_OWNER, *map(str, shown_years), *([ENVELOPE_TOTAL] if total else [])]
    return pd.DataFrame(rows, columns=columns)
