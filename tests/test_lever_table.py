"""The Arbitrage lever table round trip, without Streamlit."""

from __future__ import annotations

import pytest

from simulation import fr, simulate
from store import load_portfolio, load_scenario_file
from ui.frames import lever_table


@pytest.fixture(scope="module")
def demo():
    return load_portfolio("data/operations.csv"), load_scenario_file("data/scenario_reference.json")


def test_table_shows_levers_and_figures(demo):
    portfolio, scenario = demo
    table = lever_table.lever_table(
        portfolio, scenario.with_choice("CNSM-06", shift_months=6), simulate(portfolio, scenario)
    )
    row = table.set_index("id").loc["CNSM-06"]
    assert row["Garder"] and row["Décalage (mois)"] == 6 and row["Coût (%)"] == 100
    assert row["Transfert à"] == "(inchangé)"
    assert row["Quartier"] == "Centre Nord / Saint-Mauront"


def test_edits_become_choices(demo):
    portfolio, scenario = demo
    ids = portfolio.ids
    i = ids.index("CNSM-06")
    updated, problems = lever_table.apply_edits(
        scenario, portfolio, ids, {i: {"Garder": True, "Décalage (mois)": 12, "Coût (%)": 80, "Transfert à": "SPEM"}}
    )
    assert problems == []
    choice = updated.choice("CNSM-06")
    assert (choice.shift_months, choice.cost_factor, choice.owner) == (12, 0.8, "SPEM")


def test_refused_edit_changes_nothing_and_says_why_in_french(demo):
    portfolio, scenario = demo
    started = next(op.id for op in portfolio.operations if op.start < scenario.reference_month)
    ids = portfolio.ids
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {ids.index(started): {"Décalage (mois)": 1}})
    assert same == scenario
    assert "avant le mois de référence" in problems[0]
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {0: {"Coût (%)": 900}})
    assert same == scenario and "entre 10 et 300 %" in problems[0]


def test_the_shift_bound_is_the_scenario_models(demo):
    from simulation.fit.settings import FitSettings
    from simulation.limits import MAX_SHIFT_MONTHS

    portfolio, scenario = demo
    ids = portfolio.ids
    i = ids.index("CNSM-06")
    same, problems = lever_table.apply_edits(scenario, portfolio, ids, {i: {"Décalage (mois)": MAX_SHIFT_MONTHS + 1}})
    assert same == scenario
    assert f"entre {-MAX_SHIFT_MONTHS} et {MAX_SHIFT_MONTHS} (reçu {MAX_SHIFT_MONTHS + 1})" in problems[0]
    assert FitSettings(max_shift_months=MAX_SHIFT_MONTHS).max_shift_months == MAX_SHIFT_MONTHS
    with pytest.raises(ValueError):
        FitSettings(max_shift_months=MAX_SHIFT_MONTHS + 1)


# ---------------------------------------------------------------- envelopes per owner and year


def test_envelope_table_in_french_meuros(demo):
    _portfolio, scenario = demo
    table = lever_table.envelope_table(scenario)
    assert list(table[lever_table.ENVELOPE_OWNER])[:3] == ["Ville", "Métropole", "SPEM"]
    ville = table.iloc[0]
    year, amount = next(iter(sorted(scenario.envelopes["Ville"].items())))
    assert ville[str(year)] == fr.number(amount / 1e6, 1)
    assert set(table.columns[1:]) >= {str(y) for y in scenario.envelopes["Ville"]}
    assert lever_table.envelope_table(scenario.model_copy(update={"envelopes": {}})).iloc[0]["2027"] == ""


def test_envelope_edits_change_one_cell_and_are_refused_whole(demo):
    _portfolio, scenario = demo
    updated, problems = lever_table.apply_envelope_edits(scenario, {0: {"2027": "45,5"}})
    assert problems == []
    assert updated.envelopes["Ville"][2027] == 45_500_000
    assert {o: y for o, y in updated.envelopes.items() if o != "Ville"} == {
        o: y for o, y in scenario.envelopes.items() if o != "Ville"
    }
    assert {y: a for y, a in updated.envelopes["Ville"].items() if y != 2027} == {
        y: a for y, a in scenario.envelopes["Ville"].items() if y != 2027
    }
    # an empty cell removes the envelope of that year
    cleared, problems = lever_table.apply_envelope_edits(scenario, {0: {"2027": ""}})
    assert problems == [] and 2027 not in cleared.envelopes["Ville"]
    # one bad cell: nothing applied, the owner and the year named, in French
    same, problems = lever_table.apply_envelope_edits(scenario, {0: {"2027": "45,5"}, 2: {"2028": "beaucoup"}})
    assert same == scenario
    assert problems == ["Enveloppe SPEM 2028 : « beaucoup » n'est pas un montant en M€ (exemple : 45,5)"]
    _same, problems = lever_table.apply_envelope_edits(scenario, {1: {"2029": "-3"}})
    assert problems == ["Enveloppe Métropole 2029 : le montant doit être positif ou nul (reçu « -3 »)"]


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("45,5", 45_500_000),
        ("45.5", 45_500_000),
        ("1 200", 1_200_000_000),
        ("12,5 M€", 12_500_000),
        ("", None),
        (None, None),
    ],
)
def test_parse_meuros(text, euros):
    assert lever_table.parse_meuros(text) == euros


def test_envelope_table_round_trip(demo):
    _portfolio, scenario = demo
    table = lever_table.envelope_table(scenario)
    edits = {i: {c: table.iloc[i][c] for c in table.columns if c.isdigit()} for i in range(len(table))}
    again, problems = lever_table.apply_envelope_edits(scenario, edits)
    assert problems == []
    for owner, years in scenario.envelopes.items():
        for year, amount in years.items():
            assert again.envelopes[owner][year] == pytest.approx(amount, abs=50_000)  # shown to 0,1 M€


def test_one_envelope_table_in_meuros_with_its_totals(demo):
    """The Scénarios page and the note show ``simulation.levers.envelope_table``: owners in the
    labels' order, M€ with one decimal, a total per owner; the editor's version lists every owner."""
    from simulation import Owner, fr
    from simulation.levers import envelope_table

    _portfolio, scenario = demo
    table = envelope_table(scenario)
    assert list(table["Maître d'ouvrage"]) == ["Ville", "Métropole", "SPEM"]
    ville = table.iloc[0]
    amounts = scenario.envelopes[Owner.VILLE]
    assert ville["2027"] == fr.number(amounts[2027] / 1e6, 1)
    assert ville["Total"] == fr.number(sum(amounts.values()) / 1e6, 1)
    bare = scenario.model_copy(update={"envelopes": {Owner.VILLE: {2027: 45_500_000.0}}})
    assert envelope_table(bare).to_numpy().tolist() == [["Ville", "45,5", "45,5"]]
    editor = envelope_table(bare, [2026, 2027], every_owner=True, missing="", total=False)
    assert editor.iloc[0].tolist() == ["Ville", "", "45,5"] and len(editor) == 5
