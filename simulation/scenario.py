"""A scenario: one arbitration option, i.e. global settings plus per-operation choices.

Every parameter of the engine lives here with its default (DOMAIN.md); the engine holds no
constant of its own. The JSON form (English snake_case keys) is what users edit, what the CLI
reads and what the store saves.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simulation.model import PHASES, MonthText, Operation, Owner, Portfolio
from simulation.months import french_month, parse_month
from simulation.movable import MAX_SHIFT_MONTHS, durations_with, first_unbegun_phase, phase_start, shift_range


class PhaseValues(BaseModel):
    """One number per phase (shares of cost, or staff load in FTE)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    programming: float = Field(ge=0)
    design: float = Field(ge=0)
    tendering: float = Field(ge=0)
    works: float = Field(ge=0)

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.programming, self.design, self.tendering, self.works)


class PhaseDurations(BaseModel):
    """Durations (months) overriding an operation's own; a missing phase keeps its value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    programming: int | None = Field(default=None, ge=0, le=240)
    design: int | None = Field(default=None, ge=0, le=240)
    tendering: int | None = Field(default=None, ge=0, le=240)
    works: int | None = Field(default=None, ge=1, le=240)


class OperationChoice(BaseModel):
    """What a scenario decides for one operation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keep: bool = True
    shift_months: int = Field(default=0, ge=-MAX_SHIFT_MONTHS, le=MAX_SHIFT_MONTHS)
    cost_factor: float = Field(default=1.0, gt=0, le=5)
    owner: Owner | None = None
    durations: PhaseDurations = Field(default_factory=PhaseDurations)

    @property
    def is_default(self) -> bool:
        return self == OperationChoice()


DEFAULT_PHASE_SHARES = PhaseValues(programming=0.02, design=0.10, tendering=0.01, works=0.87)
DEFAULT_STAFF_LOAD = PhaseValues(programming=0.2, design=0.3, tendering=0.3, works=0.4)

COORDINATION_TEAM = "Coordination NPNRU"
"""The transversal team that carries ``coordination_load`` for every operation in progress."""

DEFAULT_COORDINATION_LOAD = PhaseValues(programming=0.04, design=0.03, tendering=0.03, works=0.02)
"""Illustrative coordination load (FTE per operation in progress, by phase): calibrated so that
the demonstration portfolio needs one to two coordinators, the order the support mission found.
Not an official ratio: set it per scenario."""

DEFAULT_FCTVA_ELIGIBLE_OWNERS: tuple[Owner, ...] = (Owner.VILLE, Owner.METROPOLE)


class Recruitment(BaseModel):
    """FTE added to a directorate's headcount from month ``from`` to month ``to`` (included; open if None)."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    direction: str = Field(min_length=1)
    fte: float = Field(gt=0, le=1000)
    start: MonthText = Field(alias="from")
    end: MonthText | None = Field(default=None, alias="to")

    @field_validator("direction")
    @classmethod
    def _direction_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("la direction du recrutement ne peut pas être vide")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Recruitment:
        if self.end is not None and parse_month(self.end) < parse_month(self.start):
            raise ValueError(
                f"recrutement {self.direction} : la fin ({french_month(parse_month(self.end))}) précède "
                f"le début ({french_month(parse_month(self.start))})"
            )
        return self


class Scenario(BaseModel):
    """Settings and choices of one arbitration option (see README for each key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="Référence", min_length=1, max_length=120)
    author: str = ""
    rationale: str = ""
    parent: str | None = None
    reference_month: MonthText = "2025-01"
    horizon_year: int = Field(default=2032, ge=2000, le=2100)
    escalation_rate: float = Field(default=0.03, ge=-0.5, le=1)
    commitment_deadline: MonthText = "2026-12"
    completion_deadline: MonthText = "2030-12"
    commitment_milestone: Literal["works_start", "design_start"] = "works_start"
    phase_shares: PhaseValues = DEFAULT_PHASE_SHARES
    staff_load: PhaseValues = DEFAULT_STAFF_LOAD
    fctva_rate: float = Field(default=0.16404, ge=0, le=1)
    fctva_lag_years: Literal[0, 1, 2] = 1
    capacity_owner: Owner = Owner.VILLE
    envelopes: dict[Owner, dict[int, float]] = Field(default_factory=dict)
    headcount: dict[str, float] = Field(default_factory=dict)
    choices: dict[str, OperationChoice] = Field(default_factory=dict)
    recruitments: list[Recruitment] = Field(default_factory=list)
    coordination_load: PhaseValues = DEFAULT_COORDINATION_LOAD
    recruitment_lead_months: int = Field(default=6, ge=0, le=60)
    fctva_eligible_owners: list[Owner] = Field(default_factory=lambda: list(DEFAULT_FCTVA_ELIGIBLE_OWNERS))

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("le nom du scénario ne peut pas être vide")
        return value

    @field_validator("phase_shares")
    @classmethod
    def _shares_sum_to_one(cls, value: PhaseValues) -> PhaseValues:
        total = sum(value.as_tuple())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(f"les parts des phases doivent faire 100 % au total (reçu {total * 100:.4g} %)")
        if value.works <= 0:
            raise ValueError("la part des travaux doit être strictement positive")
        return value

    @field_validator("envelopes")
    @classmethod
    def _envelopes_positive(cls, value: dict[Owner, dict[int, float]]) -> dict[Owner, dict[int, float]]:
        for owner, years in value.items():
            for year, amount in years.items():
                if not 2000 <= year <= 2100:
                    raise ValueError(f"enveloppe {owner.value} : année {year} hors limites")
                if not amount >= 0:
                    raise ValueError(
                        f"enveloppe {owner.value} {year} : le montant doit être positif ou nul (reçu {amount!r})"
                    )
        return value

    @field_validator("headcount")
    @classmethod
    def _headcount_positive(cls, value: dict[str, float]) -> dict[str, float]:
        for directorate, fte in value.items():
            if not fte >= 0:
                raise ValueError(f"effectif {directorate} : doit être positif ou nul (reçu {fte!r})")
        return value

    @model_validator(mode="after")
    def _deadlines_ordered(self) -> Scenario:
        if parse_month(self.completion_deadline) < parse_month(self.commitment_deadline):
            raise ValueError(
                f"l'échéance d'achèvement ({self.completion_deadline}) précède "
                f"l'échéance d'engagement ({self.commitment_deadline})"
            )
        return self

    def choice(self, operation_id: str) -> OperationChoice:
        return self.choices.get(operation_id, _DEFAULT_CHOICE)

    def with_choice(self, operation_id: str, **changes: object) -> Scenario:
        """A copy with one operation's choice updated (default choices are not stored)."""
        current = self.choice(operation_id).model_dump()
        current.update(changes)
        new_choice = OperationChoice.model_validate(current)
        choices = dict(self.choices)
        if new_choice.is_default:
            choices.pop(operation_id, None)
        else:
            choices[operation_id] = new_choice
        return self.model_copy(update={"choices": choices})

    def check_against(self, portfolio: Portfolio) -> list[str]:
        """French problems of this scenario's choices for that portfolio (empty when fine).

        Kept apart from field validation because it needs the portfolio: unknown operation
        ids, and shifts outside the range ``simulation.movable.shift_range`` allows.
        """
        problems: list[str] = []
        reference = parse_month(self.reference_month)
        for op_id, choice in self.choices.items():
            op = portfolio.by_id.get(op_id)
            if op is None:
                problems.append(f"choix pour l'opération {op_id!r}, qui n'existe pas dans le portefeuille")
                continue
            if choice.shift_months and choice.keep:
                problem = shift_problem(op, choice, reference)
                if problem:
                    problems.append(problem)
        problems += recruitment_problems(self, portfolio)
        return problems


