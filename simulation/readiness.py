"""Readiness for the engagement committee: is each operation's programme, cost and calendar defined?

An operation is presented to the committee when its three levels are *défini*. Each level lists
criteria; a level is *défini* when all are met, *absent* when none is, *partiel* otherwise, and
every unmet criterion is named (in French) so that its directorate knows what to supply.

- Programme: a floor area (m², > 0); for a school group or a crèche, a capacity (classes,
  places, > 0); a programme text.
- Cost: a cost excl. VAT (> 0, in euros of its price year); a maturity of at least *programme
  validé*; a financing plan (at least one financing line).
- Calendar: a start month and the duration of every phase not yet behind the operation (by its
  maturity, a phase already passed may last 0 months: programming from *études* on, design and
  tendering from *travaux* on; works always last at least a month); the dependency stated: a
  demolition-reconstruction names the operation it waits for (the demolition or land release).

Pure: reads a ``Portfolio`` only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from simulation.model import FacilityType, Maturity, Nature, Operation, Portfolio
from simulation.records import record

DEFINED = "défini"
PARTIAL = "partiel"
ABSENT = "absent"
LEVELS = (DEFINED, PARTIAL, ABSENT)
ASPECTS = ("programme", "cost", "calendar")
ASPECT_LABELS = {"programme": "Programme", "cost": "Coût", "calendar": "Calendrier"}

_MATURITY_ORDER = list(Maturity)
_PHASE_PASSED_FROM = {  # a phase may last 0 months once the operation has reached this maturity
    "programming": Maturity.DESIGN,
    "design": Maturity.WORKS,
    "tendering": Maturity.WORKS,
}
_PHASE_ITEMS = {
    "programming": "durée de programmation",
    "design": "durée de conception",
    "tendering": "durée de consultation",
}


@dataclass(frozen=True)
class OperationReadiness:
    id: str
    title: str
    neighbourhood: str
    directorate: str
    programme: str
    cost: str
    calendar: str
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return self.programme == self.cost == self.calendar == DEFINED

    def as_record(self) -> dict[str, Any]:
        return {**record(self), "ready": self.ready}


def _level(met: list[bool]) -> str:
    return DEFINED if all(met) else ABSENT if not any(met) else PARTIAL


def _at_least(maturity: Maturity, threshold: Maturity) -> bool:
    return _MATURITY_ORDER.index(maturity) >= _MATURITY_ORDER.index(threshold)


CAPACITY_TYPES = frozenset({FacilityType.SCHOOL_GROUP, FacilityType.CRECHE})
"""Facility types whose programme states a capacity (classes, places); others need none."""


def programme_criteria(op: Operation) -> dict[str, bool]:
    criteria = {"surface": op.area_m2 is not None and op.area_m2 > 0}
    if op.facility_type in CAPACITY_TYPES:
        criteria["capacité (classes, places)"] = op.capacity is not None and op.capacity > 0
    criteria["texte du programme"] = bool(op.programme.strip())
    return criteria


def cost_criteria(op: Operation) -> dict[str, bool]:
    return {
        "coût HT et année de prix": op.cost_ht > 0,
        "maturité au moins « programme validé »": _at_least(op.maturity, Maturity.PROGRAMME),
        "plan de financement": bool(op.funding),
    }


def calendar_criteria(op: Operation) -> dict[str, bool]:
    criteria = {"mois de début": bool(op.start)}
    for phase, item in _PHASE_ITEMS.items():
        criteria[item] = op.durations[phase] > 0 or _at_least(op.maturity, _PHASE_PASSED_FROM[phase])
    criteria["durée des travaux"] = op.works_months > 0
    criteria["dépendance (démolition ou libération foncière attendue)"] = (
        op.nature != Nature.DEMOLITION_RECONSTRUCTION or op.depends_on is not None
    )
    return criteria


def operation_readiness(op: Operation) -> OperationReadiness:
    levels = {}
    missing: list[str] = []
    for aspect, criteria in (
        ("programme", programme_criteria(op)),
        ("cost", cost_criteria(op)),
        ("calendar", calendar_criteria(op)),
    ):
        levels[aspect] = _level(list(criteria.values()))
        missing += [f"{ASPECT_LABELS[aspect].lower()} : {item}" for item, met in criteria.items() if not met]
    return OperationReadiness(
        id=op.id,
        title=op.title,
        neighbourhood=op.neighbourhood,
        directorate=op.directorate,
        programme=levels["programme"],
        cost=levels["cost"],
        calendar=levels["calendar"],
        missing=tuple(missing),
    )


def readiness(portfolio: Portfolio) -> list[OperationReadiness]:
    """Every operation's readiness, in portfolio order."""
    return [operation_readiness(op) for op in portfolio.operations]


def neighbourhood_summary(portfolio: Portfolio, rows: list[OperationReadiness]) -> list[dict[str, Any]]:
    """Per neighbourhood (official order): operations, how many are ready, what is missing and how often."""
    out = []
    for n in portfolio.neighbourhoods:
        mine = [r for r in rows if r.neighbourhood == n.code]
        if not mine:
            continue
        missing = Counter(item for r in mine for item in r.missing)
        out.append(
            {
                "code": n.code,
                "name": n.name,
                "n_operations": len(mine),
                "n_ready": sum(r.ready for r in mine),
                **{f"n_{aspect}_defined": sum(getattr(r, aspect) == DEFINED for r in mine) for aspect in ASPECTS},
                "missing": dict(sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))),
                "directorates_to_act": sorted({r.directorate for r in mine if not r.ready}),
            }
        )
    return out


def readiness_records(portfolio: Portfolio, neighbourhood: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The JSON of ``python -m simulation readiness``: operations and neighbourhoods."""
    rows = readiness(portfolio)
    if neighbourhood is not None:
        rows = [r for r in rows if r.neighbourhood == neighbourhood]
    return {
        "operations": [r.as_record() for r in rows],
        "neighbourhoods": neighbourhood_summary(portfolio, rows),
    }
