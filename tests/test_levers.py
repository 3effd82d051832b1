import pytest
from pydantic import ValidationError

from simulation import Scenario
from simulation.levers import envelope_level, scale_envelopes, with_headcount, with_settings


def test_scale_envelopes_from_the_base_does_not_compound():
    base = Scenario(envelopes={"Ville": {2027: 40e6, 2028: 60e6}, "SPEM": {2027: 10e6}})
    up = scale_envelopes(base, base, 1.1)
    assert up.envelopes["Ville"][2028] == 66_000_000 and up.envelopes["SPEM"][2027] == 11_000_000
    again = scale_envelopes(up, base, 1.1)
    assert again == up
    assert envelope_level(up, base) == pytest.approx(1.1)
    assert envelope_level(base, Scenario()) == 1.0


def test_with_settings_validates_again():
    with pytest.raises(ValidationError):
        with_settings(Scenario(), commitment_deadline="2031-01")  # after the completion deadline
    assert with_settings(Scenario(), escalation_rate=0.05).escalation_rate == 0.05


def test_with_headcount():
    assert with_headcount(Scenario(), "Sports", 3.5).headcount == {"Sports": 3.5}
