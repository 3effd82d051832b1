"""The plan meets the accounts (DOMAIN.md, "Rules for the third release"): pure rules.

- ``apply_actuals``: closed years are what was paid; what remains of the plan's whole TTC cost
  is spread over the plan's months from the reference month on, in proportion to the plan
  (in the reference year when the plan has no month left); paid beyond the plan is an overrun
  already incurred. An operation without actuals keeps its plan.
- ``ap_by_owner``: the programme authorisations still to pay and their coverage in years of the
  next year's envelope.
- ``execution_rates``: what was paid in a closed year against what a milestone taken before that
  year planned for it, per owner and per directorate.

The engine (``simulation.engine``) calls ``apply_actuals`` on its matrices; the loop oracle
(``simulation.oracle``) writes the same rule again, month by month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.model import Actual, Operation
from simulation.result import Result


@dataclass(frozen=True)
class ActualsSplit:
    spending: np.ndarray  # (n, Y) TTC: paid in closed years, the remainder spread from the reference month
    paid: np.ndarray  # (n,) CP paid in closed years
    remaining: np.ndarray  # (n,) plan's whole TTC cost - paid, at least 0
    overrun: np.ndarray  # (n,) paid - plan's whole TTC cost, at least 0


def apply_actuals(
    plan: np.ndarray, future: np.ndarray, paid_closed: np.ndarray, has_actuals: np.ndarray, reference_col: int
) -> ActualsSplit:
    """The yearly spending once the accounts are known.

    ``plan`` (n, Y) is the plan's TTC spending per year; ``future`` (n, Y) its part in months from
    the reference month on; ``paid_closed`` (n, Y) the CP paid in closed years (zero in the others);
    ``reference_col`` the reference year's column. Rows without actuals keep ``plan``.
    """
    plan_total = plan.sum(axis=1)
    paid = np.where(has_actuals, paid_closed.sum(axis=1), 0.0)
    remaining = np.maximum(plan_total - paid, 0.0)
    overrun = np.maximum(paid - plan_total, 0.0)
    future_total = future.sum(axis=1)
    left = future_total > 0
    spread = np.divide(
        remaining[:, None] * future, future_total[:, None], out=np.zeros_like(future), where=left[:, None]
    )
    spread[:, reference_col] += np.where(left, 0.0, remaining)
    spending = np.where(has_actuals[:, None], paid_closed + spread, plan)
    return ActualsSplit(spending=spending, paid=paid, remaining=remaining, overrun=overrun)


AP_COLUMNS: dict[str, str] = {
    "owner": "owner (after the scenario's transfers)",
    "ap_voted": "AP voted of its operations that carry one, TTC",
    "paid": "CP paid on those operations (closed years and so far this year)",
    "ap_remaining": "AP still to pay: sum of max(AP - paid, 0)",
    "ap_revision_needed": "sum of the AP revisions needed",
    "next_year": "the year after the reference year",
    "next_envelope": "that owner's envelope of that year (NaN when none)",
    "coverage_years": "ap_remaining / next_envelope, in years (NaN without an envelope)",
}


def ap_by_owner(result: Result) -> pd.DataFrame:
    """Per owner, the AP stock still to pay and its coverage in years of next year's envelope."""
    ops = result.operations
    with_ap = ops[ops["ap_voted"].notna()]
    paid = with_ap["paid_ttc"] + with_ap["paid_this_year_ttc"]
    frame = pd.DataFrame(
        {
            "owner": with_ap["owner"].to_numpy(),
            "ap_voted": with_ap["ap_voted"].to_numpy(),
            "paid": paid.to_numpy(),
            "ap_remaining": (with_ap["ap_voted"] - paid).clip(lower=0.0).to_numpy(),
            "ap_revision_needed": with_ap["ap_revision_needed"].to_numpy(),
        }
    )
    grouped = frame.groupby("owner", as_index=False, sort=True)[
        ["ap_voted", "paid", "ap_remaining", "ap_revision_needed"]
    ].sum()
    next_year = int(result.scenario.reference_month[:4]) + 1
    envelopes = {owner.value: years.get(next_year) for owner, years in result.scenario.envelopes.items()}
    grouped["next_year"] = next_year
    grouped["next_envelope"] = [envelopes.get(owner) for owner in grouped["owner"]]
    grouped["next_envelope"] = grouped["next_envelope"].astype(float)
    envelope = grouped["next_envelope"].to_numpy(dtype=float)
    grouped["coverage_years"] = np.divide(
        grouped["ap_remaining"].to_numpy(dtype=float),
        envelope,
        out=np.full(len(grouped), np.nan),
        where=np.nan_to_num(envelope, nan=0.0) > 0,
    )
    return grouped[list(AP_COLUMNS)]


