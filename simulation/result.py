"""What a simulation returns: tidy DataFrames with documented columns, and headline KPIs.

Amounts are euros. "TTC" amounts are escalated to the year they are spent; ``cost_ht`` is in
euros of the operation's price year. Months are ``YYYY-MM`` text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from simulation.scenario import Scenario

OPERATION_COLUMNS: dict[str, str] = {
    "operation_id": "stable id of the operation",
    "title": "title",
    "neighbourhood": "neighbourhood code",
    "facility_type": "facility type code",
    "directorate": "piloting City directorate",
    "owner": "owner after the scenario's transfer, if any",
    "original_owner": "owner in the portfolio",
    "priority": "1 (highest) to 5",
    "kept": "False when the scenario drops the operation",
    "shift_months": "shift chosen by the scenario",
    "pushed_months": "extra months waited for the operation it depends on",
    "pushed_by": "id of that operation when it pushed this one, else None",
    "cost_factor": "scope factor chosen by the scenario",
    "start": "month programming starts",
    "design_start": "month design starts",
    "tendering_start": "month tendering starts",
    "works_start": "month works start",
    "completion": "last month of works",
    "commitment_month": "the NPNRU commitment milestone (works or design start)",
    "commitment_missed": "kept and milestone after the commitment deadline",
    "completion_missed": "kept and completion after the completion deadline",
    "status": "on_time | late | dropped",
    "cost_ht": "cost excl. VAT after the cost factor, euros of the price year (0 if dropped)",
    "spending_ttc": "total payment credits incl. VAT, escalated (0 if dropped)",
    "funding_<funder>": "subsidy received from each funder (ANRU is 0 when lost)",
    "subsidies": "sum of the funding columns",
    "anru_planned": "ANRU line after the cost factor (min(k, 1))",
    "anru_secured": "ANRU received",
    "anru_lost": "ANRU lost because the commitment deadline is missed",
    "anru_forgone": "ANRU given up because the operation is dropped",
    "fctva": "FCTVA received (within the reported years)",
    "net_cost": "spending_ttc - subsidies - fctva",
    "planned_ttc": "the plan's whole TTC cost, escalated (before the accounts)",
    "paid_ttc": "CP paid in closed years (the accounts; 0 without actuals)",
    "paid_this_year_ttc": "CP paid so far in the reference year (shown; the plan is unchanged)",
    "remaining_ttc": "planned_ttc - paid_ttc, at least 0: spread from the reference month on",
    "incurred_overrun_ttc": "paid_ttc - planned_ttc, at least 0: an overrun already incurred",
    "ap_voted": "programme authorisation voted, TTC (NaN when none)",
    "ap_revision_needed": "max(planned_ttc - ap_voted, 0) (NaN without an AP)",
}

YEARLY_COLUMNS: dict[str, str] = {
    "owner": "owner (maître d'ouvrage)",
    "year": "calendar year",
    "spending_ttc": "payment credits incl. VAT spent that year",
    "envelope": "the scenario's envelope (NaN when none is set)",
    "gap": "spending_ttc - envelope: positive means over the envelope",
    "over_envelope": "spending above the envelope (by more than one euro)",
    "subsidies": "subsidies received that year",
    "fctva": "FCTVA received that year",
    "net_cost": "spending_ttc - subsidies - fctva",
    "paid_ttc": "the part of spending_ttc that is actual (closed years)",
}

STAFF_COLUMNS: dict[str, str] = {
    "directorate": "piloting directorate",
    "month": "calendar month",
    "load_fte": "full-time equivalents needed by the capacity owner's operations in progress",
    "headcount": "headcount that month: the scenario's headcount plus recruitments in force (NaN when none is set)",
    "overload_fte": "max(0, load - headcount)",
}

OPERATION_YEAR_COLUMNS: dict[str, str] = {
    "operation_id": "operation",
    "year": "calendar year",
    "spending_ttc": "payment credits incl. VAT that year",
    "subsidies": "subsidies received that year",
    "fctva": "FCTVA received that year",
    "planned_ttc": "the plan's spending that year, before the accounts",
    "paid_ttc": "CP paid that year (closed years only)",
}

FUNDING_COLUMNS: dict[str, str] = {
    "owner": "owner",
    "funder": "funder code (anru, etat, …)",
    "year": "calendar year",
    "amount": "subsidy received that year",
}

KPI_DESCRIPTIONS: dict[str, str] = {
    "n_operations": "operations in the portfolio",
    "n_kept": "operations kept",
    "n_dropped": "operations dropped",
    "n_on_time": "kept operations meeting both deadlines",
    "n_late": "kept operations missing a deadline",
    "n_commitment_missed": "kept operations missing the commitment deadline",
    "n_completion_missed": "kept operations missing the completion deadline",
    "n_pushed": "operations pushed by a dependency",
    "cost_ht": "cost excl. VAT of kept operations, euros of their price years",
    "spending_ttc": "total payment credits incl. VAT, escalated",
    "subsidies": "all subsidies received",
    "anru_planned": "ANRU lines of all operations (after cost factors)",
    "anru_secured": "ANRU received",
    "anru_lost": "ANRU lost (commitment deadline missed: subsidy at risk)",
    "anru_forgone": "ANRU given up with dropped operations",
    "fctva": "FCTVA received",
    "net_cost": "owners' net cost: spending_ttc - subsidies - fctva",
    "years_over_envelope": "owner-years whose spending exceeds the envelope (Ville 2027 and SPEM 2027 count 2)",
    "calendar_years_over_envelope": "calendar years in which at least one owner's spending exceeds its envelope",
    "total_overrun": "sum of spending above envelopes, all owners and years",
    "peak_staff_load": "highest monthly load of one directorate, from the reference month",
    "peak_staff_overload": "highest monthly load above headcount, from the reference month",
    "staff_overload_months": "directorate-months over headcount, from the reference month",
    "paid_ttc": "CP paid in closed years, all operations (the accounts)",
    "paid_this_year_ttc": "CP paid so far in the reference year",
    "remaining_ttc": "what remains to pay: sum of max(plan's whole TTC cost - paid, 0)",
    "incurred_overrun_ttc": "paid beyond the plan's whole TTC cost, all operations",
    "ap_voted": "AP voted, all operations that carry one",
    "ap_revision_needed": "sum of the AP revisions needed",
}


@dataclass(frozen=True)
class Result:
    """Everything a page, an export or the CLI shows about one scenario."""

    scenario: Scenario
    operations: pd.DataFrame
    yearly: pd.DataFrame
    staff: pd.DataFrame
    operation_years: pd.DataFrame
    funding: pd.DataFrame
    kpis: dict[str, float | int] = field(default_factory=dict)

    def kpi_records(self) -> dict[str, Any]:
        """The KPIs as ``run --json`` prints them (a meeting's decision keeps these too)."""
        return {k: _plain(v) for k, v in self.kpis.items()}

    def to_records(self) -> dict[str, Any]:
        """The JSON form used by ``python -m simulation run --json``."""
        return {
            "kpis": self.kpi_records(),
            "operations": _records(self.operations),
            "yearly": _records(self.yearly),
            "staff": _records(self.staff),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    """JSON-ready scalars: NaN becomes None, numpy scalars become Python ones."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
