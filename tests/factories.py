"""Small builders for hand-made portfolios in tests."""

from __future__ import annotations

from typing import Any

from simulation import Neighbourhood, Operation, Portfolio

NEIGHBOURHOODS = (
    Neighbourhood(code="AIRB", name="Air Bel", status="PRIN"),
    Neighbourhood(code="SAVI", name="La Savine", status="PRIN"),
    Neighbourhood(code="MAUR", name="La Maurelette", status="PRIR"),
)


def operation(op_id: str = "A", **changes: Any) -> Operation:
    fields: dict[str, Any] = {
        "id": op_id,
        "neighbourhood": "AIRB",
        "title": f"Opération {op_id}",
        "facility_type": "groupe_scolaire",
        "nature": "construction",
        "owner": "Ville",
        "directorate": "Éducation",
        "maturity": "programme",
        "cost_ht": 1_000_000.0,
        "price_year": 2025,
        "vat_rate": 0.0,
        "start": "2025-01",
        "programming_months": 0,
        "design_months": 0,
        "tendering_months": 0,
        "works_months": 12,
    }
    fields.update(changes)
    return Operation.model_validate(fields)


def portfolio(*operations: Operation) -> Portfolio:
    return Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=tuple(operations))


def form_values(**changes: Any) -> dict[str, Any]:
    """What the operation form hands ``ui.operation_form.operation_from_form``: text as typed
    (French numbers), a complete gymnasium rehabilitation at Air Bel unless ``changes`` say."""
    values: dict[str, Any] = {
        "id": "X-1",
        "title": "Essai",
        "neighbourhood": "AIRB",
        "facility_type": "gymnase",
        "nature": "rehabilitation",
        "owner": "Ville",
        "directorate": "Sports",
        "maturity": "etudes",
        "cost_ht": "2 500 000",
        "price_year": 2024,
        "vat_rate": "5,5",
        "start": "2026-03",
        "programming_months": 0,
        "design_months": 10,
        "tendering_months": 3,
        "works_months": 12,
        "funding": {},
    }
    return {**values, **changes}
