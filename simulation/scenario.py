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

    keep: bool = Field(default=True, description="garder l'opération (`false` : abandonnée, ni dépense ni financement)")
    shift_months: int = Field(
        default=0,
        ge=-MAX_SHIFT_MONTHS,
        le=MAX_SHIFT_MONTHS,
        description=f"décalage en mois (négatif : avance), de −{MAX_SHIFT_MONTHS} à +{MAX_SHIFT_MONTHS} ; "
        "une opération déjà commencée ne décale que ses phases non commencées",
    )
    cost_factor: float = Field(
        default=1.0, gt=0, le=5, description="facteur de coût k (0 < k ≤ 5) ; les financements sont multipliés par min(k, 1)"
    )
    owner: Owner | None = Field(
        default=None, description="maître d'ouvrage auquel l'opération est transférée (`Ville`, `Metropole`, `SPEM`…)"
    )
    durations: PhaseDurations = Field(
        default_factory=PhaseDurations, description='durées de phases remplacées, en mois : `{"works": 18}`'
    )

    @property
    def is_default(self) -> bool:
        return self == OperationChoice()


DEFAULT_PHASE_SHARES = PhaseValues(programming=0.02, design=0.10, tendering=0.01, works=0.87)
DEFAULT_STAFF_LOAD = PhaseValues(programming=0.2, design=0.3, tendering=0.3, works=0.4)


class Scenario(BaseModel):
    """Settings and choices of one arbitration option (see README for each key)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(default="Référence", min_length=1, max_length=120, description="nom du scénario (120 caractères au plus)")
    author: str = Field(default="", description="auteur")
    rationale: str = Field(default="", description="justification, en texte libre")
    parent: str | None = Field(default=None, description="nom du scénario d'origine")
    reference_month: MonthText = Field(
        default="2025-01",
        description="mois de référence (AAAA-MM) : aucun décalage ne fait commencer une phase avant ; "
        "une opération qui a commencé avant est en cours",
    )
    horizon_year: int = Field(
        default=2032, ge=2000, le=2100, description="dernière année au moins présentée dans les tableaux annuels"
    )
    escalation_rate: float = Field(
        default=0.03,
        ge=-0.5,
        le=1,
        description="actualisation des prix par an : montant × (1 + taux) ^ (année − année de prix)",
    )
    commitment_deadline: MonthText = Field(default="2026-12", description="échéance d'engagement NPNRU (AAAA-MM, incluse)")
    completion_deadline: MonthText = Field(
        default="2030-12", description="échéance d'achèvement des travaux (AAAA-MM, incluse)"
    )
    commitment_milestone: Literal["works_start", "design_start"] = Field(
        default="works_start", description="jalon d'engagement : `works_start` (début des travaux) ou `design_start`"
    )
    phase_shares: PhaseValues = Field(
        default=DEFAULT_PHASE_SHARES,
        description="part du coût par phase (`programming`, `design`, `tendering`, `works`), total 1",
    )
    staff_load: PhaseValues = Field(
        default=DEFAULT_STAFF_LOAD, description="ETP de chef de projet par opération en cours, par phase"
    )
    fctva_rate: float = Field(default=0.16404, ge=0, le=1, description="taux du FCTVA sur les dépenses TTC")
    fctva_lag_years: Literal[0, 1, 2] = Field(default=1, description="décalage de versement du FCTVA : 0, 1 ou 2 ans")
    capacity_owner: Owner = Field(default=Owner.VILLE, description="maître d'ouvrage dont on analyse la charge des équipes")
    envelopes: dict[Owner, dict[int, float]] = Field(
        default_factory=dict,
        description='enveloppe de CP TTC par maître d\'ouvrage et par année : `{"Ville": {"2027": 45000000}}`',
    )
    headcount: dict[str, float] = Field(
        default_factory=dict, description='effectif (ETP) par direction : `{"Éducation": 6}`'
    )
    choices: dict[str, OperationChoice] = Field(
        default_factory=dict, description="par `id` d'opération, les choix du tableau suivant"
    )

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
        return problems


_DEFAULT_CHOICE = OperationChoice()

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
