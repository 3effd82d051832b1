"""Settings of the phasing assistant: the user's locks and how hard each constraint is.

Validated at the boundary like a scenario (French messages naming the field and the value);
``check_against(portfolio)`` adds what needs the portfolio (unknown operation ids).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulation.limits import MAX_SHIFT_MONTHS
from simulation.model import Portfolio

GRID_STEP = {"monthly": 1, "quarterly": 3}
"""Months between two candidate start dates."""

PRIORITY_WEIGHT = {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}
"""Weight of an operation completed by the deadline, by priority (1 highest)."""

ENVELOPE_MODE_LABEL = {
    "strict": "enveloppe annuelle stricte",
    "carry_forward": "crédits non consommés reportés sur les années suivantes",
}
GRID_LABEL = {"monthly": "mensuelle", "quarterly": "trimestrielle"}


class FitSettings(BaseModel):
    """What the user locks, and the settings of the search."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    forced_in: tuple[str, ...] = Field(default=(), description="operations that must be kept")
    forced_out: tuple[str, ...] = Field(default=(), description="operations that must be dropped")
    fixed: tuple[str, ...] = Field(default=(), description="operations whose dates must not move")
    envelope_mode: Literal["strict", "carry_forward"] = "strict"
    staff_tolerance: float = Field(default=0.0, ge=0, le=1, description="headcount x (1 + tolerance)")
    grid: Literal["monthly", "quarterly"] = "monthly"
    max_shift_months: int = Field(default=36, ge=0, le=MAX_SHIFT_MONTHS)
    time_limit_s: float = Field(default=10.0, gt=0, le=600)
    gap_limit: float = Field(default=0.0, ge=0, le=1, description="stop the optimiser at this relative gap")
    workers: int = Field(default=0, ge=0, le=64, description="CP-SAT workers; 0 = one per core (at most 8)")

    @field_validator("forced_in", "forced_out", "fixed", mode="before")
    @classmethod
    def _unique_ids(cls, value: object) -> object:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list | tuple | set | frozenset):
            return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
        return value

    @model_validator(mode="after")
    def _locks_consistent(self) -> FitSettings:
        both = sorted(set(self.forced_in) & set(self.forced_out))
        if both:
            raise ValueError(
                "opération(s) à la fois imposée(s) et exclue(s) : " + ", ".join(both) + " — choisissez l'un ou l'autre"
            )
        return self

    @property
    def step(self) -> int:
        return GRID_STEP[self.grid]

    def check_against(self, portfolio: Portfolio) -> list[str]:
        """French problems of the locks for that portfolio (unknown operation ids)."""
        problems = []
        for field, label in (("forced_in", "imposée"), ("forced_out", "exclue"), ("fixed", "figée")):
            for op_id in getattr(self, field):
                if op_id not in portfolio.by_id:
                    problems.append(f"opération {label} {op_id!r} : elle n'existe pas dans le portefeuille")
        return problems

    def describe(self) -> str:
        """One French line saying how the proposal was constrained."""
        tolerance = f", tolérance d'effectif {round(self.staff_tolerance * 100)} %" if self.staff_tolerance else ""
        return (
            f"{ENVELOPE_MODE_LABEL[self.envelope_mode].capitalize()}{tolerance} ; grille "
            f"{GRID_LABEL[self.grid]}, décalage au plus {self.max_shift_months} mois"
        )


class FitError(ValueError):
    """Settings that cannot apply to a portfolio; ``problems`` lists why, in French."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Réglages du phasage invalides : " + " ; ".join(problems))
