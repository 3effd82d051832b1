"""Text typed by a person stays text: no control character in a name, none shown raw on a terminal.

A name (person, scenario, operation title, directorate) is printed on one line of the CLI's
output, of the history, of a page: a newline in it forges a second line, an ESC sequence
repaints the terminal, a bidirectional override reverses what follows. Names refuse all of
them; longer texts (programme, rationale, motive) keep their line breaks and tabs only.
``one_line`` shows any text on one terminal line, whatever is stored (an old database).
"""

from __future__ import annotations

import re

from simulation import fr

NAME_LIMIT = 200
"""Longest name, in characters (``simulation.model.NAME_MAX`` is the same figure)."""

_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_NAME_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]")
_TEXT_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")  # \t and \n kept


def _describe(character: str) -> str:
    if character == "\n":
        return "un retour à la ligne"
    if character == "\t":
        return "une tabulation"
    if character == "\x1b":
        return "un caractère d'échappement (ESC)"
    return f"un caractère de contrôle (code {ord(character):d})"


def name_problem(text: str, limit: int = NAME_LIMIT) -> str | None:
    """Why ``text`` cannot be a name (one line, at most ``limit`` characters), or None."""
    return _problem(text, limit, _NAME_FORBIDDEN, "un nom tient sur une ligne de texte simple")


def text_problem(text: str, limit: int) -> str | None:
    """Why ``text`` cannot be a free text (line breaks allowed), or None."""
    return _problem(
        text.replace("\r\n", "\n"),
        limit,
        _TEXT_FORBIDDEN,
        "seuls le texte, les retours à la ligne et les tabulations sont admis",
    )


def _problem(text: str, limit: int, forbidden: re.Pattern[str], allowed: str) -> str | None:
    """Too long, or a ``forbidden`` character (named, then what is ``allowed``); None if neither."""
    if len(text) > limit:
        return f"trop long : {fr.number(len(text), 0)} caractères, {fr.number(limit, 0)} au plus"
    found = forbidden.search(text)
    if found:
        return f"contient {_describe(found.group())} : {allowed}"
    return None


def checked_name(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` if it can be a name; ``ValueError`` in French otherwise (for pydantic validators)."""
    problem = name_problem(text, limit)
    if problem:
        raise ValueError(problem)
    return text


def checked_text(text: str, limit: int) -> str:
    problem = text_problem(text, limit)
    if problem:
        raise ValueError(problem)
    return text


_SHOWN = re.compile(f"[\x00-\x1f\x7f-\x9f\\\\{_INVISIBLE}]")


def one_line(text: object) -> str:
    """``text`` for one terminal line: every control character written as an escape (``\\n``,
    ``\\x1b``), a backslash doubled, so nothing stored can forge a line or drive the terminal."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
    return _SHOWN.sub(
        lambda m: named.get(
            m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        str(text),
    )
