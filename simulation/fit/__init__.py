"""Fit to envelope: propose a phasing that respects budgets, staff and deadlines, and explain it.

Pure like the rest of ``simulation``: no Streamlit, no files. ``propose(portfolio, scenario,
settings)`` returns, for the greedy leveller and the CP-SAT optimiser, a new ``Scenario``
(shifts and drops only) with its ``simulate`` result, a check of every hard rule against that
result, and the reasons of each move.
"""

from simulation.fit.conflicts import Conflict, find_conflict
from simulation.fit.explain import Change, Reason, changes_frame, explain_changes
from simulation.fit.problem import FitProblem, Objective, Plan, build_problem, evaluate
from simulation.fit.propose import (
    ENGINE_LABEL,
    ENGINES,
    STATUS_LABEL,
    SUMMARY_KPIS,
    FitRun,
    Proposal,
    explain_proposal,
    kpi_comparison,
    optimised_proposal,
    plan_to_scenario,
    propose,
    summary_lines,
)
from simulation.fit.settings import FitError, FitSettings
from simulation.fit.verify import check_proposal

__all__ = [
    "ENGINES",
    "ENGINE_LABEL",
    "STATUS_LABEL",
    "SUMMARY_KPIS",
    "Change",
    "Conflict",
    "FitError",
    "FitProblem",
    "FitRun",
    "FitSettings",
    "Objective",
    "Plan",
    "Proposal",
    "Reason",
    "build_problem",
    "changes_frame",
    "check_proposal",
    "evaluate",
    "explain_changes",
    "explain_proposal",
    "find_conflict",
    "kpi_comparison",
    "optimised_proposal",
    "plan_to_scenario",
    "propose",
    "summary_lines",
]
