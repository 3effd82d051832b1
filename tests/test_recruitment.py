"""Recruitment plan, coordination team and FCTVA eligibility: hand-computed cases."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from simulation import Scenario, ScenarioError, simulate
from simulation.errors import french_message
from simulation.scenario import COORDINATION_TEAM
from tests.factories import operation, portfolio

NO_COORDINATION = {"programming": 0, "design": 0, "tendering": 0, "works": 0}


def staff_of(result, directorate):
    return result.staff[result.staff["directorate"] == directorate].set_index("month")


def plan(*recruitments, **settings):
    return Scenario.model_validate(
        {"coordination_load": NO_COORDINATION, **settings, "recruitments": list(recruitments)}
    )


# ------------------------------------------------------------------ headcount month by month


def test_a_bounded_recruitment_counts_from_its_first_to_its_last_month_included():
    # Éducation: 0.2 FTE, plus 0.5 FTE from April to August 2025; works need 0.4 FTE all 2025.
    scenario = plan(
        {"direction": "Éducation", "fte": 0.5, "from": "2025-04", "to": "2025-08"}, headcount={"Éducation": 0.2}
    )
    staff = staff_of(simulate(portfolio(operation()), scenario), "Éducation")
    expected = {"2025-03": 0.2, "2025-04": 0.7, "2025-05": 0.7, "2025-07": 0.7, "2025-08": 0.7, "2025-09": 0.2}
    for month, headcount in expected.items():
        assert staff.loc[month, "headcount"] == pytest.approx(headcount), month
    assert staff.loc["2025-03", "overload_fte"] == pytest.approx(0.2)
    assert staff.loc["2025-04", "overload_fte"] == 0
    assert staff.loc["2025-08", "overload_fte"] == 0
    assert staff.loc["2025-09", "overload_fte"] == pytest.approx(0.2)


def test_an_open_recruitment_lasts_until_the_end_and_recruitments_add_up():
    scenario = plan(
        {"direction": "Éducation", "fte": 1, "from": "2025-06", "to": None},
        {"direction": "Éducation", "fte": 0.5, "from": "2025-10", "to": "2025-10"},
        headcount={"Éducation": 2},
    )
    result = simulate(portfolio(operation()), scenario)
    staff = staff_of(result, "Éducation")
    assert staff.loc["2025-05", "headcount"] == pytest.approx(2)
    assert staff.loc["2025-06", "headcount"] == pytest.approx(3)
    assert staff.loc["2025-10", "headcount"] == pytest.approx(3.5)
    assert staff.loc["2025-11", "headcount"] == pytest.approx(3)
    last = staff.index.max()
    assert staff.loc[last, "headcount"] == pytest.approx(3)
    json_staff = [r for r in result.to_records()["staff"] if r["directorate"] == "Éducation"]
    assert {r["month"]: r["headcount"] for r in json_staff}["2025-10"] == pytest.approx(3.5)


def test_a_directorate_without_headcount_counts_from_zero_once_it_recruits():
    scenario = plan({"direction": "Éducation", "fte": 1, "from": "2025-06"})
    staff = staff_of(simulate(portfolio(operation()), scenario), "Éducation")
    assert staff.loc["2025-05", "headcount"] == 0
    assert staff.loc["2025-05", "overload_fte"] == pytest.approx(0.4)
    assert staff.loc["2025-06", "headcount"] == 1
    without = staff_of(simulate(portfolio(operation()), plan()), "Éducation")
    assert without["headcount"].isna().all()  # not set: never "over"
    assert (without["overload_fte"] == 0).all()


def test_recruitment_errors_are_french():
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate({"recruitments": [{"direction": "Éducation", "fte": 0, "from": "2025-06"}]})
    assert "recruitments.0.fte : doit être strictement supérieur à 0" in french_message(info.value)
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate({"recruitments": [{"direction": "Éducation", "fte": -1, "from": "2025-06"}]})
    assert "strictement supérieur à 0" in french_message(info.value)
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(
            {"recruitments": [{"direction": "Éducation", "fte": 1, "from": "2025-06", "to": "2025-05"}]}
        )
    assert "la fin (mai 2025) précède le début (juin 2025)" in french_message(info.value)
    scenario = plan({"direction": "Voirie", "fte": 1, "from": "2025-06"})
    with pytest.raises(ScenarioError) as refused:
        simulate(portfolio(operation()), scenario)
    assert "recrutement n° 1 : direction inconnue 'Voirie'" in str(refused.value)
    assert scenario.check_against(portfolio(operation()))  # the pages' check says it too


def test_recruitments_keep_their_json_keys():
    scenario = plan({"direction": "Éducation", "fte": 2, "from": "2026-03", "to": None})
    dumped = scenario.model_dump(mode="json")["recruitments"]
    assert dumped == [{"direction": "Éducation", "fte": 2.0, "from": "2026-03", "to": None}]
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario


# ------------------------------------------------------------------ coordination


def test_coordination_carries_its_load_per_operation_of_the_capacity_owner_in_progress():
    # A (2, 3, 1, 2) from 2025-01 and B works 3 months from 2025-02, both Ville; C is SPEM.
    a = operation("A", programming_months=2, design_months=3, tendering_months=1, works_months=2)
    b = operation("B", start="2025-02", works_months=3, directorate="Sports")
    c = operation("C", owner="SPEM")
    load = {"programming": 0.1, "design": 0.2, "tendering": 0.3, "works": 0.5}
    scenario = Scenario(coordination_load=load, headcount={COORDINATION_TEAM: 0.25})
    result = simulate(portfolio(a, b, c), scenario)
    staff = staff_of(result, COORDINATION_TEAM)
    expected = [0.1, 0.1 + 0.5, 0.2 + 0.5, 0.2 + 0.5, 0.2, 0.3, 0.5, 0.5, 0.0]
    got = [staff.loc[f"2025-{m:02d}", "load_fte"] for m in range(1, 10)]
    assert got == pytest.approx(expected)
    assert (staff["headcount"] == 0.25).all()
    assert staff.loc["2025-02", "overload_fte"] == pytest.approx(0.35)
    # Directorates keep their own project-management load.
    assert staff_of(result, "Sports").loc["2025-02", "load_fte"] == pytest.approx(0.4)


def test_coordination_team_has_headcount_zero_by_default_and_can_recruit():
    scenario = Scenario(
        coordination_load={"programming": 0, "design": 0, "tendering": 0, "works": 0.5},
        recruitments=[{"direction": COORDINATION_TEAM, "fte": 1, "from": "2025-07"}],
    )
    staff = staff_of(simulate(portfolio(operation()), scenario), COORDINATION_TEAM)
    assert staff.loc["2025-06", "headcount"] == 0
    assert staff.loc["2025-06", "overload_fte"] == pytest.approx(0.5)
    assert staff.loc["2025-07", "headcount"] == 1
    assert staff.loc["2025-07", "overload_fte"] == 0


def test_demo_defaults_show_a_need_of_one_to_two_coordinators():
    from formats.files import load_portfolio, load_scenario_file

    result = simulate(load_portfolio("data/operations.csv"), load_scenario_file("data/scenario_reference.json"))
    staff = result.staff[result.staff["month"] >= result.scenario.reference_month]
    peak = staff.loc[staff["directorate"] == COORDINATION_TEAM, "load_fte"].max()
    assert 1.0 < peak <= 2.0


# ------------------------------------------------------------------ FCTVA eligibility


def test_fctva_only_for_eligible_owners():
    # 1 M€ HT, VAT 20 %, no escalation, spent in 2025: FCTVA 16,404 % x 1,2 M€ = 196 848 € in 2026.
    base = {"vat_rate": 0.2}
    ops = portfolio(
        operation("V", **base),
        operation("M", owner="Metropole", **base),
        operation("S", owner="SPEM", **base),
        operation("B", owner="Bailleur", **base),
    )
    result = simulate(ops, Scenario(escalation_rate=0.0))
    fctva = result.operations.set_index("operation_id")["fctva"]
    assert fctva["V"] == pytest.approx(196_848)
    assert fctva["M"] == pytest.approx(196_848)
    assert fctva["S"] == 0
    assert fctva["B"] == 0
    yearly = result.yearly.set_index(["owner", "year"])
    assert yearly.loc[("SPEM", 2026), "fctva"] == 0
    assert yearly.loc[("Ville", 2026), "fctva"] == pytest.approx(196_848)
    assert result.kpis["fctva"] == pytest.approx(2 * 196_848)
    net = result.operations.set_index("operation_id")["net_cost"]
    assert net["S"] == pytest.approx(1_200_000)

    # A SPEM acting under a mandate: the scenario makes it eligible.
    result = simulate(ops, Scenario(escalation_rate=0.0, fctva_eligible_owners=["SPEM"]))
    fctva = result.operations.set_index("operation_id")["fctva"]
    assert fctva["S"] == pytest.approx(196_848)
    assert fctva["V"] == 0


def test_fctva_follows_an_owner_transfer():
    ops = portfolio(operation("V", vat_rate=0.2))
    moved = Scenario(escalation_rate=0.0).with_choice("V", owner="Bailleur")
    assert simulate(ops, moved).kpis["fctva"] == 0
    assert Scenario().fctva_eligible_owners == ["Ville", "Metropole"]


def test_compare_lists_staffing_and_fctva_changes():
    from simulation.compare import settings_changes

    reference = Scenario()
    variant = Scenario(
        recruitments=[{"direction": COORDINATION_TEAM, "fte": 2, "from": "2026-03", "to": "2028-12"}],
        recruitment_lead_months=9,
        fctva_eligible_owners=["Ville", "SPEM"],
    )
    changes = [c.replace("\u00a0", " ") for c in settings_changes(variant, reference)]
    assert "Recrutement : 2,0 ETP en Coordination NPNRU à partir de mars 2026 jusqu'à décembre 2028" in changes
    assert "Délai de recrutement : 9 mois (référence 6 mois)" in changes
    assert "Maîtres d'ouvrage éligibles au FCTVA : Ville, SPEM (référence Ville, Métropole)" in changes
    assert any(
        c.replace("\u00a0", " ").startswith("Recrutement retiré : 2,0 ETP en Coordination NPNRU")
        for c in settings_changes(reference, variant)
    )


def test_a_saved_scenario_keeps_its_recruitments_and_fctva_owners(store):
    reference = store.load_scenario(store.reference_name()).scenario
    variant = Scenario.model_validate(
        {
            **reference.model_dump(),
            "name": "Avec recrutements",
            "recruitments": [{"direction": COORDINATION_TEAM, "fte": 2, "from": "2025-06", "to": None}],
            "fctva_eligible_owners": ["Ville"],
            "recruitment_lead_months": 4,
        }
    )
    store.save_scenario(variant)
    assert store.load_scenario("Avec recrutements").scenario == variant
