"""Personnes et droits: the e-mail an OpenID Connect sign-in must match is typed, stored and shown."""

from __future__ import annotations

import os

import pytest

from store import Store
from tests.apptest_support import assert_no_exception, open_as

pytestmark = pytest.mark.usefixtures("isolated_app")


def _admin_page():
    store = Store.open(os.environ["SIMULATEUR_DB"])
    store.add_person("Admin", "administrateur")
    at = open_as("Admin", "personnes")
    return at, store


def test_an_email_added_on_the_page_is_stored_and_shown():
    at, store = _admin_page()
    at.text_input(key="person_add_name").set_value("Claire Contrib")
    at.text_input(key="person_add_email").set_value("claire@ville.example")
    at.selectbox(key="person_add_role").set_value("arbitre")
    next(b for b in at.button if b.label == "Ajouter").click()
    at.run()
    assert_no_exception(at)
    assert {p.name: p.email for p in store.people()}["Claire Contrib"] == "claire@ville.example"
    grid = at.dataframe[0].value
    assert grid[grid["Nom"] == "Claire Contrib"].iloc[0]["Adresse (connexion)"] == "claire@ville.example"


def test_an_invalid_email_is_refused_in_french_and_nothing_is_added():
    at, store = _admin_page()
    at.text_input(key="person_add_name").set_value("Zoé")
    at.text_input(key="person_add_email").set_value("zoé chez la ville")
    next(b for b in at.button if b.label == "Ajouter").click()
    at.run()
    assert_no_exception(at)
    assert "Adresse « zoé chez la ville » invalide" in at.error[0].value
    assert "Zoé" not in [p.name for p in store.people()]
