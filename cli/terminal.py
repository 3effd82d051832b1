"""What the CLI writes reaches a terminal as text: no control sequence from stored data drives it.

Names are checked when written (``simulation.user_text``), but a database from before that
check, or a file's name, may still hold an ESC sequence or a bell. Every line the CLI prints
goes through ``TerminalText``: control characters other than the line breaks and tabs the CLI
itself writes are shown as escapes (``\\x1b``). A user text that could hold a line break is
printed with ``one_line`` where it is interpolated (history, lists), so no line is forged.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escaped(text: str) -> str:
    """``text`` with every control character but ``\\n`` and ``\\t`` written as an escape."""
    return _RAW.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text)


class TerminalText:
    """A text stream that escapes control characters before they reach the real one."""

    def __init__(self, inner: TextIO):
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(escaped(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


@contextmanager
def terminal_streams() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` escaped for the length of one command."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(out), TerminalText(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
