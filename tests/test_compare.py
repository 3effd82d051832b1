"""Comparison helpers on tiny hand-made portfolios, with hand-computed expectations."""

from __future__ import annotations

import pytest

from simulation import Scenario, simulate
from simulation.compare import (
    choice_differences,
    envelopes_frame,
    kpi_table,
    operation_differences,
    settings_changes,
)
from simulation.settings_text import SETTING, settings_summary
from tests.factories import operation, portfolio

# Two operations, 1 M€ HT each, no VAT, price year 2025, 12 months of works in 2025:
# each spends exactly 1 000 000 € in 2025 (no escalation in the price year).
PORTFOLIO = portfolio(operation("A"), operation("B", title="Gymnase B"))
REFERENCE = Scenario(name="Réf")


def test_kpi_table_lists_each_kpi_per_scenario_with_the_difference_to_the_first():
    results = {
        "Réf": simulate(PORTFOLIO, REFERENCE),
        "Sans A": simulate(PORTFOLIO, REFERENCE.with_choice("A", keep=False)),
        "B réduite": simulate(PORTFOLIO, REFERENCE.with_choice("B", cost_factor=0.5)),
    }
    table = kpi_table(results, ["spending_ttc", "n_dropped"])
    assert list(table.columns) == ["kpi", "label", "scenario", "value", "difference"]
    assert table[["kpi", "scenario"]].values.tolist() == [
        ["spending_ttc", "Réf"],
        ["spending_ttc", "Sans A"],
        ["spending_ttc", "B réduite"],
        ["n_dropped", "Réf"],
        ["n_dropped", "Sans A"],
        ["n_dropped", "B réduite"],
    ]
    assert table["value"].tolist() == pytest.approx([2_000_000, 1_000_000, 1_500_000, 0, 1, 0])
    assert table["difference"].tolist() == pytest.approx([0, -1_000_000, -500_000, 0, 1, 0])
    assert table["label"].iloc[0] == "Crédits de paiement TTC"


def test_kpi_table_defaults_to_every_kpi():
    result = simulate(PORTFOLIO, REFERENCE)
    table = kpi_table({"Réf": result})
    assert len(table) == len(result.kpis)
    assert (table["difference"] == 0).all()


def test_kpi_table_needs_a_result():
    with pytest.raises(ValueError):
        kpi_table({})


def test_choice_differences_lists_moved_levers_in_portfolio_order():
    scenario = REFERENCE.with_choice("B", shift_months=6).with_choice("A", keep=False)
    table = choice_differences(scenario, REFERENCE, PORTFOLIO)
    assert table.to_dict("records") == [
        {"operation_id": "A", "title": "Opération A", "changes": "abandonnée"},
        {"operation_id": "B", "title": "Gymnase B", "changes": "décalée de +6 mois"},
    ]
    # Against itself, nothing differs; and a choice undone against the reference shows.
    assert choice_differences(scenario, scenario, PORTFOLIO).empty
    back = choice_differences(REFERENCE, scenario, PORTFOLIO)
    assert back["changes"].tolist() == ["rétablie", "décalée de -6 mois"]


def test_settings_summary_says_the_settings_in_french():
    summary = dict(settings_summary(REFERENCE.with_choice("A", keep=False)))
    assert summary["Actualisation"] == "3,0\u00a0% par an"
    assert summary["Échéance d'engagement"] == "décembre 2026"
    assert summary["Jalon d'engagement"] == "début des travaux"
    assert summary["Taux de FCTVA"] == "16,404\u00a0% des dépenses TTC"
    assert summary["Versement du FCTVA"] == "un an après"
    assert summary["Répartition du coût"] == (
        "programmation 2\u00a0% ; conception 10\u00a0% ; consultation 1\u00a0% ; travaux 87\u00a0%"
    )
    assert summary["Choix par opération"] == "1"
    assert list(summary)[: len(SETTING)] == list(SETTING.values())


def test_every_global_setting_of_the_scenario_has_a_french_label():
    """A setting added to Scenario must be labelled (or be a per-owner/per-operation table)."""
    identity = {"name", "author", "rationale", "parent"}
    tables = {"envelopes", "headcount", "choices"}
    assert set(SETTING) == set(Scenario.model_fields) - identity - tables


