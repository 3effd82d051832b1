"""Comparer page: renders, and a saved variant or the unsaved working scenario shows its differences."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")

VARIANT = "Sans le groupe scolaire Air Bel"


def save_variant(at) -> None:
    """Save a variant through the app's own store (the app process owns the DuckDB file)."""
    from ui import state

    reference = working_scenario(at)
    variant = reference.model_copy(update={"name": VARIANT, "author": "Test", "parent": reference.name})
    state._process_store().save_scenario(variant.with_choice("AIRB-01", keep=False))


def kpi_table(at):
    return at.table[0].value


def differences_table(at):
    """The operations that differ (the second table), one row per operation."""
    return at.table[1].value.reset_index()


def test_comparer_with_a_single_saved_scenario_says_what_to_do():
    at = open_page("comparer")
    assert_no_exception(at)
    assert at.title[0].value == "Comparer"
    assert "Un seul scénario" in at.info[0].value


def test_comparing_the_reference_and_a_saved_variant_shows_the_difference():
    at = open_page("comparer")
    save_variant(at)
    at.run()
    assert_no_exception(at)
    assert at.multiselect[0].value == ["Référence", VARIANT]
    kpis = kpi_table(at)
    assert list(kpis.columns) == ["Référence", VARIANT, f"Écart {VARIANT}"]
    assert kpis.loc["Opérations abandonnées", "Référence"] == "0"
    assert kpis.loc["Opérations abandonnées", VARIANT] == "1"
    assert kpis.loc["Opérations abandonnées", f"Écart {VARIANT}"] == "+1"
    assert kpis.loc["Crédits de paiement TTC", f"Écart {VARIANT}"].startswith("-")
    assert len(at.get("vega_lite_chart")) == 1
    differences = differences_table(at)
    row = differences[differences["Opération"].str.startswith("AIRB-01")].iloc[0]
    assert row["Leviers modifiés"] == "abandonnée"
    assert "Abandonnée" in row["Statut"]


def test_the_unsaved_working_scenario_can_be_compared():
    at = open_page("comparer")
    scenario = working_scenario(at)
    set_working_scenario(at, scenario.with_choice("CNSM-05", shift_months=24))
    at.run()
    assert_no_exception(at)
    assert at.multiselect[0].value == ["Référence", "\x00working"]
    kpis = kpi_table(at)
    assert "Scénario en cours (non enregistré)" in kpis.columns
    differences = differences_table(at)
    row = differences[differences["Opération"].str.startswith("CNSM-05")].iloc[0]
    assert row["Leviers modifiés"] == "décalée de +24 mois"
    assert "→" in row["Début des travaux"]


def test_all_kpis_toggle_and_owner_choice():
    at = open_page("comparer")
    save_variant(at)
    at.run()
    short = len(kpi_table(at))
    at.toggle(key="compare_all_kpis").set_value(True)
    at.segmented_control(key="compare_owner").set_value("Tous")
    at.run()
    assert_no_exception(at)
    assert len(kpi_table(at)) > short


def test_operations_moved_only_by_the_global_settings_are_set_apart():
    at = open_page("comparer")
    from ui import state

    reference = working_scenario(at)
    variant = reference.model_copy(update={"name": "Actualisation 5 %", "escalation_rate": 0.05})
    state._process_store().save_scenario(variant.with_choice("AIRB-01", keep=False))
    at.run()
    assert_no_exception(at)
    assert differences_table(at)["Opération"].str.startswith("AIRB-01").tolist() == [True]
    assert any("Actualisation : 5,0" in m.value for m in at.markdown)
    general = at.dataframe[0].value
    assert len(general) > 50 and not general["Opération"].str.startswith("AIRB-01").any()
