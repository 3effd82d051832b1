"""Keyboard shortcuts to the main levers: Alt+1 to Alt+4 put the focus on a lever's slider.

Why: in projector mode the facilitator drives by keyboard, and the escalation slider was about 60
Tab presses away. A shortcut puts the focus on the slider (the page scrolls to it); the arrow keys
then move it, as usual. Only levers drawn on the page are reached; elsewhere the keys do nothing.
"""

from __future__ import annotations

import json

SHORTCUTS = {
    "1": "Niveau des enveloppes (par rapport au scénario enregistré)",
    "2": "Actualisation des prix (par an)",
    "3": "Décalage (mois)",
    "4": "Coût (% du programme)",
}
"""Alt + key → the label of the slider it reaches (the sliders' own labels, ``views.arbitrage``)."""

SHORTCUTS_TEXT = "Raccourcis clavier : Alt+1 enveloppes, Alt+2 actualisation, Alt+3 décalage, Alt+4 coût."


def shortcuts_script() -> str:
    return (
        "<script>(() => {\n"
        "  const doc = window.parent && window.parent.document ? window.parent.document : document;\n"
        "  if (doc.__leverKeys) return; doc.__leverKeys = true;\n"
        f"  const levers = {json.dumps(SHORTCUTS, ensure_ascii=False)};\n"
        "  doc.addEventListener('keydown', (e) => {\n"
        "    if (!e.altKey || e.ctrlKey || e.metaKey) return;\n"
        "    const digit = (e.code || '').startsWith('Digit') ? e.code.slice(5) : e.key;\n"
        "    const label = levers[digit]; if (!label) return;\n"
        "    const slider = [...doc.querySelectorAll('input[type=range]')].find(s => s.getAttribute('aria-label') === label);\n"
        "    if (!slider) return;\n"
        "    e.preventDefault();\n"
        "    slider.focus();\n"
        "    (slider.closest('[data-testid=stSlider]') || slider).scrollIntoView({block: 'center'});\n"
        "  }, true);\n"
        "})();</script>"
    )
