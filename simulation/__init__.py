"""Arbitration simulator for the public facilities of Marseille's NPNRU: engine and model.

Pure: no Streamlit, no database, no files. ``simulate(portfolio, scenario) -> Result``.
"""

from simulation.engine import simulate
from simulation.model import (
    PHASES,
    FacilityType,
    Funder,
    Maturity,
    Nature,
    Neighbourhood,
    Operation,
    Owner,
    Portfolio,
)
from simulation.result import Result
from simulation.scenario import OperationChoice, PhaseDurations, PhaseValues, Scenario, ScenarioError

__all__ = [
    "PHASES",
    "FacilityType",
    "Funder",
    "Maturity",
    "Nature",
    "Neighbourhood",
    "Operation",
    "OperationChoice",
    "Owner",
    "PhaseDurations",
    "PhaseValues",
    "Portfolio",
    "Result",
    "Scenario",
    "ScenarioError",
    "simulate",
]