def test_settings_changes_name_every_changed_setting_with_the_reference_value():
    variant = REFERENCE.model_copy(update={"commitment_milestone": "design_start", "fctva_lag_years": 2})
    assert settings_changes(variant, REFERENCE) == [
        "Jalon d'engagement : début de la conception (référence début des travaux)",
        "Versement du FCTVA : 2 ans après (référence un an après)",
    ]


def test_envelopes_frame_is_long_and_sorted_by_year():
    scenario = Scenario(name="E", envelopes={"Ville": {2026: 2e6, 2025: 1e6}, "SPEM": {2025: 5e5}})
    frame = envelopes_frame(scenario)
    assert frame.to_dict("records") == [
        {"owner": "Ville", "year": 2025, "envelope": 1e6},
        {"owner": "Ville", "year": 2026, "envelope": 2e6},
        {"owner": "SPEM", "year": 2025, "envelope": 5e5},
    ]
    assert envelopes_frame(REFERENCE).empty


def test_settings_changes_and_operation_differences_explain_a_variant():
    variant = REFERENCE.model_copy(update={"name": "V", "escalation_rate": 0.05}).with_choice("A", keep=False)
    assert settings_changes(variant, REFERENCE) == ["Actualisation : 5,0\u00a0% par an (référence 3,0\u00a0% par an)"]
    differences = operation_differences(simulate(PORTFOLIO, variant), simulate(PORTFOLIO, REFERENCE))
    assert differences["operation_id"].tolist() == ["A"]
    row = differences.iloc[0]
    assert row["changes"] == "abandonnée"
    assert row["consequences"] == "Dans les délais → Abandonnée"
    assert row["spending_difference"] == pytest.approx(-1_000_000)
    assert not row["general_only"]


def test_operations_touched_only_by_the_global_settings_are_flagged():
    # C is priced in 2024 and spent in 2025: escalated by one year, 1,03 M€ at 3 %, 1,05 M€ at 5 %.
    with_c = portfolio(operation("A"), operation("C", price_year=2024))
    variant = REFERENCE.model_copy(update={"name": "V", "escalation_rate": 0.05}).with_choice("A", shift_months=1)
    differences = operation_differences(simulate(with_c, variant), simulate(with_c, REFERENCE)).set_index(
        "operation_id"
    )
    assert differences["general_only"].to_dict() == {"A": False, "C": True}
    assert differences.loc["C", "spending_difference"] == pytest.approx(20_000)
    assert differences.loc["C", "changes"] == "—"


def test_an_envelope_cut_is_named_by_owner_and_year():
    """Issue 20: Comparer showed a cut of Ville 2027 only as a total; it names the year, and where
    the spending above the envelope changes."""
    from simulation.compare import overrun_changes

    op = operation()
    reference = Scenario(escalation_rate=0.0, envelopes={"Ville": {2025: 1_000_000, 2026: 500_000}})
    cut = Scenario(escalation_rate=0.0, envelopes={"Ville": {2025: 800_000, 2026: 500_000}})
    lines = settings_changes(cut, reference)
    assert lines == [
        "Enveloppes Ville : 1,3\u00a0M€ au total (référence 1,5\u00a0M€, -0,2\u00a0M€) ; 2025 : 0,8\u00a0M€ au lieu de 1,0\u00a0M€"
    ]
    # 1 000 000 € spent in 2025: 0 over against 1,0 M€, 200 000 € over against 0,8 M€; 2026 unchanged.
    assert overrun_changes(simulate(portfolio(op), cut), simulate(portfolio(op), reference)) == [
        "Ville 2025 : dépassement +0,2\u00a0M€ (0,0\u00a0M€ → 0,2\u00a0M€)"
    ]
    assert overrun_changes(simulate(portfolio(op), reference), simulate(portfolio(op), reference)) == []


def test_many_changed_years_are_named_then_counted():
    from simulation.compare import envelope_years_text

    mine = {y: 1.0e6 for y in range(2025, 2033)}
    theirs = {y: 2.0e6 for y in range(2025, 2033)}
    text = envelope_years_text(mine, theirs)
    assert text.count("au lieu de") == 3 and text.endswith("et 5 autres années")
    assert envelope_years_text({2025: 1e6}, {}) == " ; 2025 : 1,0\u00a0M€ (pas d'enveloppe dans la référence)"
    assert envelope_years_text({}, {2025: 1e6}) == " ; 2025 : plus d'enveloppe (au lieu de 1,0\u00a0M€)"
