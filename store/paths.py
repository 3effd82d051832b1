"""Where the shipped data and the local database live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
NEIGHBOURHOODS_CSV = DATA_DIR / "quartiers.csv"
DEMO_OPERATIONS_CSV = DATA_DIR / "operations.csv"
DEMO_SCENARIO_JSON = DATA_DIR / "scenario_reference.json"
DEMO_VARIANT_JSONS = (DATA_DIR / "scenario_variante.json",)
"""Saved scenarios shipped beside the reference, so a first workshop has something to compare."""


def default_database_path() -> Path:
    """``$SIMULATEUR_DB`` if set, else ``var/simulateur.duckdb`` in the checkout (not committed)."""
    configured = os.environ.get("SIMULATEUR_DB")
    return Path(configured) if configured else ROOT / "var" / "simulateur.duckdb"


def database_wait_seconds() -> float:
    """How long a unit of work waits for a file another process holds: ``$SIMULATEUR_DB_WAIT_S``, else 30 s."""
    try:
        return max(0.0, float(os.environ.get("SIMULATEUR_DB_WAIT_S", "30")))
    except ValueError:
        return 30.0
