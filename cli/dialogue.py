"""``comment`` (an operation's thread: comments, questions, answers, closing) and ``inbox`` (à traiter)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from cli.inputs import open_store
from simulation.dialogue import QUESTION_STATUS as STATUS_LABEL
from simulation.dialogue import Action, Comment


def register(commands: Any) -> None:
    comment = commands.add_parser("comment", help="fil d'une opération : commentaires, questions, réponses")
    actions = comment.add_subparsers(dest="comment_action", required=True, metavar="ACTION", title="actions")

    add = actions.add_parser("add", help="commenter une opération, ou poser une question à une direction")
    add.add_argument("text", metavar="TEXTE")
    add.add_argument("--operation", required=True, metavar="ID", help="identifiant de l'opération")
    add.add_argument("--question", action="store_true", help="une question, ouverte jusqu'à sa réponse")
    add.add_argument("--to", metavar="DIRECTION", help="direction ou maître d'ouvrage questionné (avec --question)")
    add.add_argument("--corrects", type=int, metavar="N", help="corriger le commentaire n° N (il est cité)")
    add.set_defaults(handler=_add)

    reply = actions.add_parser("reply", help="répondre à un commentaire ou à une question")
    reply.add_argument("comment_id", type=int, metavar="COMMENT_ID")
    reply.add_argument("text", metavar="TEXTE")
    reply.set_defaults(handler=_reply)

    close = actions.add_parser("close", help="clore une question répondue (son auteur ou un arbitre)")
    close.add_argument("comment_id", type=int, metavar="COMMENT_ID")
    close.set_defaults(handler=_close)

    listing = actions.add_parser("list", help="le fil d'une opération")
    listing.add_argument("--operation", required=True, metavar="ID", help="identifiant de l'opération")
    listing.add_argument("--json", action="store_true", help="sortie JSON : liste de commentaires")
    listing.set_defaults(handler=_list)

    inbox = commands.add_parser("inbox", help="à traiter : questions à mes directions, actions qui me reviennent")
    inbox.add_argument("--json", action="store_true", help="sortie JSON : {questions, actions}")
    inbox.set_defaults(handler=_inbox)


def _add(args: argparse.Namespace) -> int:
    store = open_store(args)
    made = store.add_comment(args.operation, args.text, question=args.question, to=args.to, corrects=args.corrects)
    what = f"Question n° {made.id} posée à {made.to}" if made.question else f"Commentaire n° {made.id} ajouté"
    print(f"{what} sur l'opération {made.operation}.")
    return 0


def _reply(args: argparse.Namespace) -> int:
    store = open_store(args)
    made = store.reply(args.comment_id, args.text)
    print(f"Réponse n° {made.id} ajoutée au fil de l'opération {made.operation}.")
    parent = store.comment(args.comment_id)
    if parent.question:
        print(f"Question n° {parent.id} : {STATUS_LABEL[parent.status or 'ouverte']}.")
    return 0


def _close(args: argparse.Namespace) -> int:
    closed = open_store(args).close_question(args.comment_id)
    print(f"Question n° {closed.id} close.")
    return 0


def _list(args: argparse.Namespace) -> int:
    thread = open_store(args).comments(args.operation)
    if args.json:
        _dump([c.as_json() for c in thread])
        return 0
    if not thread:
        print(f"Aucun commentaire sur l'opération {args.operation}.")
    for c in thread:
        print(comment_line(c))
    return 0


def _inbox(args: argparse.Namespace) -> int:
    store = open_store(args)
    today = date.today()
    box = store.inbox(today)
    if args.json:
        _dump(box.as_json(today))
        return 0
    print(f"À traiter pour {store.whoami().describe()} :")
    print(f"Questions ouvertes à vos directions : {len(box.questions)}")
    for q in box.questions:
        print("  " + comment_line(q))
    print(f"Actions ouvertes qui vous reviennent : {len(box.actions)}")
    for a in box.actions:
        print("  " + action_line(a, today))
    return 0


def comment_line(c: Comment) -> str:
    head = f"n° {c.id} — {c.at:%d/%m/%Y %H:%M} — {c.user} ({c.organisation})"
    if c.question:
        head += f" — question à {c.to}, {STATUS_LABEL[c.status or 'ouverte']}"
    if c.reply_to is not None:
        head += f" — en réponse au n° {c.reply_to}"
    return f"{head} [{c.operation}] : {c.text}"


def action_line(a: Action, today: date) -> str:
    late = " — EN RETARD" if a.overdue(today) else ""
    where = f"opération {a.operation}, " if a.operation else ""
    return f"action n° {a.id} — {a.owner} — pour le {a.due:%d/%m/%Y}{late} ({where}réunion « {a.meeting} ») : {a.text}"


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
