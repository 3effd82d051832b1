"""Synthetic portfolios of any size, for benchmarks and scale tests (not demo data)."""

from __future__ import annotations

import numpy as np

from simulation.model import FacilityType, Nature, Neighbourhood, Operation, Owner, Portfolio
from simulation.months import format_month

_DIRECTORATES = ("Éducation", "Petite enfance", "Sports", "Action sociale", "Culture", "Parcs et jardins")


def synthetic_portfolio(
    neighbourhoods: tuple[Neighbourhood, ...], n: int, years: int = 15, first_year: int = 2025, seed: int = 0
) -> Portfolio:
    """``n`` random but plausible operations starting over ``years`` years; ~10 % depend on another."""
    rng = np.random.default_rng(seed)
    types, natures, owners = list(FacilityType), list(Nature), list(Owner)
    operations = []
    for i in range(n):
        cost = float(rng.uniform(0.5e6, 25e6))
        durations = [int(rng.integers(0, 10)), int(rng.integers(0, 24)), int(rng.integers(0, 8))]
        works = int(rng.integers(6, 30))
        span = sum(durations) + works
        latest = max(first_year * 12, (first_year + years) * 12 - span)
        depends_on = f"S{int(rng.integers(0, i)):05d}" if i > 10 and rng.random() < 0.1 else None
        operations.append(
            Operation(
                id=f"S{i:05d}",
                neighbourhood=neighbourhoods[int(rng.integers(0, len(neighbourhoods)))].code,
                title=f"Opération synthétique {i}",
                facility_type=types[int(rng.integers(0, len(types)))],
                nature=natures[int(rng.integers(0, len(natures)))],
                owner=owners[int(rng.integers(0, len(owners)))],
                directorate=_DIRECTORATES[int(rng.integers(0, len(_DIRECTORATES)))],
                maturity="programme",
                cost_ht=cost,
                price_year=int(rng.integers(2021, 2026)),
                vat_rate=0.2,
                start=format_month(int(rng.integers(first_year * 12, latest + 1))),
                programming_months=durations[0],
                design_months=durations[1],
                tendering_months=durations[2],
                works_months=works,
                priority=int(rng.integers(1, 6)),
                depends_on=depends_on,
                funding={"anru": cost * float(rng.uniform(0, 0.4)), "region": cost * float(rng.uniform(0, 0.1))},
            )
        )
    return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations))
