"""The French rewriting of Streamlit's own English (ui/layout.py) and the projector's short labels."""

from __future__ import annotations

import re

from simulation.labels import KPI
from ui import layout


def test_the_script_survives_streamlits_sanitiser():
    """DOMPurify drops a <script> whose text holds '<' before a letter, '/' or '!' (its mXSS rule)."""
    script = layout._french_script()
    body = script.removeprefix("<script>").removesuffix("</script>")
    assert script.startswith("<script>") and script.endswith("</script>")
    assert re.findall(r"<[/\w!]", body) == []


def test_every_english_string_has_a_french_one():
    for english, french in layout.FRENCH.items():
        assert french and french != english
        assert english in layout._french_script()  # shipped to the page
    for pattern, _ in layout._FRENCH_PATTERNS:
        re.compile(pattern)
    assert re.sub(
        r"^Limit (\d+)\s?MB per file(.*)$", r"Limite : \1 Mo par fichier\2", "Limit 200MB per file • CSV"
    ) == ("Limite : 200 Mo par fichier • CSV")


def test_short_kpi_labels_are_short_and_known():
    for key, short in layout.SHORT_KPI.items():
        assert key in KPI
        assert len(short) <= len(KPI[key]) and len(short) <= 22
