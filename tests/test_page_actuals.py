"""Opérations and Synthèse with the accounts (issue 19): planned against paid, the actuals import."""

from __future__ import annotations

import pytest

from simulation import fr
from store import Store
from tests.apptest_support import assert_no_exception, open_as, open_page, shown

pytestmark = pytest.mark.usefixtures("isolated_app")

FILES_TAB = "Importer / télécharger"


def test_an_operation_sheet_shows_planned_against_paid_year_by_year(isolated_app):
    store = Store.open(isolated_app)
    try:
        paid = {a.year: a.mandate_ttc for a in store.actuals("CNSM-02")}
    finally:
        store.close()
    assert set(paid) == {2023, 2024}
    at = open_page("operations")
    at.session_state["ops_current"] = "CNSM-02"
    at.session_state["ops_mode"] = "sheet"
    at.run()
    assert_no_exception(at)
    table = next(t.value for t in at.table if "Payé (réalisé)" in t.value.columns)
    assert "Prévu (plan)" in table.columns
    assert shown(table.loc["2023", "Payé (réalisé)"]) == fr.euros(paid[2023])
    # In a closed year the scenario's payment credits are what was paid.
    assert shown(table.loc["2023", "Crédits de paiement TTC"]) == shown(table.loc["2023", "Payé (réalisé)"])


def test_synthese_shows_paid_remaining_and_ap_revisions(isolated_app):
    at = open_page("synthese")
    assert_no_exception(at)
    labels = [m.label for m in at.metric]
    for label in ("Payé à ce jour (exercices clos)", "Reste à payer", "Révisions d'AP nécessaires"):
        assert label in labels


def import_actuals_on_the_page(content: bytes):
    """The Opérations page's files tab, ``content`` uploaded as ``realise.csv`` and imported."""
    at = open_page("operations")
    at.session_state["ops_tab"] = FILES_TAB
    at.run()
    at.file_uploader(key="ops_actuals_upload").set_value(("realise.csv", content, "text/csv"))
    at.run()
    at.button(key="ops_actuals_import").click().run()
    assert_no_exception(at)
    return at


def test_a_refused_actuals_file_is_listed_and_nothing_changes(isolated_app):
    store = Store.open(isolated_app)
    try:
        before = store.revision(), store.actuals()
    finally:
        store.close()
    at = import_actuals_on_the_page(b"id;annee;mandate_ttc\nAIRB-01;2024;-10\nNOPE;2024;5\n")
    message = "\n".join(shown(e.value) for e in at.error)
    assert "Import du réalisé refusé" in message and "Aucune donnée n'a été modifiée" in message
    store = Store.open(isolated_app)
    try:
        assert (store.revision(), store.actuals()) == before
    finally:
        store.close()


def test_a_good_actuals_file_is_imported_from_the_page(isolated_app):
    at = import_actuals_on_the_page(b"id;annee;mandate_ttc\nAIRB-01;2024;123456\n")
    assert any("Réalisé importé" in shown(s.value) for s in at.success)


def test_an_administrateur_undoes_an_actuals_import_from_historique(isolated_app, tmp_path):
    """Historique offers an actuals import as a change set to undo, like an operations import."""
    store = Store.open(isolated_app)
    try:
        store.add_person("Ada", "administrateur")
        demo = store.actuals()
        path = tmp_path / "faux.csv"
        path.write_text("id;annee;mandate_ttc\nAIRB-01;2024;9999999\n", encoding="utf-8")
        lot = store.as_user("Ada").import_actuals(path).change_set
    finally:
        store.close()
    at = open_as("Ada", "historique")
    at.selectbox(key="hist_change_set").set_value(lot)
    at.button(key="hist_undo").click()
    at.run()
    assert_no_exception(at)
    assert next(shown(s.value) for s in at.success).startswith(f"Lot n° {lot} annulé : réalisé rétabli")
    store = Store.open(isolated_app)
    try:
        assert store.actuals() == demo
    finally:
        store.close()
