"""One meaning per figure: the contradictions a workshop met, each caught by a test.

- the phasing verification names the teams it holds, and the team that stays over;
- a per-operation load is printed with the decimals it needs (never « 0,0 ETP » for 0,02);
- « années hors enveloppe » counts years; owner-years are called that;
- the summary image says whose spending its chart shows, and shows that owner's gaps;
- a caption's colour words are the colours its chart draws with;
- each KPI is defined in one sentence, the same in the app's hover text and the note's glossary.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

import charts
from exports.context import ExportContext
from exports.note import GLOSSARY_TITLE, note_docx
from exports.summary import chart_heading, summary_chart_spec
from exports.text import typography
from simulation import Scenario, fr, simulate
from simulation.fit import FitSettings, propose
from simulation.fit.verify import unchecked_overloads, verified_text
from simulation.labels import (
    COMMITMENT_ODDS_DEFINITION,
    COMMITMENT_ODDS_LABEL,
    HEADLINE_KPIS,
    KPI,
    KPI_DEFINITION,
    OWNER,
)
from simulation.scenario import COORDINATION_TEAM, PhaseValues
from simulation.settings_text import settings_summary
from tests.factories import operation, portfolio

# --------------------------------------------------------------------------- loads and their decimals


def test_a_load_of_a_few_hundredths_keeps_its_digits():
    assert fr.load(0.02) == "0,02\u00a0ETP"
    assert fr.load(0.035) == "0,035\u00a0ETP"
    assert fr.load(0.3) == "0,3\u00a0ETP"
    assert fr.load(0.0) == "0,0\u00a0ETP"
    assert fr.load(1.25) == "1,25\u00a0ETP"


@given(st.floats(0.0005, 40, allow_nan=False))
def test_a_printed_load_reads_back_within_half_a_thousandth_and_is_never_nil(value):
    text = fr.load(value)
    read = float(text.removesuffix("\u00a0ETP").replace("\u00a0", "").replace(",", "."))
    assert abs(read - value) <= 0.0005 + 1e-12
    assert read > 0


def test_the_settings_print_the_coordination_load_as_it_is():
    scenario = Scenario(coordination_load=PhaseValues(programming=0.02, design=0.03, tendering=0.03, works=0.04))
    rows = dict(settings_summary(scenario))
    text = rows["Coordination par opération"]
    assert "0,0\u00a0ETP" not in text
    assert "0,02\u00a0ETP" in text and "0,04\u00a0ETP" in text


# --------------------------------------------------------------------------- years over the envelope


def test_two_owners_over_the_same_year_make_one_year_and_two_owner_years():
    ville = operation("A")
    spem = operation("B", owner="SPEM")
    scenario = Scenario(escalation_rate=0.0, envelopes={"Ville": {2025: 500_000}, "SPEM": {2025: 500_000}})
    kpis = simulate(portfolio(ville, spem), scenario).kpis
    assert kpis["years_over_envelope"] == 2  # Ville 2025 and SPEM 2025
    assert kpis["calendar_years_over_envelope"] == 1  # 2025
    assert KPI["calendar_years_over_envelope"] == "Années hors enveloppe"
    assert "maître d'ouvrage" in KPI["years_over_envelope"]


def test_the_headline_years_never_exceed_the_horizon(store):
    result = simulate(store.portfolio(), store.reference_scenario().scenario)
    years = result.yearly["year"].nunique()
    assert result.kpis["calendar_years_over_envelope"] <= years
    assert result.kpis["calendar_years_over_envelope"] <= result.kpis["years_over_envelope"]
    assert "calendar_years_over_envelope" in HEADLINE_KPIS and "years_over_envelope" not in HEADLINE_KPIS


# --------------------------------------------------------------------------- the phasing verification


def test_the_verification_names_the_team_that_stays_over(store):
    """On the demo data the greedy plan holds every directorate with a headcount; the coordination
    team has none, and carries the whole peak overload: the verification must not say « effectifs
    tenus » without naming it."""
    run = propose(
        store.portfolio(), store.reference_scenario().scenario, FitSettings(), engines=["greedy"], explain=False
    )
    greedy = run.proposals["greedy"]
    assert greedy.result is not None and not greedy.violations
    checked = verified_text(run.problem, greedy.result)
    for limit in run.problem.staff_limits:
        assert limit.directorate in checked
    overload = greedy.result.kpis["peak_staff_overload"]
    staff = greedy.result.staff
    worst = staff.loc[staff["overload_fte"].idxmax(), "directorate"]
    assert overload > 0 and worst == COORDINATION_TEAM
    lines = unchecked_overloads(run.problem, greedy.result)
    assert len(lines) == 1 and lines[0].startswith(COORDINATION_TEAM)
    assert fr.fte(overload) in lines[0]
    months = int(
        (
            (staff["directorate"] == COORDINATION_TEAM)
            & (staff["overload_fte"] > 0)
            & (staff["month"] >= run.problem.locked.reference_month)
        ).sum()
    )
    assert f"{months} mois" in lines[0]


def test_a_plan_within_every_team_names_no_team_over():
    op = operation("A", directorate="Éducation")
    scenario = Scenario(escalation_rate=0.0, headcount={"Éducation": 5.0, COORDINATION_TEAM: 5.0})
    run = propose(portfolio(op), scenario, FitSettings(), engines=["greedy"], explain=False)
    greedy = run.proposals["greedy"]
    assert greedy.result is not None
    assert unchecked_overloads(run.problem, greedy.result) == []


# --------------------------------------------------------------------------- the summary image's owner


def test_the_summary_chart_is_the_owner_it_names(store):
    reference = store.reference_scenario().scenario
    variant = reference.model_copy(update={"name": "Variante", "escalation_rate": 0.035})
    ctx = ExportContext.build(store.portfolio(), variant, reference)
    owner = variant.capacity_owner.value
    assert chart_heading(ctx).endswith(OWNER[owner])
    spec = json.dumps(summary_chart_spec(ctx))
    drawn = sorted({round(float(v), 6) for v in re.findall(r'"overrun": ([-\d.e]+)', spec) if float(v) > 0.05})
    yearly = ctx.result.yearly
    mine = yearly[(yearly["owner"] == owner) & (yearly["gap"] > 5e4)]
    assert len(mine)
    assert drawn == sorted(round(float(g) / 1e6, 6) for g in mine["gap"])  # the owner's own gaps
    every = yearly[yearly["gap"] > 0].groupby("year")["gap"].sum()
    assert sorted(round(float(g) / 1e6, 6) for g in every if g > 5e4) != drawn  # not all owners summed


# --------------------------------------------------------------------------- colour words


def test_the_fan_caption_names_the_colours_the_fan_draws(store):
    from simulation.risk import simulate_risk

    risk = simulate_risk(store.portfolio(), store.reference_scenario().scenario, draws=50, seed=1)
    spec = json.dumps(charts.cp_fan(risk, "Ville").to_dict(validate=False))
    for plain in (False, True):
        caption = charts.fan_caption(plain=plain)
        assert "rouge" not in caption
        for colour, word in charts.theme.COLOUR_WORD.items():
            if re.search(rf"(Bande|trait|tirets|traits|en) {re.escape(word)}s? :", caption):
                assert colour.lower() in spec.lower(), (word, colour)
    assert charts.colour_word(charts.OVERRUN_COLOUR) == "orange"
    assert "1er au 9e décile" not in charts.fan_caption(plain=True)


# --------------------------------------------------------------------------- one definition per KPI


def test_every_kpi_has_one_sentence():
    assert set(KPI_DEFINITION) == set(KPI)
    for key, sentence in KPI_DEFINITION.items():
        assert sentence.endswith(".") and sentence[0].isupper(), key
        assert sentence.count(". ") == 0, key  # one sentence
    # The two « on time » figures say how they differ.
    assert "plan" in KPI_DEFINITION["n_on_time"] and "aléa" in KPI_DEFINITION["n_on_time"]
    assert "Dans les délais" in COMMITMENT_ODDS_DEFINITION


@pytest.mark.parametrize("against", [False, True])
def test_the_note_glossary_says_what_the_cards_say(store, against):
    reference = store.reference_scenario().scenario
    variant = reference.model_copy(update={"name": "Variante", "escalation_rate": 0.035})
    ctx = ExportContext.build(store.portfolio(), variant, reference if against else None)
    document = Document(io.BytesIO(note_docx(ctx, chart_images={"none": b""})))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert GLOSSARY_TITLE in headings
    cells = {
        row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows if len(row.cells) == 2
    }
    for key, label in KPI.items():
        assert cells.get(typography(label)) == typography(KPI_DEFINITION[key]), key
    assert typography(COMMITMENT_ODDS_LABEL) in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert "python -m" not in text and "(s)" not in text


# --------------------------------------------------------------------------- the pages' cards


@pytest.mark.usefixtures("isolated_app")
@pytest.mark.parametrize("projector", [False, True])
@pytest.mark.parametrize("page", ["arbitrage", "synthese"])
def test_every_card_defines_its_figure_on_hover(page, projector):
    from tests.apptest_support import assert_no_exception, open_page

    at = open_page()
    if projector:
        at.session_state["projecteur"] = True
        at.run()
    if page != "synthese":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert_no_exception(at)
    by_label = {label: key for key, label in KPI.items()}
    from ui.layout import SHORT_KPI

    by_label.update({label: key for key, label in SHORT_KPI.items()} if projector else {})
    shown = set()
    for card in at.metric:
        if card.label in by_label:
            key = by_label[card.label]
            assert KPI_DEFINITION[key] in card.proto.help, card.label
            shown.add(key)
        else:  # the risk page's odds
            assert COMMITMENT_ODDS_DEFINITION in card.proto.help, card.label
            assert card.label != "Engagement tenu"
    if page == "arbitrage":
        assert "total_overrun" in shown  # an envelope cut shows on Arbitrage's cards
    else:
        assert "calendar_years_over_envelope" in shown and "years_over_envelope" not in shown
