"""Where the files shipped in ``data/`` live: the neighbourhoods, the demo portfolio and scenarios."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
NEIGHBOURHOODS_CSV = DATA_DIR / "quartiers.csv"
DEMO_OPERATIONS_CSV = DATA_DIR / "operations.csv"
DEMO_SCENARIO_JSON = DATA_DIR / "scenario_reference.json"
DEMO_VARIANT_JSONS = (DATA_DIR / "scenario_variante.json",)
"""Saved scenarios shipped beside the reference, so a first workshop has something to compare."""
DEMO_ACTUALS_CSV = DATA_DIR / "realise_demo.csv"
"""The demo's illustrative CP paid in 2023 and 2024 (``data/generate_actuals.py``)."""
DEMO_AP_CSV = DATA_DIR / "ap_demo.csv"
"""The demo's illustrative AP voted (id;ap_votee), one operation in three."""
DEMO_MILESTONE = "Plan pluriannuel de décembre 2022 (démonstration)"
"""A milestone the demo ships, dated before its two closed years, for their execution rate."""
