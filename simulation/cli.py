"""Command line: ``python -m simulation run|scenario-template|import|export``.

The one place of the package that touches files and the store: it reads inputs, calls the
same ``simulate`` as the app, prints. Every error ends with a French message and a non-zero
exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from simulation import fr
from simulation.engine import simulate
from simulation.model import Portfolio
from simulation.result import Result
from simulation.scenario import Scenario, ScenarioError

EXIT_ERROR = 1
EXIT_USAGE = 2

_ARGPARSE_FR = {
    "the following arguments are required": "arguments obligatoires manquants",
    "unrecognized arguments": "arguments non reconnus",
    "invalid choice": "choix invalide",
    "expected one argument": "une valeur est attendue",
    "argument ": "option ",
    "choose from": "choisir parmi",
    "invalid float value": "nombre invalide",
    "invalid int value": "entier invalide",
}


class _FrenchParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for english, french in _ARGPARSE_FR.items():
            message = message.replace(english, french)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Erreur : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _FrenchParser(
        prog="python -m simulation",
        description="Simulateur d'arbitrage des équipements publics du NPNRU de Marseille.",
    )
    parser.add_argument("--db", help="base DuckDB à utiliser (par défaut var/simulateur.duckdb ou $SIMULATEUR_DB)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE", parser_class=_FrenchParser)

    run = commands.add_parser("run", help="simuler un scénario et afficher ses indicateurs")
    run.add_argument("--scenario", required=True, help="nom d'un scénario de la base, ou fichier JSON")
    run.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
    run.add_argument("--json", action="store_true", help="sortie JSON complète (kpis, operations, yearly, staff)")

    commands.add_parser("scenario-template", help="afficher un scénario JSON complet, réglages par défaut")

    imp = commands.add_parser("import", help="importer un fichier d'opérations dans la base (tout ou rien)")
    imp.add_argument("file", help="fichier CSV ou XLSX au format du modèle d'import")
    imp.add_argument("--replace", action="store_true", help="remplacer tout le portefeuille au lieu de compléter")

    exp = commands.add_parser("export", help="exporter les opérations de la base au format du modèle d'import")
    exp.add_argument("directory", help="dossier de sortie (créé si besoin)")

    rep = commands.add_parser(
        "report", help="écrire un dossier pour le comité : synthèse PNG, note Word, classeur, graphiques"
    )
    rep.add_argument("--scenario", required=True, help="nom d'un scénario de la base, ou fichier JSON")
    rep.add_argument("--against", help="scénario de comparaison (nom ou fichier JSON ; par défaut la référence)")
    rep.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
    rep.add_argument("--out", required=True, help="dossier de sortie (créé si besoin)")
    rep.add_argument("--date", help="date d'édition AAAA-MM-JJ (par défaut aujourd'hui)")

    fit = commands.add_parser(
        "fit", help="proposer un phasage qui tient les enveloppes, les effectifs et les échéances"
    )
    fit.add_argument("--scenario", required=True, help="nom d'un scénario de la base, ou fichier JSON")
    fit.add_argument("--operations", help="fichier d'opérations (CSV ou XLSX) au lieu de la base")
    fit.add_argument("--engine", choices=["greedy", "optimal"], default="optimal", help="glouton ou optimiseur CP-SAT")
    fit.add_argument("--time-limit", type=float, default=10.0, help="temps maximal de l'optimiseur, en secondes")
    fit.add_argument("--out", help="écrire la proposition comme scénario JSON complet (accepté par run)")
    fit.add_argument(
        "--mode", choices=["strict", "carry_forward"], default="strict", help="enveloppes strictes ou reports"
    )
    fit.add_argument("--tolerance", type=float, default=0.0, help="tolérance sur les effectifs, en %% (ex. 10)")
    fit.add_argument(
        "--grid", choices=["monthly", "quarterly"], default="monthly", help="grille des dates de démarrage"
    )
    fit.add_argument("--max-shift", type=int, default=36, help="décalage maximal d'une opération, en mois")
    fit.add_argument("--force-in", action="append", default=[], help="opération à maintenir (répétable)")
    fit.add_argument("--force-out", action="append", default=[], help="opération à abandonner (répétable)")
    fit.add_argument("--fix", action="append", default=[], help="opération à ne pas déplacer (répétable)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BrokenPipeError:  # output piped into `head` and cut: not an error of ours
        sys.stderr.close()
        return 0
    except CliError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (ValueError, OSError) as exc:  # store/template errors carry French messages
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug of ours: still a French sentence, not a traceback
        print(
            f"Erreur inattendue ({type(exc).__name__}) : {exc}. Signalez-la avec la commande utilisée.", file=sys.stderr
        )
        return EXIT_ERROR


class CliError(Exception):
    pass


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "scenario-template":
        print(Scenario().model_dump_json(indent=2))
        return 0
    if args.command == "run":
        portfolio, scenario = _inputs(args)
        try:
            result = simulate(portfolio, scenario)
        except ScenarioError as exc:
            raise CliError(str(exc)) from None
        if args.json:
            json.dump(result.to_records(), sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            print(format_kpis(result))
        return 0
    if args.command == "import":
        store = _open_store(args)
        print(store.import_operations(args.file, replace=args.replace))
        return 0
    if args.command == "export":
        from store.exports import export_operations

        store = _open_store(args)
        for path in export_operations(store.portfolio(), Path(args.directory)):
            print(path)
        return 0
    if args.command == "report":
        from datetime import date

        from exports import ExportContext, file_source, write_report

        try:
            edition = date.fromisoformat(args.date) if args.date else date.today()
        except ValueError:
            raise CliError(f"date d'édition invalide {args.date!r} : format attendu AAAA-MM-JJ") from None
        portfolio, scenario = _inputs(args)
        if args.against:
            _, against = _inputs(argparse.Namespace(**{**vars(args), "scenario": args.against}))
        elif args.operations:
            against = None  # files only: no reference to compare with unless --against is given
        else:
            store = _open_store(args)
            against = store.load_scenario(store.reference_name()).scenario
        options = file_source(args.operations) if args.operations else {}
        context = ExportContext.build(portfolio, scenario, against, edition_date=edition, **options)
        for path in write_report(context, Path(args.out)):
            print(path)
        return 0
    if args.command == "fit":
        return _fit(args)
    raise CliError(f"commande inconnue {args.command}")


def _fit(args: argparse.Namespace) -> int:
    """``fit``: propose a phasing (engine of ``simulation.fit``), print it in French, write it."""
    from pydantic import ValidationError

    from simulation.errors import french_message
    from simulation.fit import FitSettings, propose, summary_lines

    portfolio, scenario = _inputs(args)
    try:
        settings = FitSettings(
            forced_in=args.force_in,
            forced_out=args.force_out,
            fixed=args.fix,
            envelope_mode=args.mode,
            staff_tolerance=args.tolerance / 100,
            grid=args.grid,
            max_shift_months=args.max_shift,
            time_limit_s=args.time_limit,
        )
    except ValidationError as exc:
        labels = {
            "staff_tolerance": "--tolerance (fraction)",
            "max_shift_months": "--max-shift",
            "time_limit_s": "--time-limit",
        }
        raise CliError("réglages invalides :\n" + french_message(exc, labels)) from None
    try:
        run = propose(portfolio, scenario, settings, engines=[args.engine])
    except ScenarioError as exc:
        raise CliError(str(exc)) from None
    print("\n".join(summary_lines(run)))
    proposal = run.proposals[args.engine]
    if proposal.scenario is None:
        return EXIT_ERROR
    if args.out:
        try:
            Path(args.out).write_text(proposal.scenario.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            raise CliError(f"impossible d'écrire {args.out} : {exc.strerror or exc}") from None
        print(f"Proposition écrite dans {args.out}")
    return 0


def _open_store(args: argparse.Namespace) -> Any:
    from store.database import Store

    return Store.open(args.db)


def _inputs(args: argparse.Namespace) -> tuple[Portfolio, Scenario]:
    from store.files import load_portfolio, load_scenario_file

    scenario_path = Path(args.scenario)
    if args.operations:
        if not scenario_path.is_file():
            raise CliError(f"avec --operations, --scenario doit être un fichier JSON ; introuvable : {args.scenario}")
        return load_portfolio(args.operations), load_scenario_file(scenario_path)
    store = _open_store(args)
    if scenario_path.suffix.lower() == ".json" and scenario_path.is_file():
        return store.portfolio(), load_scenario_file(scenario_path)
    return store.portfolio(), store.load_scenario(args.scenario).scenario


def format_kpis(result: Result) -> str:
    k = result.kpis
    lines = [
        f"Scénario : {result.scenario.name}",
        f"Opérations : {k['n_operations']} dont {k['n_kept']} retenues, {k['n_dropped']} abandonnées",
        f"  dans les délais : {k['n_on_time']} ; en retard : {k['n_late']} "
        f"(engagement manqué : {k['n_commitment_missed']}, achèvement manqué : {k['n_completion_missed']})",
        f"  décalées par une dépendance : {k['n_pushed']}",
        f"Coût HT (prix de base) : {fr.meuros(k['cost_ht'])}",
        f"Crédits de paiement TTC (actualisés) : {fr.meuros(k['spending_ttc'])}",
        f"Subventions : {fr.meuros(k['subsidies'])}",
        f"ANRU prévue : {fr.meuros(k['anru_planned'])} ; sécurisée : {fr.meuros(k['anru_secured'])} ; "
        f"perdue (engagement hors délai) : {fr.meuros(k['anru_lost'])} ; "
        f"renoncée (abandons) : {fr.meuros(k['anru_forgone'])}",
        f"FCTVA : {fr.meuros(k['fctva'])}",
        f"Coût net pour les maîtres d'ouvrage : {fr.meuros(k['net_cost'])}",
        f"Années au-dessus de l'enveloppe : {k['years_over_envelope']} "
        f"(dépassement cumulé : {fr.meuros(k['total_overrun'])})",
        f"Charge maximale d'une direction : {fr.fte(k['peak_staff_load'])} ; "
        f"surcharge maximale : {fr.fte(k['peak_staff_overload'])} "
        f"({k['staff_overload_months']} mois-direction en surcharge)",
    ]
    return "\n".join(lines)
