"""Recommended recruitment: for each directorate and the coordination team, the smallest whole
number of FTE to hire, and from which month, so that no month is over headcount.

A reduction of a ``Result`` (whose headcount already includes the scenario's recruitment plan):
from the reference month on, the first month whose load exceeds the headcount is when the new
staff must be there; the largest overload from then on, rounded up to a whole FTE, is how many.
One open-ended recruitment of that size from that month removes every overload, and no smaller
one can (the largest overload needs that many FTE), nor can it start later (the first overloaded
month would stay over). The recruitment is launched ``recruitment_lead_months`` earlier.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulation import fr
from simulation.capacity import OVERLOAD_TOLERANCE_FTE
from simulation.months import format_month, french_month, parse_month
from simulation.result import Result
from simulation.scenario import Recruitment, Scenario

RECOMMENDATION_COLUMNS: dict[str, str] = {
    "directorate": "directorate or coordination team",
    "fte": "whole FTE to recruit",
    "from": "first month the recruits are needed ('YYYY-MM'): the first overloaded month",
    "launch": "month to launch the recruitment: 'from' minus the scenario's lead time",
    "launch_late": "True when the launch month falls before the reference month",
    "peak_overload": "largest load above headcount (FTE) from 'from' on, before the recruitment",
    "months_over": "months over headcount before the recruitment",
    "sentence": "the recommendation in French",
}


@dataclass(frozen=True)
class Recommendation:
    directorate: str
    fte: int
    start: str  # YYYY-MM
    launch: str  # YYYY-MM
    launch_late: bool
    peak_overload: float
    months_over: int

    @property
    def sentence(self) -> str:
        """``Recruter 2 ETP en Éducation à partir d'avril 2026 (lancer le recrutement en septembre 2025)``."""
        start = fr.of_month(self.start)
        launch = french_month(parse_month(self.launch))
        when = (
            f"lancer le recrutement sans attendre : il aurait fallu le lancer en {launch}"
            if self.launch_late
            else f"lancer le recrutement en {launch}"
        )
        return f"Recruter {self.fte} ETP en {self.directorate} à partir {start} ({when})"

    def as_recruitment(self) -> Recruitment:
        return Recruitment.model_validate(
            {"direction": self.directorate, "fte": float(self.fte), "from": self.start, "to": None}
        )

    def as_record(self) -> dict[str, object]:
        return {
            "directorate": self.directorate,
            "fte": self.fte,
            "from": self.start,
            "launch": self.launch,
            "launch_late": self.launch_late,
            "peak_overload": round(self.peak_overload, 6),
            "months_over": self.months_over,
            "sentence": self.sentence,
        }


def recommend(result: Result) -> list[Recommendation]:
    """One recommendation per overloaded directorate (engine order: directorates, then coordination).

    Directorates without a headcount (not set) are never over it, so they get none.
    """
    scenario = result.scenario
    staff = result.staff[result.staff["month"] >= scenario.reference_month]
    reference = parse_month(scenario.reference_month)
    out = []
    for directorate, months in staff.groupby("directorate", sort=False):
        overload = months["overload_fte"].to_numpy(dtype=float)
        over = overload > OVERLOAD_TOLERANCE_FTE
        if not over.any():
            continue
        first = int(np.argmax(over))
        peak = float(overload[first:].max())
        fte = math.ceil(peak - OVERLOAD_TOLERANCE_FTE)
        start = parse_month(str(months["month"].to_numpy()[first]))
        launch = start - scenario.recruitment_lead_months
        out.append(
            Recommendation(
                directorate=str(directorate),
                fte=fte,
                start=format_month(start),
                launch=format_month(launch),
                launch_late=launch < reference,
                peak_overload=peak,
                months_over=int(over.sum()),
            )
        )
    return out


def with_recommendations(scenario: Scenario, recommendations: list[Recommendation]) -> Scenario:
    """The scenario with the recommended recruitments added to its plan."""
    added = [r.as_recruitment() for r in recommendations]
    return scenario.model_copy(update={"recruitments": [*scenario.recruitments, *added]})
