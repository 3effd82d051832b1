"""Capacité page: staff load against headcount, spending per owner against envelopes."""

from __future__ import annotations

import json

import pytest

from formats.actuals import with_demo_accounts
from simulation import Scenario, fr, simulate
from simulation.capacity import directorate_summary, most_overloaded_first
from simulation.model import Owner
from store import load_portfolio
from store.paths import DEMO_OPERATIONS_CSV
from tests.apptest_support import (
    assert_no_exception,
    open_page,
    open_projector,
    set_working_scenario,
    shown,
    working_scenario,
)

pytestmark = pytest.mark.usefixtures("isolated_app")


def most_overloaded(scenario: Scenario) -> str:
    result = simulate(with_demo_accounts(load_portfolio(DEMO_OPERATIONS_CSV)), scenario)
    return str(most_overloaded_first(directorate_summary(result))["directorate"].iloc[0])


def staff_row(at, directorate: str):
    table = at.dataframe[0].value
    return table.set_index("Direction").loc[directorate]


def money_row(at, owner: str, line: str):
    table = at.dataframe[1].value
    return table[(table["Maître d'ouvrage"] == owner) & (table["Ligne"] == line)].iloc[0]


def test_capacite_renders_charts_and_tables():
    at = open_page("capacite")
    assert_no_exception(at)
    assert at.title[0].value == "Capacité"
    assert any("Jeu de démonstration" in c.value for c in at.caption)
    # heat map + one directorate's lines + the chosen owner's spending against its envelope
    assert len(at.get("vega_lite_chart")) == 3
    assert at.get("button_group")[-1].value == "Ville"
    scenario = working_scenario(at)
    education = staff_row(at, "Éducation")
    assert education["Effectif"] == fr.fte(scenario.headcount["Éducation"])
    assert education["Mois au-dessus de l'effectif"] != "0"
    assert at.dataframe[0].value["Direction"].iloc[0] == most_overloaded(scenario)
    assert money_row(at, "Ville", "Enveloppe")["2027"] == fr.meuros(scenario.envelopes[Owner.VILLE][2027])
    assert money_row(at, "Ville", "Écart (+ = dépassement)")["2027"].startswith("+")


def test_more_headcount_in_the_working_scenario_clears_the_overload():
    at = open_page("capacite")
    scenario = working_scenario(at)
    set_working_scenario(at, scenario.model_copy(update={"headcount": {**scenario.headcount, "Éducation": 12.0}}))
    at.run()
    assert_no_exception(at)
    education = staff_row(at, "Éducation")
    assert education["Effectif"] == fr.fte(12.0)
    assert education["Mois au-dessus de l'effectif"] == "0"
    assert education["Surcharge maximale"] == "—"
    assert at.dataframe[0].value["Direction"].iloc[0] == most_overloaded(working_scenario(at))
    assert most_overloaded(working_scenario(at)) != "Éducation"


def test_a_larger_envelope_removes_the_overrun():
    at = open_page("capacite")
    scenario = working_scenario(at)
    envelopes = {**scenario.envelopes, "Ville": dict.fromkeys(range(2025, 2033), 90_000_000.0)}
    set_working_scenario(at, Scenario.model_validate({**scenario.model_dump(), "envelopes": envelopes}))
    at.run()
    assert_no_exception(at)
    assert money_row(at, "Ville", "Enveloppe")["2027"] == fr.meuros(90_000_000.0)
    assert money_row(at, "Ville", "Écart (+ = dépassement)")["2027"].startswith("-")


def lines_data(at) -> set[str]:
    """Names (content hashes) of the datasets of the load-vs-headcount chart."""
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    return {layer["data"]["name"] for layer in spec["layer"]}


def test_choosing_another_directorate_redraws_its_lines():
    at = open_page("capacite")
    before = lines_data(at)
    at.selectbox(key="capacite_direction").set_value("Culture").run()
    assert_no_exception(at)
    assert at.selectbox(key="capacite_direction").value == "Culture"
    assert lines_data(at) != before


def test_projector_mode_shows_static_tables_with_overruns_in_red():
    at = open_projector("capacite")
    assert len(at.table) == 2
    money = at.table[1].value
    gap = money[(money["Maître d'ouvrage"] == "Ville") & (money["Ligne"] == "Écart (+ = dépassement)")].iloc[0]
    yearly = simulate(with_demo_accounts(load_portfolio(DEMO_OPERATIONS_CSV)), working_scenario(at)).yearly
    expected = yearly[yearly["owner"] == "Ville"].set_index("year")["gap"]
    # The demo has an overrun in 2027 and room in a later year (the accounts moved what 2023-2024
    # did not pay onto 2025 and after).
    room = next(int(y) for y, v in expected.items() if v < 0)
    assert expected[2027] > 0
    assert shown(gap["2027"]) == f":red[**{fr.meuros(expected[2027], signed=True)}**]"  # as the table reads
    assert shown(gap[str(room)]) == fr.meuros(expected[room], signed=True)


def test_recommended_recruitments_are_shown_and_one_click_adds_them():
    at = open_page("capacite")
    assert_no_exception(at)
    sentences = [t.value for t in at.text if t.value.startswith("• Recruter")]
    coordination = [s for s in sentences if "ETP en Coordination NPNRU à partir de" in s]
    assert len(coordination) == 1
    assert "Recruter 2 ETP en Coordination NPNRU à partir de janvier 2025" in coordination[0]
    assert any("ETP en Éducation à partir de" in s for s in sentences)
    assert staff_row(at, "Coordination NPNRU")["Effectif"] == "0,0\u00a0ETP"
    assert at.dataframe[0].value["Direction"].iloc[-1] == "Coordination NPNRU"  # the transversal team last

    at.button(key="capacite_recruit").click().run()
    assert_no_exception(at)
    scenario = working_scenario(at)
    assert [r.direction for r in scenario.recruitments].count("Coordination NPNRU") == 1
    assert not [t for t in at.text if t.value.startswith("• Recruter")]
    assert any("Aucun recrutement nécessaire" in s.value for s in at.success)
    for directorate in ("Éducation", "Coordination NPNRU"):
        assert staff_row(at, directorate)["Mois au-dessus de l'effectif"] == "0"
    plan = at.dataframe[1].value
    assert "Coordination NPNRU" in set(plan["Direction"]) and set(plan["Jusqu'à"]) == {"sans fin"}


def test_the_lead_time_moves_the_launch_month():
    at = open_page("capacite")
    lead = next(n for n in at.number_input if n.label == "Délai de recrutement (mois)")
    assert lead.value == 6
    lead.set_value(12).run()
    assert_no_exception(at)
    assert working_scenario(at).recruitment_lead_months == 12
    sports = next(t.value for t in at.text if "ETP en Sports" in t.value)
    assert (
        "à partir de septembre 2025 (lancer le recrutement sans attendre : il aurait fallu le lancer en septembre 2024)"
        in sports
    )


def test_execution_tab_shows_the_demo_closed_years_rates_and_ap_coverage():
    at = open_page("capacite")
    assert_no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Taux d'exécution 2023"] == "70,0\u00a0%"
    assert metrics["Taux d'exécution 2024"] == "68,0\u00a0%"
    headers = [h.value for h in at.subheader]
    assert "Autorisations de programme : stock à payer et couverture" in headers
    frames = [d.value for d in at.dataframe]
    ap = next(f for f in frames if "Couverture (années)" in f.columns)
    assert "Ville" in set(ap["Maître d'ouvrage"])
