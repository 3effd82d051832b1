"""Reading the shipped reference files and user files (no database involved)."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from formats.errors import ImportRefused
from formats.limits import size_text
from formats.read import decode_text, read_table
from formats.rows import rows_to_portfolio
from formats.shipped import DEMO_OPERATIONS_CSV, NEIGHBOURHOODS_CSV
from simulation.errors import french_problems
from simulation.labels import DEMO_SOURCE
from simulation.model import Neighbourhood, Portfolio
from simulation.scenario import Scenario


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

    Raises ``formats.errors.ImportRefused`` listing every problem (row, column, value, reason).
    """
    neighbourhoods = neighbourhoods or load_neighbourhoods()
    header, body = read_table(path)
    return rows_to_portfolio(header, body, neighbourhoods, Path(path).name)


SCENARIO_MAX_BYTES = 1024 * 1024
"""Largest scenario JSON file read (1 Mo): a real scenario is a few kilobytes."""

MAX_LISTED_PROBLEMS = 20
"""Problems listed one by one before « … et N autres »."""


def load_scenario_file(path: str | Path) -> Scenario:
    """A scenario JSON file, validated; ``FileError`` in French otherwise.

    UTF-8 (with or without BOM) and Windows-1252 are accepted. The file is capped at 1 Mo, and
    a refusal never echoes it back: at most 20 problems, each value cut short.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > SCENARIO_MAX_BYTES:
            raise FileError(
                f"Scénario {path.name} refusé : le fichier pèse {size_text(size)}, "
                f"la limite est de {size_text(SCENARIO_MAX_BYTES)}."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise FileError(f"Impossible de lire le scénario {path} : {exc.strerror or exc}") from None
    try:
        text = decode_text(data, path.name)
    except ImportRefused as exc:
        raise FileError(f"Scénario {path.name} illisible : {exc.issues[0]}") from None
    try:
        return Scenario.model_validate_json(text)
    except ValidationError as exc:
        raise FileError(f"Scénario {path.name} invalide :\n{scenario_problems(exc)}") from None


def scenario_problems(exc: ValidationError) -> str:
    """The problems of a scenario, at most 20 listed, keys and values cut short (never the file)."""
    lines = []
    problems = french_problems(exc)
    for problem in problems[:MAX_LISTED_PROBLEMS]:
        field = _short(problem.field, 80)
        if problem.reason == "JSON invalide":
            lines.append(f"- JSON invalide : {_json_position(exc)}")
            continue
        value = problem.value if type(problem.value) is object else _Cut(repr(problem.value))  # no value: as is
        cut = replace(problem, field=field, reason=_short(problem.reason, 300), value=value)
        lines.append(f"- {cut}")
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"… et {len(problems) - MAX_LISTED_PROBLEMS} autres")
    return "\n".join(lines)


class _Cut(str):
    """A value's repr cut to 60 characters, shown as it is."""

    def __repr__(self) -> str:
        return _short(str(self), 60)


def _json_position(exc: ValidationError) -> str:
    """« ligne 3, colonne 7 » of a JSON syntax error, from pydantic's English message."""
    for error in exc.errors(include_url=False):
        if error["type"] == "json_invalid":
            found = re.search(r"line (\d+) column (\d+)", str(error.get("ctx", {}).get("error", "")))
            if found:
                return f"erreur de syntaxe ligne {found.group(1)}, colonne {found.group(2)}"
    return "erreur de syntaxe"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_source(path: str | Path) -> dict[str, object]:
    """``source`` and ``demo`` options for operations read from a file (the demo file is marked)."""
    path = Path(path)
    try:
        demo = path.resolve() == DEMO_OPERATIONS_CSV.resolve()
    except OSError:
        demo = False
    return {"source": DEMO_SOURCE if demo else f"fichier {path.name}", "demo": demo}
