"""An argparse that speaks French: usage, help, section titles and error messages.

argparse writes its own words in English ("usage:", "show this help message and exit",
"positional arguments", "the following arguments are required"); a person at the City reads
the CLI's help and errors too, so every one of them is replaced here.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from store.opening import DatabaseRefused, database_problem, is_database_error

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_OS_ERRORS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EISDIR: "c'est un dossier, un fichier est attendu",
    errno.ENOTDIR: "un dossier est attendu",
    errno.EROFS: "système de fichiers en lecture seule",
}

MAX_ERROR_CHARS = 20_000
"""Longest error printed: a refusal never floods the terminal (nor echoes a hostile file)."""

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
    return re.sub(r"(?<=\w):(?= )", " :", message)  # French colon spacing


def error_text(exc: BaseException) -> str:
    """The French sentence for any error reaching the command line; never a traceback.

    Our own refusals (``CliError``, store, import and file errors) already speak French;
    DuckDB errors (locked or damaged base) are translated; codec errors and anything else
    get a French sentence without the English detail. Long texts are cut.
    """
    if is_database_error(exc):
        text = database_problem(exc) if not isinstance(exc, DatabaseRefused) else str(exc)
    elif isinstance(exc, UnicodeError):
        text = "un fichier n'est pas dans un encodage reconnu (UTF-8 ou Windows-1252 attendu)"
    elif isinstance(exc, OSError) and exc.errno is not None:  # the system's own (English) words
        text = _OS_ERRORS.get(exc.errno, "erreur du système de fichiers") + (
            f" : {Path(exc.filename).name}" if exc.filename else ""
        )
    elif isinstance(exc, MemoryError):
        text = "mémoire insuffisante pour traiter ce fichier : il dépasse ce que le simulateur accepte"
    elif isinstance(exc, CliError | ValueError | OSError):  # our refusals carry French messages
        text = str(exc)
    else:  # a bug of ours: still a French sentence
        text = f"erreur inattendue ({type(exc).__name__}). Signalez-la avec la commande utilisée"
    if len(text) > MAX_ERROR_CHARS:
        text = text[:MAX_ERROR_CHARS] + "\n… (message tronqué)"
    return text