EXECUTION_COLUMNS: dict[str, str] = {
    "level": "'owner' or 'directorate'",
    "name": "the owner or the directorate",
    "year": "closed calendar year",
    "planned_ttc": "CP the milestone's plan gave that year",
    "paid_ttc": "CP paid that year (the accounts)",
    "rate": "paid_ttc / planned_ttc (NaN when nothing was planned)",
}


def execution_rates(
    planned: Result, actuals: tuple[Actual, ...], operations: tuple[Operation, ...], years: list[int]
) -> pd.DataFrame:
    """Execution rate of each closed year in ``years``: paid against the milestone's plan.

    ``planned`` is the simulation of the milestone's portfolio (a plan: no actuals); what was paid
    is counted under the operation's owner and directorate of today's portfolio ``operations``.
    """
    plan_ops = planned.operations.set_index("operation_id")[["owner", "directorate"]]
    plan_years = planned.operation_years.assign(operation_id=planned.operation_years["operation_id"].astype(str))
    plan_years = plan_years[plan_years["year"].isin(years)].join(plan_ops, on="operation_id")
    by_id = {op.id: op for op in operations}
    paid_rows = [
        {
            "year": a.year,
            "owner": by_id[a.operation_id].owner.value,
            "directorate": by_id[a.operation_id].directorate,
            "paid_ttc": a.mandate_ttc,
        }
        for a in actuals
        if a.year in years and a.operation_id in by_id
    ]
    paid = pd.DataFrame(paid_rows, columns=["year", "owner", "directorate", "paid_ttc"])
    frames = []
    for level in ("owner", "directorate"):
        plan_sum = plan_years.groupby([level, "year"])["spending_ttc"].sum().rename("planned_ttc")
        paid_sum = paid.groupby([level, "year"])["paid_ttc"].sum()
        both = pd.concat([plan_sum, paid_sum], axis=1).fillna(0.0).reset_index()
        both = both.rename(columns={level: "name"})
        both.insert(0, "level", level)
        frames.append(both)
    out = pd.concat(frames, ignore_index=True)
    out = out[(out["planned_ttc"].abs() > 0) | (out["paid_ttc"].abs() > 0)]
    planned_ttc = out["planned_ttc"].to_numpy(dtype=float)
    out["rate"] = np.divide(
        out["paid_ttc"].to_numpy(dtype=float), planned_ttc, out=np.full(len(out), np.nan), where=planned_ttc > 0
    )
    return out.sort_values(["level", "name", "year"], ignore_index=True)[list(EXECUTION_COLUMNS)]


def total_execution(rates: pd.DataFrame) -> pd.DataFrame:
    """All owners together, per year: planned, paid and rate."""
    owners = rates[rates["level"] == "owner"].groupby("year", as_index=False)[["planned_ttc", "paid_ttc"]].sum()
    planned = owners["planned_ttc"].to_numpy(dtype=float)
    owners["rate"] = np.divide(
        owners["paid_ttc"].to_numpy(dtype=float), planned, out=np.full(len(owners), np.nan), where=planned > 0
    )
    return owners
