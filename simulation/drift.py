"""Drift of the portfolio since a milestone: what "stabilising programme, cost and calendar" measures.

``drift(before, after)`` compares, operation by operation, the portfolio frozen at a milestone
with today's: cost HT and TTC, slippage of the works start and of the commitment milestone,
programme changes, and a status (inchangée, modifiée, ajoutée, retirée). Pure: two tuples of
operations in, a plain result out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from simulation.labels import PROGRAMME_FIELD
from simulation.model import Operation
from simulation.months import format_month, parse_month
from simulation.records import record

STATUSES = ("inchangée", "modifiée", "ajoutée", "retirée")

PROGRAMME_FIELDS = PROGRAMME_FIELD
"""Fields that make the operation's programme, with their French label (``simulation.labels``)."""


def works_start(op: Operation) -> int:
    return parse_month(op.start) + op.programming_months + op.design_months + op.tendering_months


def commitment_month(op: Operation, milestone: Literal["works_start", "design_start"] = "works_start") -> int:
    return works_start(op) if milestone == "works_start" else parse_month(op.start) + op.programming_months


@dataclass(frozen=True)
class OperationDrift:
    id: str
    title: str
    directorate: str
    status: str
    cost_ht_before: float | None
    cost_ht_after: float | None
    cost_ttc_before: float | None
    cost_ttc_after: float | None
    works_start_before: str | None
    works_start_after: str | None
    slippage_months: int | None
    commitment_before: str | None
    commitment_after: str | None
    commitment_slippage_months: int | None
    programme_changes: tuple[str, ...]
    changed_fields: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return record(self)


@dataclass(frozen=True)
class Drift:
    operations: tuple[OperationDrift, ...]
    totals: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"operations": [o.as_json() for o in self.operations], **self.totals}


def _ttc(op: Operation) -> float:
    return op.cost_ht * (1 + op.vat_rate)


def drift(
    before: tuple[Operation, ...],
    after: tuple[Operation, ...],
    commitment_milestone: Literal["works_start", "design_start"] = "works_start",
) -> Drift:
    """Operation by operation, in today's order then the removed ones in the milestone's order."""
    old = {op.id: op for op in before}
    new_ids = {op.id for op in after}
    rows: list[OperationDrift] = []
    for op in after:
        rows.append(_compare(old.get(op.id), op, commitment_milestone))
    for op in before:
        if op.id not in new_ids:
            rows.append(_compare(op, None, commitment_milestone))
    return Drift(operations=tuple(rows), totals=_totals(rows))


def _compare(
    a: Operation | None, b: Operation | None, milestone: Literal["works_start", "design_start"]
) -> OperationDrift:
    ref = b if b is not None else a
    assert ref is not None
    changed: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    if a is not None and b is not None:
        da, db = a.model_dump(mode="json"), b.model_dump(mode="json")
        changed = tuple(k for k in da if da[k] != db[k])
        programme = tuple(label for f, label in PROGRAMME_FIELDS.items() if da[f] != db[f])
        status = "modifiée" if changed else "inchangée"
    else:
        status = "ajoutée" if a is None else "retirée"
    ws_a = works_start(a) if a else None
    ws_b = works_start(b) if b else None
    cm_a = commitment_month(a, milestone) if a else None
    cm_b = commitment_month(b, milestone) if b else None
    return OperationDrift(
        id=ref.id,
        title=ref.title,
        directorate=ref.directorate,
        status=status,
        cost_ht_before=a.cost_ht if a else None,
        cost_ht_after=b.cost_ht if b else None,
        cost_ttc_before=_ttc(a) if a else None,
        cost_ttc_after=_ttc(b) if b else None,
        works_start_before=format_month(ws_a) if ws_a is not None else None,
        works_start_after=format_month(ws_b) if ws_b is not None else None,
        slippage_months=ws_b - ws_a if ws_a is not None and ws_b is not None else None,
        commitment_before=format_month(cm_a) if cm_a is not None else None,
        commitment_after=format_month(cm_b) if cm_b is not None else None,
        commitment_slippage_months=cm_b - cm_a if cm_a is not None and cm_b is not None else None,
        programme_changes=programme,
        changed_fields=changed,
    )


def _totals(rows: list[OperationDrift]) -> dict[str, Any]:
    def total(attr: str) -> float:
        return float(sum(getattr(r, attr) or 0.0 for r in rows))

    slips = [r.slippage_months for r in rows if r.slippage_months is not None]
    totals: dict[str, Any] = {
        "cost_ht_before": total("cost_ht_before"),
        "cost_ht_after": total("cost_ht_after"),
        "cost_ttc_before": total("cost_ttc_before"),
        "cost_ttc_after": total("cost_ttc_after"),
    }
    totals["cost_ht_drift"] = totals["cost_ht_after"] - totals["cost_ht_before"]
    totals["cost_ttc_drift"] = totals["cost_ttc_after"] - totals["cost_ttc_before"]
    for status, key in zip(STATUSES, ("unchanged", "modified", "added", "removed"), strict=True):
        totals[f"n_{key}"] = sum(1 for r in rows if r.status == status)
    totals["n_slipped"] = sum(1 for s in slips if s > 0)
    totals["n_advanced"] = sum(1 for s in slips if s < 0)
    totals["max_slippage_months"] = max(slips, default=0)
    totals["n_programme_changed"] = sum(1 for r in rows if r.programme_changes)
    return totals
