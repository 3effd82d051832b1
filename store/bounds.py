"""Bounds on the text people type into threads and meetings: checked before anything is written.

A comment, a decision or an action is at most ``TEXT_MAX`` characters, a name (meeting,
participant, owner, directorate) at most ``NAME_MAX``. Control characters (and the invisible
bidirectional overrides that make a text read differently from what it holds) are refused:
they have no place in a minute, and a 1 MB or a hidden text would be kept for ever.
"""

from __future__ import annotations

import re
from datetime import date

from simulation import fr
from store.errors import StoreError

TEXT_MAX = 5_000
NAME_MAX = 200

_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def bounded_text(value: object, what: str, *, limit: int = TEXT_MAX) -> str:
    """``value`` stripped, non-empty, at most ``limit`` characters, line breaks allowed."""
    text = str(value if value is not None else "").replace("\r\n", "\n").strip()
    return _bounded(text, what, limit, _CONTROL_IN_TEXT, "un caractère de contrôle")


def bounded_name(value: object, what: str) -> str:
    """A one-line name of at most ``NAME_MAX`` characters."""
    text = str(value if value is not None else "").strip()
    return _bounded(text, what, NAME_MAX, _CONTROL_IN_NAME, "un caractère de contrôle ou un saut de ligne")


def _bounded(text: str, what: str, limit: int, control: re.Pattern[str], control_words: str) -> str:
    """``text`` if it is non-empty, at most ``limit`` characters and free of ``control`` characters
    (named ``control_words`` in the refusal); else the French refusal that names ``what``."""
    if not text:
        raise StoreError(f"{what} ne peut pas être vide : rien n'a été enregistré.")
    if len(text) > limit:
        raise StoreError(
            f"{what} fait {fr.number(len(text))} caractères : {fr.number(limit)} au plus. Rien n'a été enregistré."
        )
    if control.search(text):
        raise StoreError(f"{what} contient {control_words} : rien n'a été enregistré.")
    return text


def parse_day(value: object, what: str) -> date:
    """A date typed ``AAAA-MM-JJ`` (or already a date)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise StoreError(f"{what} invalide « {str(value)[:40]} » : format attendu AAAA-MM-JJ.") from None


def same_name(a: str | None, b: str | None) -> bool:
    """Names and directorates compare without case (« sports » is « Sports »)."""
    return (a or "").strip().casefold() == (b or "").strip().casefold()
