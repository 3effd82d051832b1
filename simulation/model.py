"""The domain model: neighbourhoods, operations (public facilities) and the portfolio.

Pydantic validates at the boundary (imports, scenario files, edits) and refuses what cannot
be true with a French message; the engine then trusts these objects and works on columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from simulation import fr
from simulation.limits import (
    AREA_M2_MAX,
    CAPACITY_MAX,
    PHASE_MONTHS_MAX,
    PRICE_YEAR_RANGE,
    PRIORITY_RANGE,
    VAT_RATE_MAX,
    WORKS_MONTHS_MIN,
)
from simulation.months import normalise_month, parse_month
from simulation.user_text import checked_name, checked_text

PHASES: tuple[str, ...] = ("programming", "design", "tendering", "works")
"""The four phases of an operation, in calendar order."""

NAME_MAX = 200
"""Longest name (title, directorate, author, scenario parent…), in characters."""
TEXT_MAX = 2_000
"""Longest other short text, in characters."""
PROGRAMME_MAX = 10_000
"""Longest programme description of an operation, in characters."""
RATIONALE_MAX = 5_000
"""Longest scenario rationale, in characters."""


@dataclass(frozen=True)
class Plausibility:
    """Bounds past which a figure is a typing error rather than a fact (issue 9).

    The defaults hold for the Marseille programme; another set can be passed at validation
    time as ``Operation.model_validate(data, context={"plausibility": Plausibility(...)})``.
    """

    max_cost_ht: float = 1_000_000_000.0
    first_month: str = "2000-01"
    last_month: str = "2060-12"


PLAUSIBILITY = Plausibility()


class FacilityType(StrEnum):
    SCHOOL_GROUP = "groupe_scolaire"
    CRECHE = "creche"
    GYM = "gymnase"
    OUTDOOR_SPORTS = "equipement_sportif"
    SOCIAL_CENTRE = "centre_social"
    LIBRARY = "bibliotheque"
    COMMUNITY_HOUSE = "maison_de_quartier"
    PARK = "parc"
    OTHER = "autre"


class Nature(StrEnum):
    NEW_BUILD = "construction"
    DEMOLITION_RECONSTRUCTION = "reconstruction"
    RENOVATION = "rehabilitation"
    EXTENSION = "extension"


class Owner(StrEnum):
    """Maître d'ouvrage: whose budget pays and whose envelope the spending counts against."""

    VILLE = "Ville"
    METROPOLE = "Metropole"
    SPEM = "SPEM"
    SOCIAL_LANDLORD = "Bailleur"
    OTHER = "Autre"


class Maturity(StrEnum):
    INTENTION = "intention"
    FEASIBILITY = "faisabilite"
    PROGRAMME = "programme"
    DESIGN = "etudes"
    WORKS = "travaux"
    DELIVERED = "livre"


class Funder(StrEnum):
    ANRU = "anru"
    STATE = "etat"
    REGION = "region"
    DEPARTEMENT = "departement"
    CAF = "caf"
    METROPOLE = "metropole"
    OTHER = "autres"


FUNDERS: tuple[Funder, ...] = tuple(Funder)

MonthText = Annotated[str, BeforeValidator(normalise_month)]
"""A calendar month, stored as canonical ``YYYY-MM`` text."""


