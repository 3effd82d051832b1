"""The model refuses what cannot be true, in French, naming the field and the value."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from simulation import Portfolio, Scenario
from simulation.errors import french_message
from tests.factories import NEIGHBOURHOODS, operation


def message(exc_info) -> str:
    return french_message(exc_info.value)


def test_negative_cost_is_refused_naming_field_and_value():
    with pytest.raises(ValidationError) as exc:
        operation(cost_ht=-5)
    assert "cost_ht : doit être strictement supérieur à 0 (valeur reçue : -5)" in message(exc)


def test_zero_works_duration_is_refused():
    with pytest.raises(ValidationError) as exc:
        operation(works_months=0)
    assert "works_months : doit être supérieur ou égal à 1" in message(exc)


def test_bad_month_is_refused():
    with pytest.raises(ValidationError) as exc:
        operation(start="2025-13")
    assert "mois invalide '2025-13'" in message(exc)


def test_unknown_code_lists_the_possible_values():
    with pytest.raises(ValidationError) as exc:
        operation(facility_type="piscine")
    assert "facility_type : valeur inconnue, valeurs possibles" in message(exc)
    assert "'piscine'" in message(exc)


def test_funding_above_cost_is_refused():
    with pytest.raises(ValidationError) as exc:
        operation(cost_ht=100, vat_rate=0.2, funding={"anru": 1000})
    assert "dépassent le coût TTC" in message(exc)


def test_self_dependency_is_refused():
    with pytest.raises(ValidationError) as exc:
        operation("A", depends_on="A")
    assert "ne peut pas dépendre d'elle-même" in message(exc)


def test_unknown_neighbourhood_duplicate_ids_and_cycles_are_refused():
    with pytest.raises(ValidationError, match="quartier inconnu 'XXXX'"):
        Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=(operation(neighbourhood="XXXX"),))
    with pytest.raises(ValidationError, match="identifiant en double : A"):
        Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=(operation("A"), operation("A")))
    with pytest.raises(ValidationError, match=r"dépendances circulaires : (A → B → A|B → A → B)"):
        Portfolio(
            neighbourhoods=NEIGHBOURHOODS,
            operations=(operation("A", depends_on="B"), operation("B", depends_on="A")),
        )
    with pytest.raises(ValidationError, match="dépend de 'Z', qui n'existe pas"):
        Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=(operation("A", depends_on="Z"),))


def test_phase_shares_must_sum_to_one():
    with pytest.raises(ValidationError) as exc:
        Scenario.model_validate({"phase_shares": {"programming": 0.1, "design": 0.1, "tendering": 0.1, "works": 0.1}})
    assert "phase_shares : les parts des phases doivent faire 100 % au total (reçu 40 %)" in message(exc)


def test_scenario_refuses_unknown_keys_and_bad_values():
    with pytest.raises(ValidationError) as exc:
        Scenario.model_validate_json(
            '{"fctva_lag_years": 3, "escalation": 0.02, "envelopes": {"Ville": {"2027": -1}},'
            ' "commitment_milestone": "signature"}'
        )
    text = message(exc)
    assert "fctva_lag_years : valeur inconnue, valeurs possibles : 0, 1 ou 2" in text
    assert "escalation : clé inconnue" in text
    assert "enveloppe Ville 2027 : le montant doit être positif ou nul" in text
    assert "commitment_milestone : valeur inconnue" in text


def test_completion_deadline_cannot_precede_commitment_deadline():
    with pytest.raises(ValidationError, match="précède"):
        Scenario(commitment_deadline="2027-01", completion_deadline="2026-01")


def test_scenario_json_round_trip():
    scenario = Scenario(envelopes={"Ville": {2027: 1e6}}, headcount={"Sports": 2.5}).with_choice(
        "A", shift_months=6, cost_factor=0.8, owner="SPEM", durations={"works": 10}
    )
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario


def test_with_choice_back_to_default_removes_the_choice():
    scenario = Scenario().with_choice("A", shift_months=3)
    assert "A" in scenario.choices
    assert "A" not in scenario.with_choice("A", shift_months=0).choices
