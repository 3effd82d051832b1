"""At most eight colours in a stacked chart: the smallest groups summed as « Autres »."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import charts
from charts.theme import MAX_SERIES, OTHERS, OTHERS_COLOUR
from simulation import simulate
from store import load_portfolio, load_scenario_file
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


def frame(rows: list[tuple[int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "group", "meur"])


def test_by_hand_three_groups_in_two_series():
    data = frame([(2025, "A", 5.0), (2025, "B", 1.0), (2026, "C", 2.0), (2026, "A", 1.0)])
    limited, order = charts.limit_series(data, max_series=2)
    assert order == ["A", OTHERS]  # A: 6, C: 2, B: 1
    got = {(r.year, r.group): r.meur for r in limited.itertuples()}
    assert got == {(2025, "A"): 5.0, (2025, OTHERS): 1.0, (2026, OTHERS): 2.0, (2026, "A"): 1.0}


def test_few_groups_are_left_alone():
    data = frame([(2025, "A", 1.0), (2025, "B", 2.0)])
    limited, order = charts.limit_series(data)
    assert order == ["B", "A"]
    pd.testing.assert_frame_equal(limited, data)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(2025, 2030), st.sampled_from([f"Q{i}" for i in range(14)]), st.floats(0, 50)),
        min_size=1,
        max_size=80,
    )
)
def test_totals_per_year_are_kept_and_at_most_eight_series(rows):
    data = frame(rows).groupby(["year", "group"], as_index=False)["meur"].sum()
    limited, order = charts.limit_series(data)
    assert len(order) <= MAX_SERIES and set(limited["group"]) <= set(order)
    before = data.groupby("year")["meur"].sum()
    after = limited.groupby("year")["meur"].sum()
    pd.testing.assert_series_equal(before, after.reindex(before.index), check_exact=False, rtol=1e-9, atol=1e-9)
    assert (OTHERS in order) == (data["group"].nunique() > MAX_SERIES)


def test_the_synthese_chart_of_the_demo_has_eight_colours_with_autres_in_grey():
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    result = simulate(portfolio, load_scenario_file(DEMO_SCENARIO_JSON))
    spec = charts.spending_vs_envelope(result, portfolio, "neighbourhood", None).to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert len(scale["domain"]) == MAX_SERIES == len(scale["range"])
    assert scale["domain"][-1] == OTHERS and scale["range"][-1] == OTHERS_COLOUR
    assert len(set(scale["range"])) == MAX_SERIES


def test_overrun_labels_of_consecutive_years_alternate_heights():
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    result = simulate(portfolio, load_scenario_file(DEMO_SCENARIO_JSON))
    spec = charts.spending_vs_envelope(result, portfolio, "facility_type", "Ville", projector=True).to_dict()
    text_layers = [layer for layer in spec["layer"] if layer["mark"].get("type") == "text"]
    years_by_dy = {
        layer["mark"]["dy"]: [row["year"] for row in spec["datasets"][layer["data"]["name"]]] for layer in text_layers
    }
    overrun_years = sorted(year for years in years_by_dy.values() for year in years)
    assert overrun_years, "the demo's City envelope is overrun at least once"
    for earlier, later in itertools.pairwise(overrun_years):
        if later == earlier + 1:  # neighbours: never at the same height
            assert not any(earlier in ys and later in ys for ys in years_by_dy.values())


def test_a_named_data_spec_with_its_datasets_is_the_inline_spec():
    """Arbitrage keeps the spec per shape and sends the rows as named datasets: same chart."""
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    result = simulate(portfolio, reference)
    frames = charts.spending_frames(result, portfolio, "facility_type", "Ville")
    inline = charts.spending_chart(frames, "facility_type").to_dict()
    named = charts.spending_chart(frames, "facility_type", named=True).to_dict()
    assert "datasets" not in named
    datasets = frames.datasets()
    for inline_layer, named_layer in zip(inline["layer"], named["layer"], strict=True):
        rows = inline["datasets"][inline_layer["data"]["name"]]
        sent = datasets[named_layer["data"]["name"]]
        assert sent.astype(object).where(sent.notna(), None).to_dict("records") == rows  # Altair writes NaN as null
        assert {k: v for k, v in inline_layer.items() if k != "data"} == {
            k: v for k, v in named_layer.items() if k != "data"
        }
    # A lever that only moves amounts keeps the shape: the memoised spec serves it unchanged.
    dearer = simulate(portfolio, reference.model_copy(update={"escalation_rate": reference.escalation_rate + 0.01}))
    moved = charts.spending_frames(dearer, portfolio, "facility_type", "Ville")
    assert not moved.bars.equals(frames.bars)
    assert moved.shape == frames.shape
    assert charts.spending_chart(moved, "facility_type", named=True).to_dict() == named


def test_an_overrun_label_stands_above_its_bar_and_both_neighbours():
    """A label is wider than a bar: its anchor is the highest of the three bars around it."""
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    result = simulate(portfolio, load_scenario_file(DEMO_SCENARIO_JSON))
    frames = charts.spending_frames(result, portfolio, "facility_type", "Ville")
    totals = frames.bars.groupby("year")["meur"].sum().to_dict()
    labels = pd.concat([frames.low_labels, frames.high_labels])
    assert len(labels)
    for row in labels.to_dict("records"):
        around = [totals[y] for y in (row["year"] - 1, row["year"], row["year"] + 1) if y in totals]
        assert row["anchor"] == pytest.approx(max([*around, row["spending"]]))
        assert row["anchor"] >= row["spending"]
    spec = charts.spending_chart(frames, "facility_type", projector=True).to_dict()
    assert all(
        layer["encoding"]["y"]["field"] == "anchor" for layer in spec["layer"] if layer["mark"]["type"] == "text"
    )
