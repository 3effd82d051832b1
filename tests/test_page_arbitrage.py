"""Arbitrage page: levers recompute the KPIs; undo, reset and save work."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def widget(collection, prefix):
    return next(w for w in collection if w.key and w.key.startswith(prefix))


def test_renders_with_levers_chart_and_table():
    at = open_page("arbitrage")
    assert_no_exception(at)
    assert at.title[0].value == "Arbitrage"
    assert len(at.get("vega_lite_chart")) == 1
    editor = at.dataframe[0].value
    from store import load_portfolio

    assert len(editor) == len(load_portfolio("data/operations.csv").operations)
    assert {"Garder", "Décalage (mois)", "Coût (%)"} <= set(editor.columns)


def test_moving_the_commitment_deadline_changes_anru_lost_and_undo_restores_it():
    at = open_page("arbitrage")
    before = metric(at, "ANRU perdue (hors délai)").value
    widget(at.select_slider, "lever_commitment_deadline").set_value("2028-12").run()
    assert_no_exception(at)
    after = metric(at, "ANRU perdue (hors délai)").value
    from simulation import fr, simulate
    from store import load_portfolio

    expected = simulate(load_portfolio("data/operations.csv"), working_scenario(at)).kpis["anru_lost"]
    assert working_scenario(at).commitment_deadline == "2028-12"
    assert after != before and after == fr.meuros(expected)
    assert metric(at, "ANRU perdue (hors délai)").delta.startswith("-")
    assert any("modifié, non enregistré" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Annuler").click().run()
    assert metric(at, "ANRU perdue (hors délai)").value == before


def test_focus_panel_drops_an_operation_and_reports_it():
    at = open_page("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-01").run()
    keep = widget(at.toggle, "focus_keep_AIRB-01")
    keep.set_value(False).run()
    assert_no_exception(at)
    assert metric(at, "Opérations abandonnées").value == "1"
    changes = at.dataframe[-1].value  # "what changes against the reference"
    assert changes["Opération"].str.startswith("AIRB-01").any()
    assert "abandonnée" in changes["Leviers"].iloc[0]


def test_save_as_creates_a_scenario_listed_in_the_store(isolated_app):
    at = open_page("arbitrage")
    widget(at.select_slider, "lever_escalation").set_value(0.02).run()
    at.text_input[0].input("Variante actualisation 2 %")
    at.text_area[0].input("Tester une actualisation plus faible")
    at.button(key="FormSubmitter:save_scenario-Enregistrer").click().run()
    assert_no_exception(at)
    from store import Store

    names = [i.name for i in Store.open(isolated_app).list_scenarios()]
    assert "Variante actualisation 2 %" in names
    # no "Auteur" field any more: the author is the person acting (here the workstation, nobody defined)
    assert Store.open(isolated_app).load_scenario("Variante actualisation 2 %").info.author == "poste local"
    assert working_scenario(at).name == "Variante actualisation 2 %"
