"""``meeting`` (create, agenda, start, close, show, minutes), ``decision`` (add, correct) and ``action``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cli.dialogue import action_line
from cli.french import CliError
from cli.inputs import open_store
from simulation import fr
from simulation.dialogue import DECISION_KINDS, MEETING_KINDS, Meeting
from simulation.dialogue import MEETING_STATE as STATE_LABEL
from simulation.labels import KPI

HEADLINE = ("spending_ttc", "anru_secured", "anru_lost", "net_cost", "n_late", "total_overrun")


def register(commands: Any) -> None:
    meeting = commands.add_parser("meeting", help="réunions : ordre du jour, séance, relevé de décisions")
    steps = meeting.add_subparsers(dest="meeting_action", required=True, metavar="ACTION", title="actions")
    create = steps.add_parser("create", help="créer une réunion (prévue)")
    create.add_argument("name", metavar="NOM")
    create.add_argument("--date", required=True, help="date AAAA-MM-JJ")
    create.add_argument("--kind", required=True, choices=list(MEETING_KINDS), help="type de réunion")
    create.add_argument("--scenario", help="scénario discuté (par défaut la référence au moment de chaque décision)")
    create.add_argument(
        "--participant", action="append", default=[], help="« Nom (organisation) », répétable ; déclaré ou non"
    )
    create.set_defaults(handler=_create)
    agenda = steps.add_parser("agenda", help="ajouter un point à l'ordre du jour")
    agenda.add_argument("name", metavar="NOM")
    target = agenda.add_mutually_exclusive_group(required=True)
    target.add_argument("--operation", metavar="ID", help="une opération du portefeuille")
    target.add_argument("--topic", metavar="TEXTE", help="un sujet libre")
    agenda.set_defaults(handler=_agenda)
    for action, text in (("start", "ouvrir la séance (arbitre)"), ("close", "clore la séance : le relevé est figé")):
        step = steps.add_parser(action, help=text)
        step.add_argument("name", metavar="NOM")
        step.set_defaults(handler=_start if action == "start" else _close)
    show = steps.add_parser("show", help="afficher une réunion, ses décisions et ses actions")
    show.add_argument("name", metavar="NOM")
    show.add_argument("--json", action="store_true", help="sortie JSON : name, date, kind, state, items…")
    show.set_defaults(handler=_show)
    minutes = steps.add_parser("minutes", help="écrire le relevé de décisions (Word) dans un dossier")
    minutes.add_argument("name", metavar="NOM")
    minutes.add_argument("--out", required=True, metavar="DOSSIER", help="dossier de sortie (créé si besoin)")
    minutes.set_defaults(handler=_minutes)

    decision = commands.add_parser("decision", help="décisions d'une réunion en cours (arbitre)")
    kinds = decision.add_subparsers(dest="decision_action", required=True, metavar="ACTION", title="actions")
    add = kinds.add_parser("add", help="enregistrer une décision, avec ses actions")
    add.add_argument("name", metavar="NOM")
    subject = add.add_mutually_exclusive_group(required=True)
    subject.add_argument("--operation", metavar="ID", help="opération concernée")
    subject.add_argument("--topic", metavar="TEXTE", help="sujet libre de l'ordre du jour")
    add.add_argument("--kind", required=True, choices=list(DECISION_KINDS), help="nature de la décision")
    add.add_argument("--text", required=True, help="texte de la décision")
    _action_options(add)
    add.set_defaults(handler=_decide)
    correct = kinds.add_parser("correct", help="corriger une décision d'une réunion close (motif obligatoire)")
    correct.add_argument("decision_id", type=int, metavar="DECISION_ID")
    correct.add_argument("--text", required=True, help="texte corrigé")
    correct.add_argument("--reason", required=True, help="motif de la correction")
    correct.add_argument("--kind", choices=list(DECISION_KINDS), help="nature corrigée (par défaut inchangée)")
    _action_options(correct)
    correct.set_defaults(handler=_correct)

    action = commands.add_parser("action", help="actions décidées en réunion : liste, suivi")
    verbs = action.add_subparsers(dest="action_action", required=True, metavar="ACTION", title="actions")
    listing = verbs.add_parser("list", help="lister les actions")
    listing.add_argument("--overdue", action="store_true", help="seulement les actions en retard")
    listing.add_argument("--direction", help="seulement celles d'une direction (ou de ses membres)")
    listing.add_argument("--json", action="store_true", help="sortie JSON : liste d'actions")
    listing.add_argument("--xlsx", metavar="FICHIER", help="écrire aussi toutes les actions listées en XLSX")
    listing.set_defaults(handler=_actions)
    more = verbs.add_parser("add", help="ajouter une action à une décision de la réunion en cours (arbitre)")
    more.add_argument("decision_id", type=int, metavar="DECISION_ID")
    more.add_argument("text", metavar="TEXTE")
    more.add_argument("--owner", required=True, help="responsable : une personne ou une direction")
    more.add_argument("--due", required=True, help="échéance AAAA-MM-JJ")
    more.set_defaults(handler=_add_action)
    done = verbs.add_parser("done", help="marquer une action faite (son responsable ou un arbitre)")
    done.add_argument("action_id", type=int, metavar="ACTION_ID")
    done.add_argument("--note", help="note facultative")
    done.set_defaults(handler=_done)


def _action_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--action", action="append", default=[], help="action décidée (répétable, avec --owner et --due)"
    )
    parser.add_argument("--owner", action="append", default=[], help="responsable : une personne ou une direction")
    parser.add_argument("--due", action="append", default=[], help="échéance AAAA-MM-JJ")


def _follow_up(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    if not len(args.action) == len(args.owner) == len(args.due):
        raise CliError(
            f"chaque --action demande un --owner et un --due : {len(args.action)} action(s), "
            f"{len(args.owner)} responsable(s), {len(args.due)} échéance(s). Rien n'a été enregistré."
        )
    return list(zip(args.action, args.owner, args.due, strict=True))


def _create(args: argparse.Namespace) -> int:
    made = open_store(args).create_meeting(
        args.name, args.date, args.kind, scenario=args.scenario, participants=args.participant
    )
    print(f"Réunion « {made.name} » ({MEETING_KINDS[made.kind]}) prévue le {made.date:%d/%m/%Y}.")
    return 0


def _agenda(args: argparse.Namespace) -> int:
    made = open_store(args).add_agenda_item(args.name, operation=args.operation, topic=args.topic)
    print(f"Ordre du jour de « {made.name} » : {len(made.items)} point(s).")
    return 0


def _start(args: argparse.Namespace) -> int:
    print(f"Réunion « {open_store(args).start_meeting(args.name).name} » en cours.")
    return 0


def _close(args: argparse.Namespace) -> int:
    made = open_store(args).close_meeting(args.name)
    print(f"Réunion « {made.name} » close : {len(made.decisions)} décision(s), relevé figé.")
    return 0


def _decide(args: argparse.Namespace) -> int:
    made = open_store(args).add_decision(
        args.name, args.kind, args.text, operation=args.operation, topic=args.topic, actions=_follow_up(args)
    )
    print(
        f"Décision n° {made.id} ({DECISION_KINDS[made.kind]}) enregistrée sur le scénario « {made.scenario} » "
        f"version {made.scenario_version}, avec {len(made.actions)} action(s)."
    )
    return 0


def _correct(args: argparse.Namespace) -> int:
    made = open_store(args).correct_decision(
        args.decision_id, args.text, args.reason, kind=args.kind, actions=_follow_up(args)
    )
    print(f"Correction n° {made.id} de la décision n° {args.decision_id} enregistrée.")
    return 0


def _show(args: argparse.Namespace) -> int:
    meeting = open_store(args).meeting(args.name)
    if args.json:
        _dump(meeting.as_json(date.today()))
    else:
        print(meeting_text(meeting, date.today()))
    return 0


def _minutes(args: argparse.Namespace) -> int:
    from exports.minutes import minutes_docx, minutes_file_name  # python-docx: loaded by this command only

    store = open_store(args)
    meeting = store.meeting(args.name)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / minutes_file_name(meeting)
    path.write_bytes(minutes_docx(meeting, demo=store.is_demo()))
    print(path)
    return 0


def _actions(args: argparse.Namespace) -> int:
    today = date.today()
    found = open_store(args).actions(overdue=args.overdue, direction=args.direction, today=today)
    if args.xlsx:
        from exports.minutes import actions_xlsx  # openpyxl: loaded by this option only

        Path(args.xlsx).write_bytes(actions_xlsx(found, today))
    if args.json:
        _dump([a.as_json(today) for a in found])
        return 0
    if not found:
        print("Aucune action.")
    for a in found:
        print(f"{action_line(a, today)} [{'faite' if a.status == 'faite' else 'ouverte'}]")
    return 0


def _add_action(args: argparse.Namespace) -> int:
    decision = open_store(args).add_action(args.decision_id, args.text, args.owner, args.due)
    print(
        f"Action n° {decision.actions[-1].id} ajoutée à la décision n° {decision.id} : "
        f"{len(decision.actions)} action(s)."
    )
    return 0


def _done(args: argparse.Namespace) -> int:
    made = open_store(args).mark_action_done(args.action_id, note=args.note)
    print(f"Action n° {made.id} faite.")
    return 0


def meeting_text(meeting: Meeting, today: date) -> str:
    lines = [
        f"{meeting.name} — {MEETING_KINDS[meeting.kind]} du {meeting.date:%d/%m/%Y} ({STATE_LABEL[meeting.state]})",
        f"Scénario discuté : {meeting.scenario or 'la référence'}",
        "Participants : "
        + (
            ", ".join(
                f"{p['name']} ({p['organisation']})" if p["organisation"] else p["name"] for p in meeting.participants
            )
            or "aucun"
        ),
    ]
    for item in meeting.items:
        lines.append(f"{item.position}. {('opération ' + item.operation) if item.operation else item.topic}")
        for d in item.decisions:
            fix = f" — corrige le n° {d.corrects} ({d.reason})" if d.corrects else ""
            lines.append(f"   décision n° {d.id} — {DECISION_KINDS[d.kind]}{fix} : {d.text}")
            figures = " ; ".join(f"{KPI[k]} {fr.kpi_value(k, d.kpis[k])}" for k in HEADLINE if k in d.kpis)
            lines.append(f"     scénario « {d.scenario} » version {d.scenario_version} : {figures}")
            lines.extend(f"     {action_line(a, today)}" for a in d.actions)
    return "\n".join(lines)


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
