"""The risk draws for pages: cached runs, and the uncertainty table as the room edits it.

The table shows one row per maturity, the triangles in percent; an edit is validated by the
scenario model (French errors) and becomes the working scenario, so the draws re-run at once.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from simulation import Portfolio, Scenario, fr
from simulation.errors import french_problems
from simulation.labels import COMMITMENT_ODDS_DEFINITION, COMMITMENT_ODDS_LABEL, MATURITY
from simulation.model import Maturity
from simulation.risk import DEFAULT_DRAWS, DEFAULT_SEED, RiskResult, commitment_odds, simulate_risk
from ui import state

MATURITY_COLUMN = "Maturité"
TABLE_COLUMNS: dict[str, tuple[str, int]] = {
    "Coût bas (%)": ("cost", 0),
    "Coût mode (%)": ("cost", 1),
    "Coût haut (%)": ("cost", 2),
    "Durée basse (%)": ("duration", 0),
    "Durée mode (%)": ("duration", 1),
    "Durée haute (%)": ("duration", 2),
}
"""Editable columns: which triangle and which of ``[low, mode, high]`` each shows (in percent)."""


@st.cache_resource(max_entries=32, show_spinner=False)
def _risk(revision: int, scenario_json: str, draws: int, seed: int, _portfolio: Portfolio) -> RiskResult:
    return simulate_risk(_portfolio, Scenario.model_validate_json(scenario_json), draws=draws, seed=seed)


def run_risk(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> RiskResult:
    """The draws on the current portfolio, cached by portfolio revision, scenario, draws and seed."""
    s = state.store()
    return _risk(s.revision(), scenario.model_dump_json(), int(draws), int(seed), state.portfolio())


def uncertainty_table(scenario: Scenario) -> pd.DataFrame:
    """One row per maturity (French name), the six triangle values in percent."""
    rows = []
    for maturity in Maturity:
        setting = scenario.uncertainty[maturity]
        row: dict[str, Any] = {MATURITY_COLUMN: MATURITY[maturity.value]}
        for column, (field, k) in TABLE_COLUMNS.items():
            row[column] = round(100 * getattr(setting, field)[k], 4)
        rows.append(row)
    return pd.DataFrame(rows)


def with_table_edits(scenario: Scenario, edited_rows: dict[int, dict[str, Any]]) -> tuple[Scenario | None, list[str]]:
    """The scenario with the table's edits (``st.data_editor``'s ``edited_rows``), or French problems."""
    maturities = list(Maturity)
    uncertainty = {m.value: scenario.uncertainty[m].model_dump() for m in maturities}
    problems: list[str] = []
    for index, changes in edited_rows.items():
        maturity = maturities[int(index)]
        for column, value in changes.items():
            if column not in TABLE_COLUMNS:
                continue
            if value is None or (isinstance(value, float) and math.isnan(value)):
                problems.append(f"{MATURITY[maturity.value]}, {column} : valeur obligatoire")
                continue
            field, k = TABLE_COLUMNS[column]
            triangle = list(uncertainty[maturity.value][field])
            triangle[k] = float(value) / 100
            uncertainty[maturity.value][field] = triangle
    if problems:
        return None, problems
    return _validated(scenario, uncertainty=uncertainty)


def with_correlation(scenario: Scenario, rho: float) -> tuple[Scenario | None, list[str]]:
    return _validated(scenario, uncertainty_correlation=rho)


def _validated(scenario: Scenario, **changes: Any) -> tuple[Scenario | None, list[str]]:
    data = scenario.model_dump()
    data.update(changes)
    try:
        return Scenario.model_validate(data), []
    except ValidationError as exc:
        return None, [_in_words(str(p)) for p in french_problems(exc)]


def _in_words(problem: str) -> str:
    """Problems name maturities by code and triangles by field: say them as the table does."""
    for code, label in MATURITY.items():
        problem = problem.replace(f"incertitude {code},", f"{label},")
    return problem.replace("uncertainty_correlation : ", "").replace("uncertainty : ", "")


ODDS_SHORT_LABEL = "Chance d'engager à temps"
"""Not « Engagement tenu »: beside « Dans les délais » (a count in the plan) it read as the same thing."""


@st.cache_resource(max_entries=64, show_spinner=False)
def _odds(revision: int, scenario_json: str, _portfolio: Portfolio) -> float:
    return commitment_odds(_portfolio, Scenario.model_validate_json(scenario_json))


def run_commitment_odds(scenario: Scenario) -> float:
    """``run_risk(scenario).p_commitment_mean``, from the same draws on the dates alone (7× faster)."""
    s = state.store()
    revision = s.revision()
    return _odds(revision, scenario.model_dump_json(), state.portfolio(revision))


def commitment_odds_card(scenario: Scenario, reference: Scenario | None) -> None:
    """The Synthèse KPI « probabilité de tenir l'échéance d'engagement », against the reference."""
    odds = run_commitment_odds(scenario)
    delta = None
    if reference is not None and reference != scenario:
        change = odds - run_commitment_odds(reference)
        delta = None if abs(change) < 0.0005 else f"{'+' if change > 0 else ''}{fr.number(100 * change, 1)} points"
    projector = state.projector()
    st.metric(
        ODDS_SHORT_LABEL if projector else COMMITMENT_ODDS_LABEL,
        fr.percent(odds),
        delta=delta if delta is not None else ("= référence" if reference is not None else None),
        delta_color="normal" if delta is not None else "off",
        delta_arrow="auto" if delta is not None else "off",
        border=True,
        help=f"**{COMMITMENT_ODDS_LABEL}** — {COMMITMENT_ODDS_DEFINITION}"
        if projector
        else f"{COMMITMENT_ODDS_DEFINITION} Calculée sur {fr.number(DEFAULT_DRAWS)} tirages (page Risques).",
    )
