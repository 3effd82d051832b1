"""A scenario: one arbitration option, i.e. global settings plus per-operation choices.

Every parameter of the engine lives here with its default (DOMAIN.md); the engine holds no
constant of its own. The JSON form (English snake_case keys) is what users edit, what the CLI
reads and what the store saves.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from simulation.limits import (
    COST_FACTOR_MAX,
    MAX_SHIFT_MONTHS,
    PHASE_MONTHS_MAX,
    RECRUITMENT_LEAD_MONTHS_MAX,
    WORKS_MONTHS_MIN,
    YEAR_RANGE,
)
from simulation.model import NAME_MAX, PHASES, RATIONALE_MAX, Maturity, MonthText, Operation, Owner, Portfolio
from simulation.months import french_month, parse_month
from simulation.movable import durations_with, first_unbegun_phase, phase_start, shift_range
from simulation.user_text import checked_name, checked_text


def _checked_not_blank(value: str, what: str) -> str:
    """``value`` as a checked one-line name, stripped; ``what`` (« le nom du scénario ») names it
    in the refusal when nothing is left."""
    value = checked_name(value).strip()
    if not value:
        raise ValueError(f"{what} ne peut pas être vide")
    return value


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

    programming: int | None = Field(default=None, ge=0, le=PHASE_MONTHS_MAX)
    design: int | None = Field(default=None, ge=0, le=PHASE_MONTHS_MAX)
    tendering: int | None = Field(default=None, ge=0, le=PHASE_MONTHS_MAX)
    works: int | None = Field(default=None, ge=WORKS_MONTHS_MIN, le=PHASE_MONTHS_MAX)


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
        default=1.0,
        gt=0,
        le=COST_FACTOR_MAX,
        description=f"facteur de coût k (0 < k ≤ {COST_FACTOR_MAX:g}) ; les financements sont multipliés par min(k, 1)",
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


UNCERTAINTY_BOUNDS = (-0.5, 3.0)
"""Every ``uncertainty`` value (a fraction of the cost or of a duration) lies in this range."""


def _french_fraction(value: float) -> str:
    return f"{value:g}".replace(".", ",").replace("-", "−")


def _check_triangle(value: object, what: str) -> tuple[float, float, float]:
    """``[low, mode, high]`` as floats, or a French ``ValueError`` naming ``what``."""
    if not isinstance(value, list | tuple) or len(value) != 3:
        raise ValueError(f"{what} : trois nombres [bas, mode, haut] attendus (reçu {value!r})")
    numbers: list[float] = []
    for name, item in zip(("bas", "mode", "haut"), value, strict=True):
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            raise ValueError(f"{what} : la valeur {name} doit être un nombre (reçu {item!r})")
        low, high = UNCERTAINTY_BOUNDS
        if not low <= item <= high:
            raise ValueError(
                f"{what} : la valeur {name} ({_french_fraction(item)}) doit être comprise entre "
                f"{_french_fraction(low)} et {_french_fraction(high)}"
            )
        numbers.append(float(item))
    low_value, mode, high_value = numbers
    if not low_value <= mode <= high_value:
        raise ValueError(
            f"{what} : il faut bas ≤ mode ≤ haut (reçu bas {_french_fraction(low_value)}, "
            f"mode {_french_fraction(mode)}, haut {_french_fraction(high_value)})"
        )
    return low_value, mode, high_value


class MaturityUncertainty(BaseModel):
    """Triangular distributions ``[low, mode, high]`` of the cost and duration draws of one maturity.

    Fractions: a cost draw ``c`` multiplies the HT cost by ``1 + c``; a duration draw ``d``
    makes each phase not yet begun last ``round_half_up(months × (1 + d))``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    cost: tuple[float, float, float] = (0.0, 0.0, 0.0)
    duration: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @field_validator("cost", mode="before")
    @classmethod
    def _cost_triangle(cls, value: object) -> tuple[float, float, float]:
        return _check_triangle(value, "coût")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration_triangle(cls, value: object) -> tuple[float, float, float]:
        return _check_triangle(value, "durée")


_MATURITY_STEPS = (Maturity.INTENTION, Maturity.FEASIBILITY, Maturity.PROGRAMME, Maturity.DESIGN, Maturity.WORKS)


def _green_book(outline: float, contract: float) -> dict[Maturity, float]:
    """An uplift interpolated linearly from ``outline`` at *intention* to ``contract`` at *travaux*; 0 once delivered."""
    steps = len(_MATURITY_STEPS) - 1
    values = {m: round(outline + (contract - outline) * k / steps, 6) for k, m in enumerate(_MATURITY_STEPS)}
    values[Maturity.DELIVERED] = 0.0
    return values


