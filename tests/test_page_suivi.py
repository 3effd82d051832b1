"""Historique, Stabilisation, Personnes et droits pages, and who is acting in the app."""

from __future__ import annotations

import os

import pytest

from store import Store
from tests.apptest_support import assert_no_exception, open_as, open_page

pytestmark = pytest.mark.usefixtures("isolated_app")


def _store() -> Store:
    return Store.open(os.environ["SIMULATEUR_DB"])


def _team() -> Store:
    store = _store()
    store.add_person("Admin", "administrateur")
    admin = store.as_user("Admin")
    admin.add_person("Léa", "contributeur", ("Éducation",))
    admin.add_person("Arnaud", "arbitre")
    return store


def test_poste_local_without_people_says_nobody_is_authenticated_and_shows_demo_notice():
    at = open_page()
    assert_no_exception(at)
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "personne n'est authentifié" in captions and "Jeu de démonstration" in captions


def test_historique_shows_a_change_and_filters_by_operation():
    store = _team()
    op = store.portfolio().by_id["CNSM-02"]
    store.as_user("Léa").save_operation(op.model_copy(update={"title": "Groupe scolaire revu"}), reason="APS")
    at = open_page("historique")
    assert_no_exception(at)
    frame = at.table[0].value
    row = frame[frame["Objet"] == "opération CNSM-02"].iloc[0]
    assert (row["Personne"], row["Champ"], row["Après"], row["Motif"]) == (
        "Léa",
        "Intitulé",  # the field's French label (the journal records ``title``)
        "Groupe scolaire revu",
        "APS",
    )
    at.selectbox(key="hist_operation").set_value("CNSM-01")
    at.run()
    assert_no_exception(at)
    assert at.info[0].value == "Aucune modification ne correspond à ces filtres."  # CNSM-01 unchanged


def test_personnes_page_is_for_administrateurs_only():
    _team()
    at = open_as("Léa")
    assert "contributeur" in " ".join(c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/personnes.py")  # not in a contributeur's navigation


def test_personnes_page_adds_a_person():
    _team()
    at = open_as("Admin", "personnes")
    at.text_input(key="person_add_name").set_value("Zoé")
    at.selectbox(key="person_add_role").set_value("lecteur")
    next(b for b in at.button if b.label == "Ajouter").click()
    at.run()
    assert_no_exception(at)
    assert "Zoé" in [p.name for p in _store().people()]


def test_stabilisation_shows_drift_since_a_milestone():
    store = _team()
    store.as_user("Arnaud").create_milestone("Comité – mars 2027")
    op = store.portfolio().by_id["CNSM-02"]
    store.as_user("Arnaud").save_operation(op.model_copy(update={"cost_ht": op.cost_ht + 1_000_000}))
    at = open_page("stabilisation")
    assert_no_exception(at)
    table = at.table[0].value
    assert table["Opération"].tolist() == ["CNSM-02"]
    assert table.iloc[0]["Écart HT"] == "1\u00a0000\u00a0000\u00a0€"
    assert "modifiées : 1" in " ".join(m.value for m in at.markdown)


def test_personnes_page_changes_a_role_and_refuses_removing_the_last_admin():
    _team()
    at = open_as("Admin", "personnes")
    at.selectbox(key="person_edit_name").set_value("Léa")
    at.run()
    assert at.selectbox(key="person_edit_role_Léa").value == "contributeur"
    at.selectbox(key="person_edit_role_Léa").set_value("arbitre")
    next(b for b in at.button if b.label == "Enregistrer").click()
    at.run()
    assert_no_exception(at)
    assert {p.name: p.role.value for p in _store().people()}["Léa"] == "arbitre"
    at.selectbox(key="person_edit_name").set_value("Admin")
    at.run()
    next(b for b in at.button if b.label == "Retirer").click()
    at.run()
    assert "dernier administrateur" in at.error[0].value
    assert "Admin" in [p.name for p in _store().people()]


def test_trusted_header_mode_without_the_header_is_read_only(monkeypatch):
    _team()
    monkeypatch.setenv("SIMULATEUR_TRUSTED_HEADER", "X-Remote-User")
    at = open_page()
    assert_no_exception(at)
    assert "Aucune identité transmise par le proxy" in " ".join(c.value for c in at.sidebar.caption)
    assert not [s for s in at.sidebar.selectbox if s.key == "acting_person"]  # nobody can pick a name


def test_the_app_says_when_it_shows_the_citys_portfolio_not_the_demo(tmp_path):
    _store().init_portfolio("data/operations.csv", force=True)
    at = open_page()
    assert_no_exception(at)
    assert "Portefeuille de la Ville" in " ".join(c.value for c in at.sidebar.caption)
    assert "Jeu de démonstration" not in " ".join(c.value for c in at.caption)


def test_a_markdown_image_typed_in_a_title_is_shown_as_text_in_historique_and_stabilisation():
    """st.table reads Markdown: a title ``![x](http://…)`` must not become an image the browser fetches."""
    store = _team()
    store.as_user("Arnaud").create_milestone("Comité")
    hostile = "![x](http://example.invalid/x.png)"
    op = store.portfolio().by_id["CNSM-02"]
    store.as_user("Arnaud").save_operation(op.model_copy(update={"title": hostile, "cost_ht": op.cost_ht + 1}))
    for page, column in (("historique", "Après"), ("stabilisation", "Intitulé")):
        at = open_page(page)
        assert_no_exception(at)
        cells = [str(v) for v in at.table[0].value[column]]
        shown = next(c for c in cells if "example" in c)
        assert "\\[" in shown and "](" not in shown.replace("\\]", ""), (page, shown)  # brackets escaped
