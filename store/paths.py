"""Where the local database lives, and how long a unit of work waits for it.

The shipped data files are ``formats.shipped``'s; they are named here too for the store's seeding.
"""

from __future__ import annotations

import os
from pathlib import Path

from formats.shipped import (
    DATA_DIR,
    DEMO_OPERATIONS_CSV,
    DEMO_SCENARIO_JSON,
    DEMO_VARIANT_JSONS,
    NEIGHBOURHOODS_CSV,
    ROOT,
)

__all__ = [
    "DATA_DIR",
    "DEMO_OPERATIONS_CSV",
    "DEMO_SCENARIO_JSON",
    "DEMO_VARIANT_JSONS",
    "NEIGHBOURHOODS_CSV",
    "ROOT",
    "database_wait_seconds",
    "default_database_path",
]


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
