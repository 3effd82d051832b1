"""Reading the shipped reference files and user files (no database involved)."""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import ValidationError

from simulation.errors import french_message
from simulation.labels import DEMO_SOURCE
from simulation.model import Neighbourhood, Portfolio
from simulation.scenario import Scenario
from store.import_file import read_table, rows_to_portfolio
from store.paths import DEMO_OPERATIONS_CSV, NEIGHBOURHOODS_CSV


class FileError(ValueError):
    """A user file that cannot be used, with a French message."""


def load_neighbourhoods(path: str | Path = NEIGHBOURHOODS_CSV) -> tuple[Neighbourhood, ...]:
    """The 14 official neighbourhoods with their PRIN/PRIR status."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return tuple(
        Neighbourhood(code=r["code"], name=r["nom"], status=r["statut"], project=r.get("projet") or "") for r in rows
    )


def load_portfolio(path: str | Path, neighbourhoods: tuple[Neighbourhood, ...] | None = None) -> Portfolio:
    """Read and validate an import file (CSV or XLSX) into a portfolio, all or nothing.

    Raises ``store.import_file.ImportRefused`` listing every problem (row, column, value, reason).
    """
    neighbourhoods = neighbourhoods or load_neighbourhoods()
    header, body = read_table(path)
    return rows_to_portfolio(header, body, neighbourhoods, Path(path).name)


def load_scenario_file(path: str | Path) -> Scenario:
    """A scenario JSON file, validated; ``FileError`` in French otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FileError(f"Impossible de lire le scénario {path} : {exc.strerror or exc}") from None
    try:
        return Scenario.model_validate_json(text)
    except ValidationError as exc:
        raise FileError(f"Scénario {path.name} invalide :\n{french_message(exc)}") from None


def file_source(path: str | Path) -> dict[str, object]:
    """``source`` and ``demo`` options for operations read from a file (the demo file is marked)."""
    path = Path(path)
    try:
        demo = path.resolve() == DEMO_OPERATIONS_CSV.resolve()
    except OSError:
        demo = False
    return {"source": DEMO_SOURCE if demo else f"fichier {path.name}", "demo": demo}
