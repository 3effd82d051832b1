import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from simulation import Scenario, simulate
from simulation.levers import (
    anru_lost_or_forgone,
    change_totals,
    envelope_level,
    envelope_years,
    scale_envelopes,
    shift_range_text,
    with_envelope,
    with_headcount,
    with_settings,
)
from simulation.scenario import allowed_shift


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


# ---------------------------------------------------------------- one envelope, one owner, one year


def test_with_envelope_changes_one_owner_and_one_year_only():
    base = Scenario(envelopes={"Ville": {2027: 40e6, 2028: 60e6}, "SPEM": {2027: 10e6}})
    changed = with_envelope(base, "Ville", 2027, 45_500_000)
    assert changed.envelopes["Ville"] == {2027: 45_500_000, 2028: 60e6}
    assert changed.envelopes["SPEM"] == {2027: 10e6}
    assert base.envelopes["Ville"][2027] == 40e6  # the original is untouched (frozen scenarios)
    # a new owner and year
    assert with_envelope(base, "Metropole", 2030, 5e6).envelopes["Metropole"] == {2030: 5e6}
    # None removes the year; an owner left with no year disappears
    assert 2027 not in with_envelope(base, "Ville", 2027, None).envelopes["Ville"]
    assert "SPEM" not in with_envelope(base, "SPEM", 2027, None).envelopes
    with pytest.raises(ValidationError):
        with_envelope(base, "Ville", 2027, -1.0)


def test_global_level_after_one_envelope_is_edited():
    base = Scenario(envelopes={"Ville": {2027: 40e6, 2028: 60e6}})
    edited = with_envelope(base, "Ville", 2027, 50e6)  # +10 M€ out of 100 M€
    assert envelope_level(edited, base) == pytest.approx(1.1)
    # the global percentage scales the saved envelopes again (the edited cell is replaced)
    assert scale_envelopes(edited, base, 1.0).envelopes == base.envelopes


def test_envelope_years_from_reference_year_to_horizon_and_beyond():
    scenario = Scenario(reference_month="2025-03", horizon_year=2030, envelopes={"Ville": {2034: 1e6}})
    assert envelope_years(scenario) == [2025, 2026, 2027, 2028, 2029, 2030, 2034]


@given(
    amounts=st.dictionaries(st.integers(2020, 2040), st.floats(0, 1e9, allow_nan=False), max_size=6),
    year=st.integers(2020, 2040),
    amount=st.one_of(st.none(), st.floats(0, 1e9, allow_nan=False)),
)
def test_with_envelope_touches_nothing_else(amounts, year, amount):
    base = Scenario(envelopes={"Ville": amounts, "SPEM": {2027: 3e6}}) if amounts else Scenario()
    changed = with_envelope(base, "Ville", year, amount)
    before = dict(base.envelopes.get("Ville", {}))
    after = dict(changed.envelopes.get("Ville", {}))
    if amount is None:
        before.pop(year, None)
    else:
        before[year] = amount
    assert after == before
    assert changed.envelopes.get("SPEM") == base.envelopes.get("SPEM")
    assert changed.model_dump(exclude={"envelopes"}) == base.model_dump(exclude={"envelopes"})


# ---------------------------------------------------------------- shift range, totals


def test_shift_range_text_in_french():
    assert shift_range_text(-1, 240, "2025-01") == (
        "Possible : avance de 1 mois au plus (rien avant janvier 2025), retard jusqu'à 240 mois."
    )
    assert "aucune avance" in shift_range_text(0, 240, "2025-03") and "mars 2025" in shift_range_text(0, 240, "2025-03")


def test_airb_03_delays_of_1_to_17_months_are_accepted_and_the_range_is_shown():
    from store import load_portfolio, load_scenario_file

    portfolio = load_portfolio("data/operations.csv")
    scenario = load_scenario_file("data/scenario_reference.json")
    op = portfolio.by_id["AIRB-03"]
    assert allowed_shift(op, scenario.choice("AIRB-03"), scenario.reference_month) == (-1, 240)
    for months in range(1, 18):
        assert scenario.with_choice("AIRB-03", shift_months=months).check_against(portfolio) == []
    refused = scenario.with_choice("AIRB-03", shift_months=-3).check_against(portfolio)
    assert refused and "janvier 2025" in refused[0] and "2025-01" not in refused[0]


def test_change_totals_count_lost_and_forgone_anru():
    from store import load_portfolio, load_scenario_file

    portfolio = load_portfolio("data/operations.csv")
    scenario = load_scenario_file("data/scenario_reference.json")
    reference = simulate(portfolio, scenario)
    # Dropping an operation with ANRU: its ANRU is forgone; moving the deadline earlier: some is lost.
    with_anru = next(op for op in portfolio.operations if op.funding.get("anru", 0) > 0)
    dropped = simulate(portfolio, scenario.with_choice(with_anru.id, keep=False))
    spending, lost = change_totals(dropped, reference)
    row = reference.operations.set_index("operation_id").loc[with_anru.id]
    # by hand: its whole ANRU line becomes forgone, and what the reference lost of it is no longer lost
    assert lost == pytest.approx(with_anru.funding["anru"] - row.anru_lost)
    assert spending == pytest.approx(-row.spending_ttc)
    assert anru_lost_or_forgone(dropped.kpis) == pytest.approx(dropped.kpis["anru_lost"] + dropped.kpis["anru_forgone"])
    assert change_totals(reference, reference) == (0.0, 0.0)
