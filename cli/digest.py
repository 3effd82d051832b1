"""``digest``: what awaits a directorate, printed in French, or mailed with ``--send``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.inputs import open_store
from exports.digest import digest_text, send_digest, settings_from_environment


def register(commands: Any) -> None:
    digest = commands.add_parser("digest", help="ce qui attend une direction : questions, actions, réunions")
    digest.add_argument("--direction", required=True, metavar="D", help="direction ou maître d'ouvrage")
    digest.add_argument(
        "--send", action="store_true", help="l'envoyer par courriel (réglages SIMULATEUR_SMTP_HOST, _PORT, _FROM, _TO)"
    )
    digest.set_defaults(handler=_digest)


def _digest(args: argparse.Namespace) -> int:
    store = open_store(args)
    today = date.today()
    text = digest_text(
        args.direction,
        today,
        store.open_questions((args.direction,)),
        store.actions(direction=args.direction, today=today),
        store.meetings(),
    )
    if args.send:
        settings = settings_from_environment(store.direction_emails(args.direction))
        send_digest(text, args.direction, settings)
        print(f"Envoyé à {', '.join(settings.recipients)}.")
    else:
        print(text)
    return 0
