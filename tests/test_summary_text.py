"""The one-page summary's text: cut at word boundaries only, long titles on two lines, levers listed."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from exports import ExportContext, summary_png
from exports.summary import _fit, _font, _wrap, levers_moved
from simulation import Scenario
from tests.factories import operation, portfolio

DRAW = ImageDraw.Draw(Image.new("RGB", (10, 10)))
WORDS = st.text(alphabet="abcdefghijéèàç'", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=30), width=st.integers(min_value=120, max_value=900))
def test_fit_never_cuts_a_word_it_keeps(words, width):
    text = " ".join(words)
    fitted = _fit(DRAW, text, _font(19), width)
    if fitted == text:
        return
    kept = fitted.removesuffix("…").split()
    if len(kept) > 0 and fitted.endswith(" …"):  # the usual case: whole words, then an ellipsis
        assert kept == words[: len(kept)]
    else:  # a first word longer than the line is the only one ever cut
        assert len(kept) <= 1 and words[0].startswith(kept[0] if kept else "")


def test_fit_by_hand():
    text = "… et 14 autres (7,5 M€ d'ANRU à risque) : voir la note et le classeur"
    cut = _fit(DRAW, text, _font(19), DRAW.textlength("… et 14 autres (7,5 M€ d'ANRU …", font=_font(19)))
    assert cut == "… et 14 autres (7,5 M€ d'ANRU …"


def test_a_long_title_wraps_on_two_lines_without_loss():
    title = "Scénario « Variante – écoles accélérées, crèches décalées et gymnases transférés à la Métropole »"
    lines = _wrap(DRAW, title, _font(40, "bold"), 1300, 2)
    assert len(lines) == 2
    assert " ".join(lines) == title


OPS = portfolio(
    operation("A", start="2026-01"),
    operation("B", start="2026-01", neighbourhood="SAVI"),
)


def test_levers_moved_lists_settings_then_operations_by_hand():
    reference = Scenario(name="Référence")
    scenario = (
        reference.with_choice("A", shift_months=6)
        .with_choice("B", keep=False)
        .model_copy(update={"name": "Variante", "escalation_rate": 0.05})
    )
    ctx = ExportContext.build(OPS, scenario, reference, edition_date=date(2026, 3, 1))
    assert levers_moved(ctx) == [
        "Actualisation : 5,0\u00a0% par an (référence 3,0\u00a0% par an)",
        "A : décalée de +6 mois",
        "B : abandonnée",
    ]


@pytest.mark.parametrize("name", ["Court", ("Variante " + "très longue " * 9).strip()])
def test_the_summary_renders_with_levers_and_any_title(name):
    scenario = Scenario(name=name).with_choice("A", shift_months=3)
    ctx = ExportContext.build(OPS, scenario, Scenario(name="Référence"), edition_date=date(2026, 3, 1))
    image = Image.open(io.BytesIO(summary_png(ctx)))
    assert image.size == (1920, 1080)
