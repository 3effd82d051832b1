"""The history's field names and how a person reads them.

The journal records an operation with the domain model's own field names (``cost_ht``,
``funding.anru``); databases written before that hold the operations file's French column names
(``cout_ht``, ``anru``). Both read the same here: one French label per field, and the VAT rate
as the percentage the label announces (the model keeps a fraction, the old column a percentage).
"""

from __future__ import annotations

from typing import Any

from simulation.import_columns import FIELD_OF_COLUMN, FUNDER_COLUMNS
from simulation.labels import FIELD, FUNDER
from simulation.model import FUNDERS, Operation

FUNDING_PREFIX = "funding."


def journal_row(op: Operation) -> dict[str, Any]:
    """What the history records of an operation: one plain value per domain field, each funder's
    amount as ``funding.<funder>``."""
    data = op.model_dump(mode="json", exclude={"funding"})
    data.update({FUNDING_PREFIX + f.value: op.funding.get(f, 0.0) for f in FUNDERS})
    return data


def domain_field(name: str) -> str:
    """The domain name of a journal field, whichever vocabulary recorded it (``cout_ht`` -> ``cost_ht``)."""
    if name in FUNDER_COLUMNS:
        return FUNDING_PREFIX + name
    return FIELD_OF_COLUMN.get(name, name)


def field_label(name: str) -> str:
    """The French label of a journal field: « Coût HT (€) », « Financement ANRU (€) » (funder codes lower case)."""
    field = domain_field(name)
    if field.startswith(FUNDING_PREFIX):
        funder = field.removeprefix(FUNDING_PREFIX)
        return f"Financement {FUNDER.get(funder, funder)} (€)"
    return FIELD.get(field, name)


def shown_value(name: str | None, value: Any) -> Any:
    """A recorded value as its label reads it: the model's VAT fraction (recorded as ``vat_rate``)
    as a percentage; the old column ``taux_tva`` already holds one. ``name`` is the recorded name."""
    if name == "vat_rate" and isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * 100, 6)
    return value


def whole_operation(value: dict[str, Any]) -> tuple[str, Any] | None:
    """Title and cost HT of a whole operation recorded at its creation or deletion, else ``None``."""
    for title, cost in (("title", "cost_ht"), ("intitule", "cout_ht")):
        if title in value:
            return str(value[title]), value.get(cost)
    return None
