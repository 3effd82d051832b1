"""Opérations page: catalogue, sheet, edit with validation, add, import (all or nothing)."""

from __future__ import annotations

import pytest

from store import Store
from tests.apptest_support import assert_no_exception, open_page, shown
from tests.factories import form_values
from ui.operation_form import import_upload, operation_from_form, save_from_form

pytestmark = pytest.mark.usefixtures("isolated_app")

FILES_TAB = "Importer / télécharger"


def stored(db_path) -> tuple[int, dict]:
    """(revision, operations by id) as saved in the app's database, read through a second handle."""
    store = Store.open(db_path)
    try:
        return store.revision(), store.portfolio().by_id
    finally:
        store.close()


def catalogue(at):
    return at.dataframe[0].value


def open_sheet(op_id: str, mode: str = "sheet"):
    at = open_page("operations")
    at.session_state["ops_current"] = op_id
    at.session_state["ops_mode"] = mode
    at.run()
    assert_no_exception(at)
    return at


def errors(at) -> str:
    return "\n".join(shown(e.value) for e in at.error)


def test_catalogue_renders_every_operation_and_a_sheet(isolated_app):
    at = open_page("operations")
    assert_no_exception(at)
    assert at.title[0].value == "Opérations"
    _, operations = stored(isolated_app)
    table = catalogue(at)
    assert len(table) == len(operations) > 90
    assert table["Coût HT"].str.endswith("M€").all()
    assert set(table["Statut (scénario)"]) <= {"Dans les délais", "En retard", "Abandonnée"}

    at = open_sheet("AIRB-02")
    assert any(shown(s.value).startswith("AIRB-02 — ") for s in at.subheader)
    labels = {m.label for m in at.metric}
    assert {"Crédits de paiement TTC", "ANRU sécurisée", "ANRU perdue (hors délai)", "FCTVA"} <= labels
    assert len(at.table) == 3  # financing plan, calendar, years
    assert any("Coût net" in md.value and "−" in md.value for md in at.markdown)  # how it was computed


def test_search_and_filters_narrow_the_table():
    at = open_page("operations")
    total = len(catalogue(at))
    at.text_input(key="ops_search").set_value("air bel").run()
    assert_no_exception(at)
    found = catalogue(at)
    assert 0 < len(found) < total
    assert found["Intitulé"].str.contains("Air Bel", case=False).all()

    at.text_input(key="ops_search").set_value("").run()
    at.multiselect(key="ops_f_type").set_value(["creche"]).run()
    creches = catalogue(at)
    assert 0 < len(creches) < total
    assert (creches["Type"] == "Crèche").all()


def test_a_negative_cost_is_refused_in_french_and_nothing_changes(isolated_app):
    revision, before = stored(isolated_app)
    at = open_sheet("AIRB-02", mode="edit")
    form = next(w for w in at.text_input if w.key.endswith("_cost_ht"))
    form.set_value("-5")
    at.form_submit_button[0].click().run()
    assert_no_exception(at)
    message = errors(at)
    assert "Rien n'a été enregistré" in message
    assert "Coût HT (€)" in message and "strictement supérieur à 0" in message
    assert stored(isolated_app) == (revision, before)


def test_an_unreadable_number_and_a_bad_month_are_both_listed(isolated_app):
    revision, before = stored(isolated_app)
    at = open_sheet("AIRB-02", mode="edit")
    next(w for w in at.text_input if w.key.endswith("_cost_ht")).set_value("beaucoup")
    next(w for w in at.text_input if w.key.endswith("_start")).set_value("2027-13")
    at.form_submit_button[0].click().run()
    message = errors(at)
    assert "Coût HT (€)" in message and "nombre attendu" in message
    assert "Début (AAAA-MM)" in message and "mois invalide" in message
    assert stored(isolated_app) == (revision, before)


def spending_kpi(at) -> str:
    return next(m.value for m in at.metric if m.label == "Crédits de paiement TTC")


