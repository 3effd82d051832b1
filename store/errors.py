"""The store's refusals: French messages meant for the person, never a traceback."""

from __future__ import annotations


class StoreError(ValueError):
    """A store operation refused, with a French message for the user."""


class ScenarioConflict(StoreError):
    """Saving would overwrite someone else's work."""
