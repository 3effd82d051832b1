"""An argparse that speaks French: usage, help, section titles and error messages.

argparse writes its own words in English ("usage:", "show this help message and exit",
"positional arguments", "the following arguments are required"); a person at the City reads
the CLI's help and errors too, so every one of them is replaced here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

EXIT_ERROR = 1
EXIT_USAGE = 2

_ERRORS_FR = {
    "the following arguments are required": "arguments obligatoires manquants",
    "unrecognized arguments": "arguments non reconnus",
    "invalid choice": "choix invalide",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "not allowed with argument": "incompatible avec l'option",
    "ambiguous option": "option ambiguë",
    "could match": "pourrait désigner",
    "argument ": "option ",
    "choose from": "choisir parmi",
    "invalid float value": "nombre invalide",
    "invalid int value": "entier invalide",
}


class CliError(Exception):
    """A refusal to report in French with exit code 1 (no traceback)."""


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix="utilisation : " if prefix is None else prefix)


class FrenchParser(argparse.ArgumentParser):
    """ArgumentParser whose help, usage and errors are in French."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="afficher cette aide et quitter"
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Erreur : {translate(message)}\n")


def translate(message: str) -> str:
    for english, french in _ERRORS_FR.items():
        message = message.replace(english, french)
    return message
