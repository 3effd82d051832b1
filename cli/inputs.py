"""Where a command's portfolio and scenario come from: the store, or files given on the line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cli.french import CliError
from formats.files import load_portfolio, load_scenario_file
from simulation.engine import simulate
from simulation.model import Portfolio
from simulation.scenario import Scenario, ScenarioError
from store.database import Store, os_login


def open_store(args: argparse.Namespace, *, seed: bool = True) -> Store:
    """The store, with the person of ``--user`` (default: the OS login) acting.

    When people are defined, an unknown user is refused before anything is read or written.
    The file is released as soon as each unit of work ends (no lingering: the app may want it).
    """
    store = Store.open(args.db, seed=seed, user=getattr(args, "user", None) or os_login(), linger=0)
    store.whoami()
    return store


def portfolio_and_scenario(args: argparse.Namespace, scenario_arg: str | None = None) -> tuple[Portfolio, Scenario]:
    """``--scenario NAME|FILE`` (or ``scenario_arg``), on ``--operations FILE``, a milestone, or the store."""
    wanted = args.scenario if scenario_arg is None else scenario_arg
    scenario_path = Path(wanted)
    if args.operations:
        if getattr(args, "milestone", None):
            raise CliError("--operations et --milestone s'excluent : choisissez l'un ou l'autre")
        if not scenario_path.is_file():
            raise CliError(f"avec --operations, --scenario doit être un fichier JSON ; introuvable : {wanted}")
        return load_portfolio(args.operations), load_scenario_file(scenario_path)
    store = open_store(args)
    milestone = getattr(args, "milestone", None)
    portfolio = store.milestone_portfolio(milestone) if milestone else store.portfolio()
    if scenario_path.suffix.lower() == ".json" and scenario_path.is_file():
        return portfolio, load_scenario_file(scenario_path)
    return portfolio, store.load_scenario(wanted).scenario


T = TypeVar("T")


def simulated(
    args: argparse.Namespace,
    run: Callable[[Portfolio, Scenario], T] = simulate,  # type: ignore[assignment]
) -> T:
    """Load the portfolio and scenario the line names (``portfolio_and_scenario``) and run them
    (``simulate`` by default; ``simulate_risk``…): a scenario that does not fit the portfolio is
    refused in French, as every command that loads, simulates and prints does."""
    portfolio, scenario = portfolio_and_scenario(args)
    try:
        return run(portfolio, scenario)
    except ScenarioError as exc:
        raise CliError(str(exc)) from None


def print_json(data: Any) -> None:
    """A command's ``--json`` output: UTF-8 text as written (accents kept, not escaped), indented by one."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


def add_scenario_inputs(parser: argparse.ArgumentParser) -> None:
    """The ``--scenario NAME|FILE [--operations FILE | --milestone NAME]`` inputs shared by run, report, fit…"""
    parser.add_argument("--scenario", required=True, help="nom d'un scénario de la base, ou fichier JSON")
    parser.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
    parser.add_argument("--milestone", help="simuler sur le portefeuille figé à ce jalon au lieu d'aujourd'hui")
