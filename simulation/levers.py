"""Workshop levers as pure scenario transformations (the Arbitrage page only wires widgets).

Each returns a new, validated ``Scenario``; the engine then recomputes everything.
"""

from __future__ import annotations

from typing import Any

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