def test_a_good_edit_is_saved_and_shown_everywhere(isolated_app):
    revision, before = stored(isolated_app)
    at = open_page()  # Synthèse
    spending_before = spending_kpi(at)
    at.switch_page("views/operations.py")
    at.session_state["ops_current"] = "AIRB-02"
    at.session_state["ops_mode"] = "edit"
    at.run()
    next(w for w in at.text_input if w.key.endswith("_cost_ht")).set_value("16 000 000")
    at.form_submit_button[0].click().run()
    assert_no_exception(at)
    assert not at.error
    new_revision, after = stored(isolated_app)
    assert new_revision != revision
    assert after["AIRB-02"].cost_ht == 16_000_000
    assert after["AIRB-02"].model_dump(exclude={"cost_ht"}) == before["AIRB-02"].model_dump(exclude={"cost_ht"})
    assert any("AIRB-02 enregistrée" in shown(s.value) for s in at.success)
    row = catalogue(at).set_index("Identifiant").loc["AIRB-02"]
    assert row["Coût HT"] == "16,0\u00a0M€"
    assert at.session_state["ops_mode"] == "sheet"  # back to the sheet, with the new figures
    assert any("16 000 000 € HT" in md.value.replace("\u00a0", " ") for md in at.markdown)
    at.switch_page("views/synthese.py").run()
    assert spending_kpi(at) != spending_before  # every page sees the new data


def test_adding_an_operation_needs_a_new_id(isolated_app):
    at = open_page("operations")
    at.session_state["ops_tab"] = "Ajouter une opération"
    at.run()
    assert_no_exception(at)
    at.form_submit_button[0].click().run()  # empty form
    assert "valeur obligatoire manquante" in errors(at)

    _, before = stored(isolated_app)
    values = {
        "id": "AIRB-01",  # already used
        "title": "Nouvelle crèche",
        "neighbourhood": "AIRB",
        "facility_type": "creche",
        "nature": "construction",
        "owner": "Ville",
        "directorate": "Petite enfance",
        "maturity": "intention",
        "cost_ht": "2 000 000",
        "price_year": 2025,
        "start": "2026-01",
        "programming_months": 6,
        "design_months": 12,
        "tendering_months": 4,
        "works_months": 14,
    }
    for name, value in values.items():
        widget = next(w for w in at.main if getattr(w, "key", None) == f"ops_add_0_{name}")
        widget.set_value(value)
    at.form_submit_button[0].click().run()
    assert "déjà utilisé" in errors(at)
    assert stored(isolated_app)[1] == before

    next(w for w in at.text_input if w.key == "ops_add_0_id").set_value("AIRB-99")
    at.form_submit_button[0].click().run()
    assert_no_exception(at)
    _, after = stored(isolated_app)
    assert after["AIRB-99"].title == "Nouvelle crèche"
    assert after["AIRB-99"].cost_ht == 2_000_000
    assert at.session_state["ops_current"] == "AIRB-99"


def test_a_bad_import_lists_every_error_and_changes_nothing(isolated_app, tmp_path):
    revision, before = stored(isolated_app)
    at = open_page("operations")
    at.session_state["ops_tab"] = FILES_TAB
    at.run()
    assert_no_exception(at)
    header = "id;quartier;intitule;type;nature;maitre_ouvrage;direction;maturite;cout_ht;annee_prix;debut;"
    header += "duree_programmation;duree_conception;duree_consultation;duree_travaux"
    bad = "\n".join(
        [
            header,
            "NEW-01;AIRB;Crèche neuve;creche;construction;Ville;Petite enfance;intention;-3;2025;2026-01;6;12;4;14",
            "NEW-02;NOWHERE;Gymnase;gymnase;construction;Ville;Sports;intention;1000000;2025;2026-13;6;12;4;14",
        ]
    ).encode()
    at.file_uploader(key="ops_upload").set_value(("mauvais.csv", bad, "text/csv"))
    at.run()
    at.button(key="ops_import").click().run()
    assert_no_exception(at)
    message = errors(at)
    assert "Import refusé" in message and "Aucune donnée n'a été modifiée" in message
    issues = at.table[0].value
    assert list(issues.columns) == ["Ligne", "Colonne", "Valeur", "Raison"]
    assert {("2", "cout_ht"), ("3", "quartier"), ("3", "debut")} <= set(
        zip(issues["Ligne"].map(shown), issues["Colonne"].map(shown), strict=True)  # as the table reads
    )
    assert stored(isolated_app) == (revision, before)