# UK Treasury Green Book, supplementary guidance on optimism bias (Mott MacDonald, 2002): uplifts
# as (upper bound at outline business case, lower bound at contract award) — standard buildings:
# capex 24 % / 2 %, works duration 4 % / 1 %; non-standard buildings: capex 51 % / 4 %, works
# duration 39 % / 2 %. Each is mapped from its upper bound at *intention* down to its lower
# bound at *travaux* (linear over the maturity steps) and 0 at *livre*. The default triangle is
# [0, standard, non-standard]: no saving (optimism bias only overruns), the standard-building
# uplift as the most likely value, the non-standard-building uplift as the high end (a facility
# that turns out complex: a refurbishment, a constrained site).
_COST_MODE = _green_book(0.24, 0.02)
_COST_HIGH = _green_book(0.51, 0.04)
_DURATION_MODE = _green_book(0.04, 0.01)
_DURATION_HIGH = _green_book(0.39, 0.02)
DEFAULT_UNCERTAINTY: dict[Maturity, MaturityUncertainty] = {
    m: MaturityUncertainty(
        cost=(0.0, _COST_MODE[m], _COST_HIGH[m]), duration=(0.0, _DURATION_MODE[m], _DURATION_HIGH[m])
    )
    for m in Maturity
}
"""Default ``uncertainty`` per maturity code (source and mapping in the comment above)."""

DEFAULT_UNCERTAINTY_CORRELATION = 0.3
"""Default ``uncertainty_correlation`` ρ: the weight of the common factor of the Gaussian copula."""


def uncertainty_over_defaults(value: object) -> object:
    """A scenario's ``uncertainty``, missing maturities (or a missing cost/duration) taken from the defaults.

    French errors name the maturity and the field at fault.
    """
    if value is None:
        return dict(DEFAULT_UNCERTAINTY)
    if not isinstance(value, dict):
        raise ValueError(f"incertitude : un objet par niveau de maturité attendu (reçu {value!r})")
    merged: dict[Maturity, MaturityUncertainty] = dict(DEFAULT_UNCERTAINTY)
    known = ", ".join(m.value for m in Maturity)
    for key, entry in value.items():
        try:
            maturity = Maturity(key)
        except ValueError:
            raise ValueError(f"incertitude : maturité inconnue {key!r} (valeurs possibles : {known})") from None
        if isinstance(entry, MaturityUncertainty):
            merged[maturity] = entry
            continue
        if not isinstance(entry, dict):
            raise ValueError(f'incertitude {maturity.value} : objet {{"cost", "duration"}} attendu (reçu {entry!r})')
        unknown = set(entry) - {"cost", "duration"}
        if unknown:
            raise ValueError(f"incertitude {maturity.value} : clé inconnue {sorted(unknown)[0]!r} (cost ou duration)")
        fields = DEFAULT_UNCERTAINTY[maturity].model_dump()
        for field, what in (("cost", "coût"), ("duration", "durée")):
            if field in entry:
                fields[field] = _check_triangle(entry[field], f"incertitude {maturity.value}, {what}")
        merged[maturity] = MaturityUncertainty.model_validate(fields)
    return merged