_DEFAULT_CHOICE = OperationChoice()


def known_directorates(scenario: Scenario, portfolio: Portfolio) -> list[str]:
    """Directorates a recruitment may name: the portfolio's, the scenario's headcount, coordination."""
    names = {op.directorate for op in portfolio.operations} | set(scenario.headcount)
    return [*sorted(names - {COORDINATION_TEAM}), COORDINATION_TEAM]


def recruitment_problems(scenario: Scenario, portfolio: Portfolio) -> list[str]:
    """French problems of the recruitment plan for that portfolio: unknown directorates."""
    known = known_directorates(scenario, portfolio)
    return [
        f"recrutement n° {k} : direction inconnue {r.direction!r} (directions possibles : {', '.join(known)})"
        for k, r in enumerate(scenario.recruitments, start=1)
        if r.direction not in known
    ]

_PHASE_NAMES = {"programming": "la programmation", "design": "la conception", "tendering": "la consultation", "works": "les travaux"}


def allowed_shift(op: Operation, choice: OperationChoice, reference_month: str) -> tuple[int, int] | None:
    """The shift range the Arbitrage lever offers for ``op`` (``None``: every phase has begun)."""
    planned = [op.durations[p] for p in PHASES]
    used = durations_with(op.durations, choice.durations.model_dump())
    return shift_range(parse_month(op.start), planned, used, parse_month(reference_month))


def shift_problem(op: Operation, choice: OperationChoice, reference: int) -> str | None:
    """Why ``choice.shift_months`` cannot apply to ``op``, in French with French months; None if it can."""
    planned = [op.durations[p] for p in PHASES]
    start = parse_month(op.start)
    allowed = shift_range(start, planned, durations_with(op.durations, choice.durations.model_dump()), reference)
    shift = choice.shift_months
    if allowed is None:
        return (
            f"opération {op.id} : toutes ses phases ont commencé avant le mois de référence "
            f"({french_month(reference)}) ; un décalage ne déplacerait rien"
        )
    low, high = allowed
    if low <= shift <= high:
        return None
    first = first_unbegun_phase(start, planned, reference)
    used = durations_with(op.durations, choice.durations.model_dump())
    moved = phase_start(start, used, first) + shift
    begun = f" (commencée en {french_month(start)})" if start < reference else ""
    return (
        f"opération {op.id}{begun} : une avance de {-shift} mois ferait commencer "
        f"{_PHASE_NAMES[PHASES[first]]} en {french_month(moved)}, avant le mois de référence "
        f"({french_month(reference)}) ; avance possible : {-low} mois au plus"
    )


class ScenarioError(ValueError):
    """A scenario that cannot be applied to a portfolio; ``problems`` lists why, in French."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Scénario invalide : " + " ; ".join(problems))