def test_a_good_import_says_how_many_were_added_and_updated(isolated_app):
    at = open_page("operations")
    at.session_state["ops_tab"] = FILES_TAB
    at.run()
    good = (
        "id;quartier;intitule;type;nature;maitre_ouvrage;direction;maturite;cout_ht;annee_prix;debut;"
        "duree_programmation;duree_conception;duree_consultation;duree_travaux\n"
        "NEW-01;Air Bel;Crèche neuve;creche;construction;Ville;Petite enfance;intention;1 500 000;2025;2026-01;6;12;4;14\n"
    ).encode()
    at.file_uploader(key="ops_upload").set_value(("nouvelles.csv", good, "text/csv"))
    at.run()
    at.button(key="ops_import").click().run()
    assert_no_exception(at)
    assert any("1 opération(s) ajoutée(s), 0 mise(s) à jour" in shown(s.value) for s in at.success)
    assert "NEW-01" in stored(isolated_app)[1]


def test_import_upload_is_all_or_nothing(isolated_app, tmp_path):
    """The import helper itself, on a file path's bytes (the page calls it with the uploaded bytes)."""
    store = Store.open(isolated_app)
    try:
        revision = store.revision()
        outcome = import_upload(store, "../../etc/bad.csv", b"id;quartier\nX;AIRB\n", replace=False)
        assert not outcome.ok and outcome.source == "bad.csv"
        assert any(issue.column == "intitule" for issue in outcome.issues)
        assert store.revision() == revision
    finally:
        store.close()


def test_operation_from_form_reads_french_numbers():
    operation, problems = operation_from_form(
        form_values(area_m2="1 234,5", cost_ht="2\u00a0500\u00a0000", funding={"anru": "1 000 000", "etat": ""})
    )
    assert problems == []
    assert operation is not None
    assert operation.area_m2 == 1234.5 and operation.cost_ht == 2_500_000 and operation.vat_rate == 0.055
    assert operation.funding == {"anru": 1_000_000}


def test_a_dependency_loop_is_refused_by_the_store_in_french(isolated_app):
    store = Store.open(isolated_app)
    try:
        revision = store.revision()
        op = store.portfolio().by_id["AIRB-01"]
        values = op.model_dump(mode="json")
        values.update(
            cost_ht=str(op.cost_ht),
            area_m2="" if op.area_m2 is None else str(op.area_m2),
            vat_rate=str(op.vat_rate * 100),
            funding={code: str(amount) for code, amount in values["funding"].items()},
            depends_on="AIRB-02",  # AIRB-02 already waits for AIRB-01
        )
        outcome = save_from_form(store, values, new=False)
        assert not outcome.ok
        assert [p.reason for p in outcome.problems] == ["dépendances circulaires : AIRB-01 → AIRB-02 → AIRB-01"]
        assert store.revision() == revision
    finally:
        store.close()


def test_the_reason_typed_in_the_form_goes_to_the_history_with_the_change(isolated_app):
    store = Store.open(isolated_app)
    try:
        op = store.portfolio().by_id["AIRB-01"]
        values = op.model_dump(mode="json")
        values.update(
            title="Groupe scolaire Air Bel (APS validé)",
            cost_ht=str(op.cost_ht),
            area_m2="" if op.area_m2 is None else str(op.area_m2),
            vat_rate=str(op.vat_rate * 100),
            funding={code: str(amount) for code, amount in values["funding"].items()},
            reason="  Avant-projet sommaire validé en comité technique ",
        )
        outcome = save_from_form(store, values, new=False)
        assert outcome.ok, outcome.problems
        entries = [e for e in store.history(operation="AIRB-01") if e.field == "title"]
        assert entries and entries[0].after == "Groupe scolaire Air Bel (APS validé)"
        assert entries[0].reason == "Avant-projet sommaire validé en comité technique"
    finally:
        store.close()


def test_blank_templates_have_the_header_only_and_the_column_help(tmp_path):
    import io

    import openpyxl

    from exports import template_xlsx
    from formats.write import blank_csv_bytes
    from simulation.import_columns import COLUMNS

    assert blank_csv_bytes().decode("utf-8-sig").splitlines() == [";".join(COLUMNS)]
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(())))
    assert [c.value for c in book["operations"][1]] == list(COLUMNS)
    help_column = [c.value for c in book["colonnes"]["A"]]
    assert all(column in help_column for column in COLUMNS)
