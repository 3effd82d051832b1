"""The history as French tables (issue 20: « rationale : » and « empty » were English)."""

from __future__ import annotations

from datetime import datetime

from simulation import Scenario
from store.database import HistoryEntry
from ui.frames.history_table import history_frame, key_text, value_text


def test_a_whole_scenario_reads_in_french():
    text = value_text(
        {"name": "Variante", "author": "Mission", "rationale": "Moins d'écoles", "escalation_rate": 0.035}
    )
    assert text == "nom : Variante ; auteur : Mission ; justification : Moins d'écoles ; actualisation : 0,04"
    assert "rationale" not in text and "escalation" not in text


def test_every_scenario_key_has_a_french_name():
    for key in Scenario.model_fields:
        assert key_text(key) != key, key
    assert key_text("choices.AIRB-01.shift_months") == "choix par opération.AIRB-01.décalage (mois)"


def test_the_field_column_is_french():
    entry = HistoryEntry(
        3, datetime(2026, 3, 1, 10, 0), "alice", "scénario", "Variante", None, "rationale", "a", "b", None, 2
    )
    assert history_frame([entry])["Champ"].tolist() == ["justification"]
