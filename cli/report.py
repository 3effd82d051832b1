"""``report``: the committee folder (summary image, Word note, workbook, charts) for a scenario."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from cli.french import CliError
from cli.inputs import add_scenario_inputs, open_store, portfolio_and_scenario
from formats.files import file_source
from simulation.risk import DEFAULT_DRAWS, DEFAULT_SEED


def register(commands: Any) -> None:
    rep = commands.add_parser(
        "report", help="écrire un dossier pour le comité : synthèse PNG, note Word, classeur, graphiques"
    )
    add_scenario_inputs(rep)
    rep.add_argument("--against", help="scénario de comparaison (nom ou fichier JSON ; par défaut la référence)")
    rep.add_argument("--out", required=True, help="dossier de sortie (créé si besoin)")
    rep.add_argument("--date", help="date d'édition AAAA-MM-JJ (par défaut aujourd'hui)")
    rep.add_argument(
        "--draws",
        type=int,
        default=DEFAULT_DRAWS,
        help=f"tirages des incertitudes (éventail des CP, paragraphe et feuille « Risques » ; par défaut {DEFAULT_DRAWS})",
    )
    rep.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine des tirages (par défaut {DEFAULT_SEED})")
    rep.add_argument("--drift", metavar="JALON", help="ajouter la dérive depuis ce jalon (feuille du classeur, note)")
    rep.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    try:
        edition = date.fromisoformat(args.date) if args.date else date.today()
    except ValueError:
        raise CliError(f"date d'édition invalide {args.date!r} : format attendu AAAA-MM-JJ") from None
    portfolio, scenario = portfolio_and_scenario(args)
    if args.against:
        _, against = portfolio_and_scenario(args, scenario_arg=args.against)
    elif args.operations:
        against = None  # files only: no reference to compare with unless --against is given
    else:
        store = open_store(args)
        against = store.load_scenario(store.reference_name()).scenario
    options: dict[str, object] = dict(file_source(args.operations)) if args.operations else {}
    if args.drift:
        options["drift"] = open_store(args).drift(args.drift)
        options["milestone"] = args.drift
    if not args.operations:
        store = open_store(args)
        milestones = store.milestones()
        last = milestones[-1] if milestones else None
        options["decisions"] = tuple(store.decisions_since(last.name if last else None))
        options["decisions_since"] = last.name if last else None
    from exports import ExportContext, write_report  # Altair, openpyxl, python-docx: this command only

    context = ExportContext.build(
        portfolio, scenario, against, risk_draws=args.draws, risk_seed=args.seed, edition_date=edition, **options
    )
    for path in write_report(context, Path(args.out)):
        print(path)
    return 0
