"""Scénarios page: list, duplicate, rename, delete and open saved scenarios through the widgets."""

from __future__ import annotations

import os

import pytest

from store import Store
from tests.apptest_support import assert_no_exception, open_page, set_working_scenario, shown, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def listed(at) -> list[str]:
    return at.table[0].value["Nom"].tolist()


def sidebar_choice(at) -> str:
    """The scenario the sidebar picker shows (from the next run on: after ``switch_page`` AppTest
    runs the page alone, so the app's sidebar may not have consumed the pending choice yet)."""
    from ui import state

    if state.PENDING_PICK in at.session_state:
        return at.session_state[state.PENDING_PICK]
    return at.session_state[state.SCENARIO_PICKER]


def duplicate(at, source: str, name: str):
    at.text_input(key=f"dup_name_{source}").set_value(name)
    next(b for b in at.button if b.label == "Dupliquer").click()
    at.run()
    return at


def test_scenarios_page_lists_the_reference_with_its_settings():
    at = open_page("scenarios")
    assert_no_exception(at)
    assert at.title[0].value == "Scénarios"
    table = at.table[0].value
    assert table["Nom"].tolist() == ["Référence"]
    assert table["Rôle"].tolist() == ["référence ; ouvert"]
    assert table["Dernière modification"].map(shown).str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d").all()
    settings = dict(at.table[1].value.values.tolist())
    assert settings["Échéance d'engagement"] == "décembre 2026"
    envelopes = at.table[3].value
    assert envelopes.loc[envelopes["Maître d'ouvrage"] == "Ville", "2025"].item() == "66,0"


def test_duplicate_rename_delete_through_the_page():
    at = duplicate(open_page("scenarios"), "Référence", "Variante éducation")
    assert_no_exception(at)
    assert "Variante éducation" in listed(at)
    assert at.selectbox(key="scenarios_selected").value == "Variante éducation"
    assert "créé" in at.success[0].value
    row = at.table[0].value.set_index("Nom").loc["Variante éducation"]
    assert row["Auteur"] == "poste local" and row["Parent"] == "Référence"  # nobody defined: the workstation

    at.text_input(key="rename_name_Variante éducation").set_value("Variante éducation 2")
    next(b for b in at.button if b.label == "Renommer").click()
    at.run()
    assert_no_exception(at)
    assert "Variante éducation 2" in listed(at) and "Variante éducation" not in listed(at)
    assert at.selectbox(key="scenarios_selected").value == "Variante éducation 2"

    at.button(key="scenario_delete").click()
    at.run()
    assert "à la corbeille" in at.warning[0].value
    assert "Variante éducation 2" in listed(at)  # nothing deleted before the confirmation
    at.button(key="scenario_delete_confirm").click()
    at.run()
    assert_no_exception(at)
    assert listed(at) == ["Référence"]
    assert "mis à la corbeille" in at.success[0].value
    assert [b.name for b in Store.open(os.environ["SIMULATEUR_DB"]).binned_scenarios()] == ["Variante éducation 2"]


def test_duplicate_under_an_existing_name_is_refused_in_french_and_keeps_the_input():
    at = duplicate(open_page("scenarios"), "Référence", "Référence")
    assert_no_exception(at)
    assert "existe déjà" in at.error[0].value
    assert at.text_input(key="dup_name_Référence").value == "Référence"
    assert listed(at) == ["Référence"]


def test_deleting_the_reference_shows_the_store_message():
    at = open_page("scenarios")
    at.button(key="scenario_delete").click()
    at.run()
    assert_no_exception(at)
    assert at.error[0].value == "Le scénario de référence « Référence » ne peut pas être supprimé."
    assert listed(at) == ["Référence"]


def test_open_a_copy_then_delete_it_falls_back_to_the_reference():
    at = duplicate(open_page("scenarios"), "Référence", "Copie ouverte")
    at.button(key="scenario_open").click()
    at.run()
    assert_no_exception(at)
    assert working_scenario(at).name == "Copie ouverte"
    assert sidebar_choice(at) == "Copie ouverte"  # the sidebar picker follows
    assert at.table[0].value.set_index("Nom").loc["Copie ouverte", "Rôle"] == "ouvert"

    at.button(key="scenario_delete").click()
    at.run()
    at.button(key="scenario_delete_confirm").click()
    at.run()
    assert_no_exception(at)
    assert working_scenario(at).name == "Référence"
    assert sidebar_choice(at) == "Référence"
    assert "Le scénario en cours est désormais « Référence »" in at.success[0].value


def test_selected_variant_lists_what_it_changes_against_the_reference():
    at = duplicate(open_page("scenarios"), "Référence", "Avec un abandon")
    set_working_scenario(at, working_scenario(at).with_choice("AIRB-01", keep=False))
    at.run()
    from ui import state

    store = state._process_store()
    variant = store.load_scenario("Avec un abandon")
    store.save_scenario(
        variant.scenario.with_choice("AIRB-01", keep=False).model_copy(update={"escalation_rate": 0.05}),
        expected_version=variant.info.version,
    )
    at.run()
    assert_no_exception(at)
    assert any("Actualisation : 5,0" in m.value for m in at.markdown)
    choices = at.table[-1].value
    assert choices["Opération"].str.startswith("AIRB-01").tolist() == [True]
    assert choices["Choix"].tolist() == ["abandonnée"]


def test_the_open_scenario_has_an_envelope_editor_and_saves_from_this_page(isolated_app):
    from simulation.levers import with_envelope
    from store import Store

    at = open_page("scenarios")
    editors = [d for d in at.dataframe if "Maître d'ouvrage" in d.value.columns]
    assert len(editors) == 1 and editors[0].value.iloc[0]["2025"] == "66,0"
    # a cell edited (what the editor's callback does through simulation.levers.with_envelope)
    at.session_state["working_scenario"] = with_envelope(at.session_state["working_scenario"], "Ville", 2027, 70e6)
    at.run()
    at.text_input(key="scenarios_save_name").input("Enveloppe Ville 2027 relevée")
    at.button(key="scenarios_save_submit").click().run()
    assert_no_exception(at)
    assert any("« Enveloppe Ville 2027 relevée » enregistré" in s.value for s in at.success)
    store = Store.open(isolated_app)
    try:
        saved = store.load_scenario("Enveloppe Ville 2027 relevée")
    finally:
        store.close()
    assert saved.scenario.envelopes["Ville"][2027] == 70e6 and saved.info.parent == "Référence"


def test_a_scenario_never_comes_from_itself(isolated_app):
    from simulation import Scenario
    from store import Store

    store = Store.open(isolated_app)
    try:
        store.save_scenario(Scenario(name="Boucle", parent="Boucle", author="Test"))
    finally:
        store.close()
    at = open_page("scenarios")
    at.selectbox(key="scenarios_selected").set_value("Boucle").run()
    assert_no_exception(at)
    assert "Boucle" in listed(at)
    parents = dict(zip(at.table[0].value["Nom"], at.table[0].value["Parent"], strict=True))
    assert parents["Boucle"] == "—"
    assert not any("à partir de « Boucle »" in m.value for m in at.markdown)
    assert any("Pour modifier ses enveloppes, ouvrez ce scénario" in c.value for c in at.caption)
