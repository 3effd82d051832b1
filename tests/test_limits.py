"""One home per limit: the model, the import template and the levers agree with ``simulation.limits``."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from exports.import_template import _WHOLE
from simulation import limits
from simulation.import_columns import COLUMNS
from simulation.model import Operation
from simulation.scenario import OperationChoice, PhaseDurations
from ui.frames import lever_table


def _bounds(model, field: str) -> tuple[float | None, float | None]:
    low = high = None
    for rule in model.model_fields[field].metadata:
        low = getattr(rule, "ge", None) if getattr(rule, "ge", None) is not None else low
        high = getattr(rule, "le", None) if getattr(rule, "le", None) is not None else high
    return low, high


def test_the_template_checks_the_operation_models_bounds():
    model_fields = {
        "duree_programmation": "programming_months",
        "duree_conception": "design_months",
        "duree_consultation": "tendering_months",
        "duree_travaux": "works_months",
        "priorite": "priority",
        "annee_prix": "price_year",
    }
    assert set(model_fields) <= set(COLUMNS)
    assert set(_WHOLE) == set(model_fields)
    for column, field in model_fields.items():
        assert _WHOLE[column] == _bounds(Operation, field), column


def test_a_scenarios_durations_have_the_operations_bounds():
    for phase, field in (("programming", "programming_months"), ("works", "works_months")):
        assert _bounds(PhaseDurations, phase) == _bounds(Operation, field)


def test_the_lever_ranges_lie_inside_what_a_scenario_may_hold():
    low, high = lever_table.COST_RANGE
    assert (low, high) == limits.COST_PERCENT_RANGE
    assert low / 100 > 0 and high / 100 <= limits.COST_FACTOR_MAX
    assert limits.COST_PERCENT_RANGE[0] <= limits.COST_SLIDER_PERCENT[0] < limits.COST_SLIDER_PERCENT[1]
    assert limits.COST_SLIDER_PERCENT[1] <= limits.COST_PERCENT_RANGE[1]
    assert lever_table.SHIFT_RANGE == (-limits.MAX_SHIFT_MONTHS, limits.MAX_SHIFT_MONTHS)
    assert limits.SHIFT_SLIDER_MONTHS <= limits.MAX_SHIFT_MONTHS
    assert limits.PHASING_MAX_SHIFT_INPUT <= limits.MAX_SHIFT_MONTHS
    OperationChoice(shift_months=limits.MAX_SHIFT_MONTHS, cost_factor=limits.COST_FACTOR_MAX)
    with pytest.raises(ValidationError):
        OperationChoice(shift_months=limits.MAX_SHIFT_MONTHS + 1)
    with pytest.raises(ValidationError):
        OperationChoice(cost_factor=limits.COST_FACTOR_MAX + 0.01)


@pytest.mark.parametrize(
    ("low", "high", "value", "expected"),
    [(50, 150, 200, (50, 200)), (50, 150, 30, (30, 150)), (50, 150, 100, (50, 150))],
)
def test_a_sliders_reach_widens_to_the_value_in_force(low, high, value, expected):
    assert limits.slider_reach(low, high, value) == expected


def test_slider_steps():
    assert limits.ENVELOPE_LEVELS[0] == 0.5 and limits.ENVELOPE_LEVELS[-1] == 1.5 and 1.0 in limits.ENVELOPE_LEVELS
    assert limits.ESCALATION_RATES[0] == 0 and limits.ESCALATION_RATES[-1] == 0.1 and 0.03 in limits.ESCALATION_RATES
    assert limits.HEADCOUNTS[0] == 0 and limits.HEADCOUNTS[-1] == 40 and len(limits.HEADCOUNTS) == 81