def _strip_required(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("ce champ est obligatoire et ne peut pas être vide")
    return value


RequiredText = Annotated[str, AfterValidator(_strip_required)]

NameText = Annotated[str, AfterValidator(lambda value: _strip_required(checked_name(value)))]
"""A required name on one line: no control character, no newline (``simulation.user_text``)."""


class Neighbourhood(BaseModel):
    """One of the 14 NPNRU neighbourhoods of Marseille (ANRU board, December 2014)."""

    model_config = ConfigDict(frozen=True)

    code: RequiredText
    name: RequiredText
    status: Literal["PRIN", "PRIR"]
    project: str = ""


class Operation(BaseModel):
    """One public facility, as the directorates describe it (before any scenario choice)."""

    model_config = ConfigDict(frozen=True)

    id: NameText = Field(max_length=40)
    neighbourhood: NameText = Field(max_length=NAME_MAX)
    title: NameText = Field(max_length=NAME_MAX)
    facility_type: FacilityType
    nature: Nature
    owner: Owner
    directorate: NameText = Field(max_length=NAME_MAX)
    maturity: Maturity
    area_m2: float | None = Field(default=None, ge=0, le=AREA_M2_MAX)
    capacity: int | None = Field(default=None, ge=0, le=CAPACITY_MAX)
    programme: Annotated[str, AfterValidator(lambda value: checked_text(value, PROGRAMME_MAX))] = Field(
        default="", max_length=PROGRAMME_MAX
    )
    cost_ht: float = Field(gt=0, description="Cost excl. VAT, in euros of price_year.")
    price_year: int = Field(ge=PRICE_YEAR_RANGE[0], le=PRICE_YEAR_RANGE[1])
    vat_rate: float = Field(default=0.20, ge=0, le=VAT_RATE_MAX, description="Fraction, 0.20 for 20 %.")
    start: MonthText
    programming_months: int = Field(ge=0, le=PHASE_MONTHS_MAX)
    design_months: int = Field(ge=0, le=PHASE_MONTHS_MAX)
    tendering_months: int = Field(ge=0, le=PHASE_MONTHS_MAX)
    works_months: int = Field(ge=WORKS_MONTHS_MIN, le=PHASE_MONTHS_MAX)
    priority: int = Field(default=3, ge=PRIORITY_RANGE[0], le=PRIORITY_RANGE[1])
    depends_on: str | None = Field(default=None, max_length=40)
    funding: dict[Funder, float] = Field(default_factory=dict)
    ap_votee: float | None = Field(
        default=None, gt=0, le=10_000_000_000, description="Programme authorisation voted by the council, TTC."
    )

    @field_validator("cost_ht")
    @classmethod
    def _cost_plausible(cls, value: float, info: ValidationInfo) -> float:
        limit = _plausibility(info).max_cost_ht
        if not value <= limit:  # also refuses NaN and infinity
            raise ValueError(f"coût invraisemblable : au plus {_euros(limit)} HT par opération (reçu {_euros(value)})")
        return value

    @field_validator("start")
    @classmethod
    def _start_plausible(cls, value: str, info: ValidationInfo) -> str:
        bounds = _plausibility(info)
        if not parse_month(bounds.first_month) <= parse_month(value) <= parse_month(bounds.last_month):
            raise ValueError(
                f"mois invraisemblable : entre {fr.month(bounds.first_month)} et {fr.month(bounds.last_month)}"
            )
        return value

    @field_validator("depends_on", mode="before")
    @classmethod
    def _empty_dependency_is_none(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("funding")
    @classmethod
    def _funding_positive(cls, value: dict[Funder, float]) -> dict[Funder, float]:
        for funder, amount in value.items():
            if not math.isfinite(amount):
                raise ValueError(f"le financement {funder.value} doit être un nombre fini")
            if not amount >= 0:  # also refuses NaN
                raise ValueError(f"le financement {funder.value} doit être positif ou nul (reçu {amount!r})")
        return {funder: float(amount) for funder, amount in value.items() if amount}

    @model_validator(mode="after")
    def _coherent(self) -> Operation:
        if self.depends_on == self.id:
            raise ValueError(f"l'opération {self.id} ne peut pas dépendre d'elle-même")
        cost_ttc = self.cost_ht * (1 + self.vat_rate)
        if self.total_funding > cost_ttc + 0.5:
            raise ValueError(
                f"les financements ({self.total_funding:,.0f} €) dépassent le coût TTC "
                f"({cost_ttc:,.0f} €) de l'opération {self.id}".replace(",", " ")
            )
        return self

    @property
    def total_funding(self) -> float:
        return float(sum(self.funding.values()))

    @property
    def durations(self) -> dict[str, int]:
        return {phase: getattr(self, f"{phase}_months") for phase in PHASES}


class Actual(BaseModel):
    """What the City's accounts record for one operation and one calendar year (third release).

    ``mandate_ttc`` is the payment credits actually paid (*CP mandatés*), TTC in current euros;
    ``engage_ttc`` the legal commitments signed that year, when known; ``received`` the
    subsidies received per funder. The engine uses ``mandate_ttc`` of closed years only.
    """

    model_config = ConfigDict(frozen=True)

    operation_id: RequiredText = Field(max_length=40)
    year: int = Field(ge=1990, le=2100)
    mandate_ttc: float = Field(ge=0, le=10_000_000_000, allow_inf_nan=False)
    engage_ttc: float | None = Field(default=None, ge=0, le=10_000_000_000, allow_inf_nan=False)
    received: dict[Funder, float] = Field(default_factory=dict)

    @field_validator("received")
    @classmethod
    def _received_positive(cls, value: dict[Funder, float]) -> dict[Funder, float]:
        for funder, amount in value.items():
            if not (math.isfinite(amount) and amount >= 0):
                raise ValueError(f"le montant reçu de {funder.value} doit être un nombre positif ou nul")
        return {funder: float(amount) for funder, amount in value.items() if amount}


class Portfolio(BaseModel):
    """The operations under arbitration and the neighbourhoods they belong to.

    Validation here covers what no single operation can check: unique ids, known
    neighbourhoods, dependencies that exist and never loop. ``actuals`` are the accounts'
    figures per operation and year (empty for a plan alone, e.g. a milestone's portfolio).
    """

    model_config = ConfigDict(frozen=True)

    neighbourhoods: tuple[Neighbourhood, ...]
    operations: tuple[Operation, ...]
    actuals: tuple[Actual, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Portfolio:
        codes = {n.code for n in self.neighbourhoods}
        seen: set[str] = set()
        problems: list[str] = []
        for op in self.operations:
            if op.id in seen:
                problems.append(f"identifiant en double : {op.id}")
            seen.add(op.id)
            if op.neighbourhood not in codes:
                problems.append(f"opération {op.id} : quartier inconnu {op.neighbourhood!r}")
        pairs: set[tuple[str, int]] = set()
        for actual in self.actuals:
            if actual.operation_id not in seen:
                problems.append(f"réalisé : opération inconnue {actual.operation_id!r}")
            if (actual.operation_id, actual.year) in pairs:
                problems.append(f"réalisé : {actual.operation_id} {actual.year} en double")
            pairs.add((actual.operation_id, actual.year))
        for op in self.operations:
            if op.depends_on is not None and op.depends_on not in seen:
                problems.append(f"opération {op.id} : dépend de {op.depends_on!r}, qui n'existe pas")
        if not problems:
            cycle = _find_cycle({op.id: op.depends_on for op in self.operations})
            if cycle:
                problems.append("dépendances circulaires : " + " → ".join(cycle))
        if problems:
            raise ValueError(" ; ".join(problems))
        return self

    @cached_property
    def by_id(self) -> dict[str, Operation]:
        return {op.id: op for op in self.operations}

    @cached_property
    def neighbourhood_names(self) -> dict[str, str]:
        return {n.code: n.name for n in self.neighbourhoods}

    @property
    def ids(self) -> list[str]:
        return [op.id for op in self.operations]


def _plausibility(info: ValidationInfo) -> Plausibility:
    context = info.context if isinstance(info.context, dict) else {}
    bounds = context.get("plausibility")
    return bounds if isinstance(bounds, Plausibility) else PLAUSIBILITY


def _euros(value: float) -> str:
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:.3g} €".replace(".", ",")
    return fr.euros(value)


def _find_cycle(parent: dict[str, str | None]) -> list[str] | None:
    """A dependency loop as a list of ids (first id repeated at the end), or None."""
    state: dict[str, int] = {}
    for origin in parent:
        path: list[str] = []
        node: str | None = origin
        while node is not None and node in parent and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            return [*path[path.index(node) :], node]
        for visited in path:
            state[visited] = 2
    return None
