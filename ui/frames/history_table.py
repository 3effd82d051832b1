"""History entries and drift rows as French tables for the pages (formatting only, no rule)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulation import fr
from simulation.drift import Drift
from simulation.journal_fields import field_label, shown_value, whole_operation
from simulation.settings_text import SETTING
from store.database import HistoryEntry

KEY_LABEL: dict[str, str] = {
    **{key: label.lower() for key, label in SETTING.items()},
    "name": "nom",
    "author": "auteur",
    "rationale": "justification",
    "parent": "établi à partir de",
    "choices": "choix par opération",
    "envelopes": "enveloppes",
    "headcount": "effectifs",
    "keep": "garder",
    "shift_months": "décalage (mois)",
    "cost_factor": "coût (facteur)",
    "owner": "maître d'ouvrage",
    "durations": "durées",
    "role": "rôle",
    "directorates": "directions",
    "directorate": "direction",
}
"""French names of the scenario's and people's keys, as the history shows them (« rationale : » was
English on Historique)."""


def key_text(key: str) -> str:
    """``choices.AIRB-01.shift_months`` as ``choix par opération.AIRB-01.décalage (mois)``."""
    return ".".join(KEY_LABEL.get(part, part) for part in str(key).split("."))


def field_text(entry: HistoryEntry) -> str:
    """The field an entry changed, in French: an operation's by its label (new field names and the
    old file column names alike), a scenario's or a person's key by ``key_text``."""
    if not entry.field:
        return "(ensemble)"
    if entry.kind == "opération":
        return field_label(entry.field)
    return key_text(entry.field)


def value_text(value: Any) -> str:
    """A recorded value in French (numbers, yes/no, lists, a whole operation by its title and cost)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return fr.number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "aucune"
    if isinstance(value, dict):
        whole = whole_operation(value)  # a whole operation (created or deleted)
        if whole is not None:
            return f"{whole[0]} — {value_text(whole[1])} € HT"
        return " ; ".join(f"{key_text(k)} : {value_text(v)}" for k, v in value.items())
    return str(value)


def history_frame(entries: list[HistoryEntry]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Date": [f"{e.at:%d/%m/%Y %H:%M}" for e in entries],
            "Personne": [e.user for e in entries],
            "Objet": [e.kind + (f" {e.target}" if e.target else "") for e in entries],
            "Direction": [e.directorate or "" for e in entries],
            "Champ": [field_text(e) for e in entries],
            "Avant": [value_text(shown_value(e.field, e.before)) for e in entries],
            "Après": [value_text(shown_value(e.field, e.after)) for e in entries],
            "Motif": [e.reason or "" for e in entries],
            "Version": [str(e.version) if e.version is not None else "" for e in entries],
            "Lot": [e.change_set for e in entries],
        }
    )


def _money(value: float | None) -> str:
    return "—" if value is None else fr.euros(value)


def drift_frame(drift: Drift, statuses: list[str] | None = None) -> pd.DataFrame:
    rows = [o for o in drift.operations if statuses is None or o.status in statuses]

    def delta(a: float | None, b: float | None) -> str:
        return "—" if a is None or b is None else fr.euros(b - a) if b != a else "="

    def months(value: int | None) -> str:
        return "—" if value is None else ("=" if value == 0 else f"{value:+d} mois")

    return pd.DataFrame(
        {
            "Opération": [o.id for o in rows],
            "Intitulé": [o.title for o in rows],
            "Direction": [o.directorate for o in rows],
            "Statut": [o.status for o in rows],
            "Coût HT au jalon": [_money(o.cost_ht_before) for o in rows],
            "Coût HT aujourd'hui": [_money(o.cost_ht_after) for o in rows],
            "Écart HT": [delta(o.cost_ht_before, o.cost_ht_after) for o in rows],
            "Écart TTC": [delta(o.cost_ttc_before, o.cost_ttc_after) for o in rows],
            "Début des travaux": [f"{fr.month(o.works_start_before)} → {fr.month(o.works_start_after)}" for o in rows],
            "Glissement travaux": [months(o.slippage_months) for o in rows],
            "Glissement engagement": [months(o.commitment_slippage_months) for o in rows],
            "Programme": [", ".join(o.programme_changes) for o in rows],
        }
    )
