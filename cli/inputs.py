"""Where a command's portfolio and scenario come from: the store, or files given on the line."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.french import CliError
from simulation.model import Portfolio
from simulation.scenario import Scenario
from store.database import Store
from store.files import load_portfolio, load_scenario_file


def open_store(args: argparse.Namespace) -> Store:
    return Store.open(args.db)


def portfolio_and_scenario(args: argparse.Namespace, scenario_arg: str | None = None) -> tuple[Portfolio, Scenario]:
    """``--scenario NAME|FILE`` (or ``scenario_arg``), on ``--operations FILE`` or the store's portfolio."""
    wanted = args.scenario if scenario_arg is None else scenario_arg
    scenario_path = Path(wanted)
    if args.operations:
        if not scenario_path.is_file():
            raise CliError(f"avec --operations, --scenario doit être un fichier JSON ; introuvable : {wanted}")
        return load_portfolio(args.operations), load_scenario_file(scenario_path)
    store = open_store(args)
    if scenario_path.suffix.lower() == ".json" and scenario_path.is_file():
        return store.portfolio(), load_scenario_file(scenario_path)
    return store.portfolio(), store.load_scenario(wanted).scenario


def add_scenario_inputs(parser: argparse.ArgumentParser) -> None:
    """The ``--scenario NAME|FILE [--operations FILE]`` pair shared by run, report, fit…"""
    parser.add_argument("--scenario", required=True, help="nom d'un scénario de la base, ou fichier JSON")
    parser.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
