"""Working drafts: the unsaved scenario of one person in one workshop session, kept on the server.

A reload (F5) or a dropped connection starts a new Streamlit session, and with it an empty
session state: the scenario being arbitrated, not yet saved, was lost (the escalation went back
from 3,5 % to 3,0 % in a workshop). Each browser session carries a token in its address
(``?atelier=…``); after every change the working scenario, the saved version it started from and
who is acting are kept under that token, and the next session with the same token and the same
person gets them back.

Drafts are scratch, not records: they live in files beside the database (one small JSON file per
token, written whole then renamed), outside its tables, its history and its backups, so keeping
one never touches the database and two sessions never wait for each other. A draft is refused
(read as absent) when it is too large, unreadable, from another person, or older than
``DRAFT_DAYS``; the page then opens the saved scenario as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from simulation import Scenario

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
"""A session token: URL-safe, long enough not to be guessed (``secrets.token_urlsafe(16)``)."""
MAX_DRAFT_BYTES = 2_000_000
"""A scenario of 500 operations with every choice set is about 150 kB; more is not a draft of ours."""
DRAFT_DAYS = 14
"""A draft older than this is forgotten (and its file removed when another draft is kept)."""


@dataclass(frozen=True)
class Draft:
    """The working state of one session: what ``ui.state`` needs to carry on where it was."""

    person: str | None
    base_name: str
    base_version: int | None
    saved: Scenario
    working: Scenario
    kept_at: float  # seconds since the epoch

    def as_json(self) -> str:
        return json.dumps(
            {
                "person": self.person,
                "base_name": self.base_name,
                "base_version": self.base_version,
                "saved": self.saved.model_dump(mode="json"),
                "working": self.working.model_dump(mode="json"),
                "kept_at": self.kept_at,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        version = data["base_version"]
        return cls(
            person=None if data["person"] is None else str(data["person"]),
            base_name=str(data["base_name"]),
            base_version=None if version is None else int(version),
            saved=Scenario.model_validate(data["saved"]),
            working=Scenario.model_validate(data["working"]),
            kept_at=float(data["kept_at"]),
        )


class DraftsRoom:
    """Drafts of the database at ``path``, for the person ``user`` (a mixin of ``Store``)."""

    path: Path
    user: str | None

    def _drafts_dir(self) -> Path:
        return self.path.parent / f"{self.path.stem}.brouillons"

    def _draft_file(self, token: str) -> Path:
        if not TOKEN.fullmatch(token):
            raise ValueError("jeton de session invalide")
        return self._drafts_dir() / f"{token}.json"

    def keep_draft(self, token: str, draft: Draft) -> None:
        """Write the session's draft whole (a reader never sees half a file), then forget old ones."""
        target = self._draft_file(token)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(draft.as_json())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self._forget_old_drafts()

    def draft(self, token: str) -> Draft | None:
        """This person's draft under ``token``, or ``None`` (none, refused, or another person's)."""
        if not TOKEN.fullmatch(token):
            return None
        target = self._draft_file(token)
        try:
            if target.stat().st_size > MAX_DRAFT_BYTES:
                return None
            found = Draft.from_json(target.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None
        if found.person != self.user or time.time() - found.kept_at > DRAFT_DAYS * 86_400:
            return None
        return found

    def drop_draft(self, token: str) -> None:
        """The session has nothing unsaved any more (saved, reset, reopened)."""
        if TOKEN.fullmatch(token):
            with contextlib.suppress(FileNotFoundError):
                self._draft_file(token).unlink()

    def _forget_old_drafts(self) -> None:
        limit = time.time() - DRAFT_DAYS * 86_400
        with contextlib.suppress(OSError):
            for file in self._drafts_dir().glob("*.json"):
                with contextlib.suppress(OSError):
                    if file.stat().st_mtime < limit:
                        file.unlink()