def check_correlation(value: object) -> float:
    """ρ of the copula as a float in [0, 1], or a French ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"corrélation des incertitudes : nombre entre 0 et 1 attendu (reçu {value!r})")
    if not 0.0 <= value <= 1.0:
        raise ValueError(
            f"corrélation des incertitudes : doit être comprise entre 0 et 1 (reçu {_french_fraction(float(value))})"
        )
    return float(value)


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

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    direction: str = Field(min_length=1)
    fte: float = Field(gt=0, le=1000)
    start: MonthText = Field(alias="from")
    end: MonthText | None = Field(default=None, alias="to")

    @field_validator("direction")
    @classmethod
    def _direction_not_blank(cls, value: str) -> str:
        return _checked_not_blank(value, "la direction du recrutement")

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

    name: str = Field(
        default="Référence", min_length=1, max_length=120, description="nom du scénario (120 caractères au plus)"
    )
    author: Annotated[str, AfterValidator(checked_name)] = Field(default="", max_length=NAME_MAX, description="auteur")
    rationale: Annotated[str, AfterValidator(lambda value: checked_text(value, RATIONALE_MAX))] = Field(
        default="", max_length=RATIONALE_MAX, description="justification, en texte libre"
    )
    parent: Annotated[str, AfterValidator(checked_name)] | None = Field(
        default=None, max_length=NAME_MAX, description="nom du scénario d'origine"
    )
    reference_month: MonthText = Field(
        default="2025-01",
        description="mois de référence (AAAA-MM) : aucun décalage ne fait commencer une phase avant ; "
        "une opération qui a commencé avant est en cours",
    )
    horizon_year: int = Field(
        default=2032,
        ge=YEAR_RANGE[0],
        le=YEAR_RANGE[1],
        description="dernière année au moins présentée dans les tableaux annuels",
    )
    escalation_rate: float = Field(
        default=0.03,
        ge=-0.5,
        le=1,
        description="actualisation des prix par an : montant × (1 + taux) ^ (année − année de prix)",
    )
    commitment_deadline: MonthText = Field(
        default="2026-12", description="échéance d'engagement NPNRU (AAAA-MM, incluse)"
    )
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
    capacity_owner: Owner = Field(
        default=Owner.VILLE, description="maître d'ouvrage dont on analyse la charge des équipes"
    )
    envelopes: dict[Owner, dict[int, float]] = Field(
        default_factory=dict,
        description='enveloppe de CP TTC par maître d\'ouvrage et par année : `{"Ville": {"2027": 45000000}}`',
    )
    headcount: dict[Annotated[str, Field(max_length=NAME_MAX)], float] = Field(
        default_factory=dict, description='effectif (ETP) par direction : `{"Éducation": 6}`'
    )
    choices: dict[Annotated[str, Field(max_length=40)], OperationChoice] = Field(
        default_factory=dict, description="par `id` d'opération, les choix du tableau suivant"
    )
    uncertainty: dict[Maturity, MaturityUncertainty] = Field(
        default_factory=lambda: dict(DEFAULT_UNCERTAINTY),
        description="incertitude par maturité : loi triangulaire `[bas, mode, haut]` du surcoût (`cost`) et de l'allongement des durées (`duration`), en fractions ; défauts tirés du Green Book (biais d'optimisme)",
    )
    uncertainty_correlation: float = Field(
        default=DEFAULT_UNCERTAINTY_CORRELATION,
        description="corrélation ρ ∈ [0, 1] des tirages entre opérations (copule gaussienne)",
    )

    recruitments: list[Recruitment] = Field(
        default_factory=list,
        description='plan de recrutement : `[{"direction": "Éducation", "fte": 2, "from": "2026-03", "to": null}]` ; '
        "l'effectif d'un mois ajoute les ETP de chaque recrutement en cours (`to` vide : jusqu'au bout)",
    )
    coordination_load: PhaseValues = Field(
        default=DEFAULT_COORDINATION_LOAD,
        description="ETP de l'équipe « Coordination NPNRU » par opération en cours, par phase (valeurs illustratives)",
    )
    recruitment_lead_months: int = Field(
        default=6,
        ge=0,
        le=RECRUITMENT_LEAD_MONTHS_MAX,
        description="délai de recrutement, en mois : quand lancer un recrutement recommandé",
    )
    fctva_eligible_owners: list[Owner] = Field(
        default_factory=lambda: list(DEFAULT_FCTVA_ELIGIBLE_OWNERS),
        description="maîtres d'ouvrage qui perçoivent le FCTVA (à confirmer avec la direction des finances)",
    )

    @field_validator("uncertainty", mode="before")
    @classmethod
    def _uncertainty_over_defaults(cls, value: object) -> object:
        return uncertainty_over_defaults(value)

    @field_validator("uncertainty_correlation", mode="before")
    @classmethod
    def _correlation_in_range(cls, value: object) -> object:
        return check_correlation(value)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        return _checked_not_blank(value, "le nom du scénario")

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
                if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
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

    def without_missing_operations(self, portfolio: Portfolio) -> tuple[Scenario, list[str]]:
        """This scenario without its choices for operations the portfolio no longer has, and
        their ids: a scenario opened after such a removal is shown, its stale choices skipped."""
        missing = sorted(op_id for op_id in self.choices if op_id not in portfolio.by_id)
        if not missing:
            return self, []
        kept = {op_id: choice for op_id, choice in self.choices.items() if op_id in portfolio.by_id}
        return self.model_copy(update={"choices": kept}), missing

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


_PHASE_NAMES = {
    "programming": "la programmation",
    "design": "la conception",
    "tendering": "la consultation",
    "works": "les travaux",
}


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
        listed = problems[:20]  # a scenario full of unknown ids must not flood the screen
        more = f" ; … et {len(problems) - len(listed)} autres" if len(problems) > len(listed) else ""
        super().__init__("Scénario invalide : " + " ; ".join(listed) + more)
