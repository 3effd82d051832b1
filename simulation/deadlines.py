"""NPNRU deadlines: which kept operations miss which deadline, and what ANRU money it costs.

A reduction of a ``Result`` for the Calendrier page and for exports; pure, no formatting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model import Portfolio
from simulation.result import Result

MISSED = {
    "commitment": "Engagement",
    "completion": "Achèvement",
    "both": "Engagement et achèvement",
}
"""French names of the deadline(s) an operation misses (``missed`` column)."""

LATE_COLUMNS: dict[str, str] = {
    "operation_id": "operation",
    "title": "title",
    "neighbourhood": "neighbourhood name",
    "directorate": "piloting directorate",
    "commitment_month": "the commitment milestone (works or design start), 'YYYY-MM'",
    "works_start": "month works start",
    "completion": "last month of works",
    "commitment_missed": "milestone after the commitment deadline",
    "completion_missed": "completion after the completion deadline",
    "missed": "which deadline(s), in French (see MISSED)",
    "anru_lost": "ANRU subsidy lost because the commitment deadline is missed (euros)",
}


def late_mask(operations: pd.DataFrame) -> np.ndarray:
    """Which rows of ``Result.operations`` are late: kept, and past the commitment or the completion
    deadline. The one definition the Calendrier page, its chart and the exports select on."""
    missed = operations["commitment_missed"].to_numpy(dtype=bool) | operations["completion_missed"].to_numpy(dtype=bool)
    return operations["kept"].to_numpy(dtype=bool) & missed


def missed_deadlines(operations: pd.DataFrame) -> np.ndarray:
    """French name of the deadline(s) each row misses (see ``MISSED``); meaningful on late rows only."""
    commitment = operations["commitment_missed"].to_numpy(dtype=bool)
    completion = operations["completion_missed"].to_numpy(dtype=bool)
    if not len(operations):
        return np.array([], dtype=object)
    return np.where(
        commitment & completion, MISSED["both"], np.where(commitment, MISSED["commitment"], MISSED["completion"])
    )


def late_operations(result: Result, portfolio: Portfolio) -> pd.DataFrame:
    """Kept operations that miss a deadline, by neighbourhood then milestone (documented columns)."""
    ops = result.operations
    late = ops[late_mask(ops)]
    table = pd.DataFrame(
        {
            "operation_id": late["operation_id"].to_numpy(),
            "title": late["title"].to_numpy(),
            "neighbourhood": late["neighbourhood"]
            .map(portfolio.neighbourhood_names)
            .fillna(late["neighbourhood"])
            .to_numpy(),
            "directorate": late["directorate"].to_numpy(),
            "commitment_month": late["commitment_month"].to_numpy(),
            "works_start": late["works_start"].to_numpy(),
            "completion": late["completion"].to_numpy(),
            "commitment_missed": late["commitment_missed"].to_numpy(dtype=bool),
            "completion_missed": late["completion_missed"].to_numpy(dtype=bool),
            "missed": missed_deadlines(late),
            "anru_lost": late["anru_lost"].to_numpy(dtype=float),
        }
    )
    return table.sort_values(["neighbourhood", "commitment_month", "operation_id"]).reset_index(drop=True)
