"""The Arbitrage page's per-operation lever table: scenario -> editable table -> scenario.

No Streamlit here, so the round trip is testable: ``lever_table`` builds what the editor shows,
``apply_edits`` turns the editor's changed cells back into scenario choices.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pydantic import ValidationError

from simulation import Portfolio, Result, Scenario, fr
from simulation.errors import french_problems
from simulation.labels import FACILITY_TYPE, OWNER, SHIFT_MONTHS, STATUS
from simulation.levers import ENVELOPE_OWNER as ENVELOPE_OWNER
from simulation.levers import envelope_table as levers_envelope_table
from simulation.levers import envelope_years, with_envelope
from simulation.limits import COST_PERCENT_RANGE, MAX_SHIFT_MONTHS

OWNER_CHOICES = ["(inchangé)", *OWNER.values()]
_OWNER_CODE = {label: code for code, label in OWNER.items()}

KEEP, SHIFT, COST, OWNER_COLUMN = "Garder", SHIFT_MONTHS, "Coût (%)", "Transfert à"
EDITABLE = (KEEP, SHIFT, COST, OWNER_COLUMN)
PROJECTOR_WIDTHS: dict[str, int] = {
    "id": 80,
    "Intitulé": 240,
    "Statut": 130,
    KEEP: 95,
    SHIFT: 150,
    COST: 100,
    OWNER_COLUMN: 150,
    "CP TTC": 90,
}
"""The columns the enlarged grid shows in projector mode (the levers and what they change), in
pixels before enlargement (1 035 px): they fit the 1 375 px a 1920 px projector leaves the grid at
×1,35 and the 1 057 px of a 1280 px one at ×1,15, headers whole."""
COST_RANGE = COST_PERCENT_RANGE
SHIFT_RANGE = (-MAX_SHIFT_MONTHS, MAX_SHIFT_MONTHS)
"""The scenario model's bound; the lowest shift an operation already under way allows is checked by
``Scenario.check_against`` when the scenario is simulated."""


def lever_table(portfolio: Portfolio, scenario: Scenario, result: Result) -> pd.DataFrame:
    """One row per operation: its levers (editable) and its figures in this scenario (read-only)."""
    ops = result.operations
    choices = [scenario.choice(op_id) for op_id in ops["operation_id"]]
    names = portfolio.neighbourhood_names
    return pd.DataFrame(
        {
            "id": ops["operation_id"],
            "Intitulé": ops["title"],
            "Quartier": ops["neighbourhood"].map(names),
            "Direction": ops["directorate"],
            "Type": ops["facility_type"].map(FACILITY_TYPE),
            "Prio.": ops["priority"],
            KEEP: [c.keep for c in choices],
            SHIFT: [c.shift_months for c in choices],
            COST: [round(c.cost_factor * 100) for c in choices],
            OWNER_COLUMN: [OWNER[c.owner] if c.owner else OWNER_CHOICES[0] for c in choices],
            "Statut": ops["status"].map(STATUS),
            "Début des travaux": [
                fr.month(m) if k else "—" for m, k in zip(ops["works_start"], ops["kept"], strict=True)
            ],
            "Achèvement": [fr.month(m) if k else "—" for m, k in zip(ops["completion"], ops["kept"], strict=True)],
            "ANRU sécurisée": [fr.meuros(v, 2) for v in ops["anru_secured"]],
            "CP TTC": [fr.meuros(v) for v in ops["spending_ttc"]],
        }
    )


def apply_edits(
    scenario: Scenario, portfolio: Portfolio, ids: list[str], edited_rows: dict[Any, dict[str, Any]]
) -> tuple[Scenario, list[str]]:
    """The scenario with the editor's changed cells applied, and French problems (if any,
    the scenario is returned unchanged: a workshop never ends up with half an edit)."""
    updated = scenario
    problems: list[str] = []
    for row, cells in edited_rows.items():
        op_id = ids[int(row)]
        changes: dict[str, Any] = {}
        if KEEP in cells:
            changes["keep"] = bool(cells[KEEP])
        if SHIFT in cells:
            shift = 0 if cells[SHIFT] is None else int(cells[SHIFT])
            if not SHIFT_RANGE[0] <= shift <= SHIFT_RANGE[1]:
                problems.append(f"{op_id} — {SHIFT} : entre {SHIFT_RANGE[0]} et {SHIFT_RANGE[1]} (reçu {shift})")
                continue
            changes["shift_months"] = shift
        if COST in cells:
            cost = 100.0 if cells[COST] is None else float(cells[COST])
            if not COST_RANGE[0] <= cost <= COST_RANGE[1]:
                problems.append(
                    f"{op_id} — {COST} : entre {COST_RANGE[0]} et {COST_RANGE[1]} % (reçu {fr.number(cost)})"
                )
                continue
            changes["cost_factor"] = cost / 100
        if OWNER_COLUMN in cells:
            changes["owner"] = _OWNER_CODE.get(cells[OWNER_COLUMN])
        try:
            updated = updated.with_choice(op_id, **changes)
        except ValidationError as exc:
            problems += [f"{op_id} — {p}" for p in french_problems(exc)]
    problems += updated.check_against(portfolio)
    return (scenario if problems else updated), problems


def envelope_table(scenario: Scenario) -> pd.DataFrame:
    """Envelopes as the editor shows them: one row per owner, one column per year, in M€ written
    the French way ("45,5"); an empty cell is a year without envelope."""
    return levers_envelope_table(scenario, envelope_years(scenario), every_owner=True, missing="", total=False)


def parse_meuros(text: object) -> float | None:
    """A cell typed in M€ ("45,5", "45.5", "1 200") -> euros; ``None`` for an empty cell.

    ``ValueError`` (French message) when it is not a number or is negative."""
    if text is None:
        return None
    cleaned = str(text).replace(fr.NBSP, "").replace("\u202f", "").replace(" ", "").replace("M€", "").replace("€", "")
    if not cleaned:
        return None
    try:
        value = float(cleaned.replace(",", "."))
    except ValueError:
        raise ValueError(f"« {text} » n'est pas un montant en M€ (exemple : 45,5)") from None
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"le montant doit être positif ou nul (reçu « {text} »)")
    return round(value * 1e6)


def apply_envelope_edits(scenario: Scenario, edited_rows: dict[Any, dict[str, Any]]) -> tuple[Scenario, list[str]]:
    """The scenario with the envelope editor's changed cells applied, and French problems naming
    the owner and the year (if any, the scenario is returned unchanged)."""
    owners = list(OWNER)
    updated = scenario
    problems: list[str] = []
    for row, cells in edited_rows.items():
        owner = owners[int(row)]
        for column, text in cells.items():
            if not str(column).isdigit():
                continue
            try:
                updated = with_envelope(updated, owner, int(column), parse_meuros(text))
            except ValueError as exc:
                problems.append(f"Enveloppe {OWNER[owner]} {column} : {exc}")
    return (scenario if problems else updated), problems
