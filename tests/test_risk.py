"""Risk draws (issue 10): distributions, exact cases, the zero-uncertainty case, the loop oracle."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import simulation.risk as risk_module
from simulation.engine import simulate
from simulation.errors import french_message
from simulation.model import Maturity
from simulation.oracle import simulate_risk_slowly
from simulation.risk import (
    RiskSettingsError,
    commitment_odds,
    normal_cdf,
    simulate_risk,
    triangular_cdf,
    triangular_quantile,
    where_to_act,
)
from simulation.scenario import DEFAULT_UNCERTAINTY, Scenario
from tests.factories import operation, portfolio
from tests.strategies import portfolio_and_scenario

ZERO = {m.value: {"cost": [0, 0, 0], "duration": [0, 0, 0]} for m in Maturity}


def _scenario(**fields: object) -> Scenario:
    return Scenario.model_validate(fields)


def _uncertain(cost: list[float], duration: list[float]) -> dict[str, dict[str, list[float]]]:
    return {m.value: {"cost": cost, "duration": duration} for m in Maturity}


# --- Distributions ---


def test_normal_cdf_matches_erfc_within_1_2e_7():
    z = np.linspace(-9, 9, 20001)
    exact = np.array([0.5 * math.erfc(-x / math.sqrt(2)) for x in z])
    assert np.max(np.abs(normal_cdf(z) - exact)) < 1.2e-7
    assert normal_cdf(np.array([0.0]))[0] == pytest.approx(0.5, abs=1.2e-7)


def test_triangular_quantile_inverts_the_cdf():
    u = np.linspace(0, 1, 1001)
    for low, mode, high in [(0, 0.1, 0.4), (-0.5, -0.5, 3), (0, 0.3, 0.3), (-0.2, 0.0, 0.5)]:
        x = triangular_quantile(u, np.float64(low), np.float64(mode), np.float64(high))
        assert np.all(np.diff(x) >= 0)
        back = np.array([triangular_cdf(v, low, mode, high) for v in x])
        assert np.allclose(back[1:-1], u[1:-1], atol=1e-9)
        assert x[0] == pytest.approx(low) and x[-1] == pytest.approx(high)
    degenerate = triangular_quantile(u, np.float64(0.2), np.float64(0.2), np.float64(0.2))
    assert np.all(degenerate == 0.2)


def test_default_uncertainty_follows_the_green_book_mapping():
    intention, works, delivered = (
        DEFAULT_UNCERTAINTY[m] for m in (Maturity.INTENTION, Maturity.WORKS, Maturity.DELIVERED)
    )
    assert intention.cost == (0.0, 0.24, 0.51)  # standard / non-standard buildings, outline stage
    assert intention.duration == (0.0, 0.04, 0.39)
    assert works.cost == (0.0, 0.02, 0.04)  # contract award
    assert works.duration == (0.0, 0.01, 0.02)
    assert delivered.cost == delivered.duration == (0.0, 0.0, 0.0)
    highs = [DEFAULT_UNCERTAINTY[m].cost[2] for m in Maturity]
    assert highs == sorted(highs, reverse=True)
    assert Scenario().uncertainty_correlation == 0.3


# --- Exact cases, one operation ---


def test_issue_example_design_phase_drawn():
    # Starts 2 months after the reference month, 8-month design, works must start within 11
    # months: on time when round(8·(1+d)) <= 9, i.e. d < 0.1875.
    op = operation("A", start="2025-03", design_months=8, works_months=12)
    scenario = _scenario(
        reference_month="2025-01",
        commitment_deadline="2025-12",
        uncertainty={**ZERO, "programme": {"cost": [0, 0, 0], "duration": [0, 0.1, 0.4]}},
    )
    draws = 20_000
    result = simulate_risk(portfolio(op), scenario, draws=draws, seed=7)
    expected = 1 - (0.4 - 0.1875) ** 2 / (0.4 * 0.3)
    p = float(result.operations["p_commitment_on_time"].iloc[0])
    se = math.sqrt(expected * (1 - expected) / draws)
    assert abs(p - expected) < 3 * se
    assert simulate(portfolio(op), scenario).operations["commitment_missed"].iloc[0] == np.False_


def test_a_phase_starting_in_the_reference_month_has_not_begun():
    # Design starts in the reference month itself: it is drawn. Deadline: 9 months after.
    op = operation("A", start="2025-01", design_months=8, works_months=12)
    scenario = _scenario(
        reference_month="2025-01",
        commitment_deadline="2025-10",  # works start 2025-09 in the plan; on time when round(8(1+d)) <= 9
        uncertainty={**ZERO, "programme": {"cost": [0, 0, 0], "duration": [0, 0.1, 0.4]}},
    )
    draws = 20_000
    p = float(simulate_risk(portfolio(op), scenario, draws=draws, seed=3).operations["p_commitment_on_time"].iloc[0])
    expected = 1 - (0.4 - 0.1875) ** 2 / (0.4 * 0.3)
    assert abs(p - expected) < 3 * math.sqrt(expected * (1 - expected) / draws)


def test_a_phase_under_way_keeps_its_duration():
    # Design began before the reference month: only the later phases are drawn. Works start
    # 2025-06 whatever the draw; works (12 months) end on time when round(12(1+d)) <= 14.
    op = operation("A", start="2024-10", design_months=8, works_months=12)
    scenario = _scenario(
        reference_month="2025-01",
        commitment_deadline="2025-06",
        completion_deadline="2026-07",
        uncertainty={**ZERO, "programme": {"cost": [0, 0, 0], "duration": [0, 0.1, 0.4]}},
    )
    draws = 20_000
    row = simulate_risk(portfolio(op), scenario, draws=draws, seed=5).operations.iloc[0]
    assert row["p_commitment_on_time"] == 1.0  # design under way: the milestone cannot move
    # round(12(1+d)) <= 14  <=>  12(1+d) < 14.5  <=>  d < 0.208333…
    expected = triangular_cdf(14.5 / 12 - 1, 0, 0.1, 0.4)
    se = math.sqrt(expected * (1 - expected) / draws)
    assert abs(row["p_completion_on_time"] - expected) < 3 * se


def test_cost_draw_scales_the_cost_and_leaves_funding():
    op = operation("A", cost_ht=1_000_000.0, vat_rate=0.2, funding={"anru": 300_000.0})
    scenario = _scenario(
        reference_month="2025-01",
        escalation_rate=0.0,
        uncertainty={**ZERO, "programme": {"cost": [0, 0.1, 0.5], "duration": [0, 0, 0]}},
    )
    draws = 20_000
    row = simulate_risk(portfolio(op), scenario, draws=draws, seed=11).operations.iloc[0]
    mean_c = (0 + 0.1 + 0.5) / 3
    sd_c = math.sqrt((0 + 0.01 + 0.25 - 0 - 0 - 0.05) / 18)
    ttc = 1_200_000.0
    assert abs(row["cost_ttc_mean"] - ttc * (1 + mean_c)) < 3 * ttc * sd_c / math.sqrt(draws)
    # P90 of Tri(0, .1, .5): 1 - (.5 - x)^2 / (.5 * .4) = .9  ->  x = .5 - sqrt(.02)
    assert row["cost_ttc_p90"] == pytest.approx(ttc * (1.5 - math.sqrt(0.02)), rel=2e-3)
    assert row["anru_lost_mean"] == 0.0


def test_anru_lost_mean_is_the_subsidy_times_the_odds_of_missing():
    op = operation("A", start="2025-03", design_months=8, works_months=12, funding={"anru": 500_000.0})
    scenario = _scenario(
        reference_month="2025-01",
        commitment_deadline="2025-12",
        uncertainty={**ZERO, "programme": {"cost": [0, 0, 0], "duration": [0, 0.1, 0.4]}},
    )
    result = simulate_risk(portfolio(op), scenario, draws=2000, seed=1)
    row = result.operations.iloc[0]
    assert row["anru_lost_mean"] == pytest.approx(500_000.0 * (1 - row["p_commitment_on_time"]))
    assert result.anru_lost["mean"] == pytest.approx(row["anru_lost_mean"])
    assert result.late_operations["mean"] == pytest.approx(1 - row["p_on_time"])


# --- Zero uncertainty equals simulate ---


def _assert_equals_simulate(p, scenario, draws=5):
    result = simulate_risk(p, scenario, draws=draws, seed=0)
    plan = simulate(p, scenario)
    kept = plan.operations[plan.operations["kept"]].reset_index(drop=True)
    ops = result.operations
    assert list(ops["operation_id"]) == list(kept["operation_id"])
    assert np.array_equal(ops["p_commitment_on_time"].to_numpy(), (~kept["commitment_missed"]).to_numpy(dtype=float))
    assert np.array_equal(ops["p_completion_on_time"].to_numpy(), (~kept["completion_missed"]).to_numpy(dtype=float))
    for column in ("cost_ttc_mean", "cost_ttc_p90"):
        assert np.allclose(ops[column], kept["spending_ttc"], rtol=1e-12, atol=1e-6)
    assert np.allclose(ops["anru_lost_mean"], kept["anru_lost"], rtol=1e-12, atol=1e-6)
    yearly = plan.yearly.set_index(["owner", "year"])
    ry = result.yearly.set_index(["owner", "year"])
    assert list(ry.index) == list(yearly.index)
    for column in ("p10", "p50", "p90", "plan"):
        assert np.allclose(ry[column], yearly["spending_ttc"], rtol=1e-12, atol=1e-6)
    assert np.array_equal(ry["p_over"].to_numpy(), yearly["over_envelope"].to_numpy(dtype=float))
    assert result.anru_lost["mean"] == pytest.approx(plan.kpis["anru_lost"], abs=1e-6)
    assert result.anru_lost["p90"] == pytest.approx(plan.kpis["anru_lost"], abs=1e-6)
    assert result.late_operations == {"mean": plan.kpis["n_late"], "p90": plan.kpis["n_late"]}
    staff = plan.staff[plan.staff["month"] >= scenario.reference_month]
    over = staff[staff["headcount"].notna()]
    assert np.array_equal(result.staff["p_overload"].to_numpy(), (over["overload_fte"] > 1e-9).to_numpy(dtype=float))


def test_zero_uncertainty_on_the_demo_equals_simulate():
    from formats.files import load_portfolio, load_scenario_file

    p = load_portfolio("data/operations.csv")
    scenario = load_scenario_file("data/scenario_reference.json").model_copy(update={"uncertainty": {}})
    scenario = Scenario.model_validate({**scenario.model_dump(), "uncertainty": ZERO})
    _assert_equals_simulate(p, scenario)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio_and_scenario())
def test_zero_uncertainty_equals_simulate(case):
    p, scenario = case
    _assert_equals_simulate(p, Scenario.model_validate({**scenario.model_dump(), "uncertainty": ZERO}))


# --- The loop oracle, same draws ---


@st.composite
def uncertain_cases(draw):
    p, scenario = draw(portfolio_and_scenario(n_max=6))
    maturities = list(Maturity)
    ops = tuple(op.model_copy(update={"maturity": draw(st.sampled_from(maturities))}) for op in p.operations)
    p = p.model_copy(update={"operations": ops})
    p = type(p).model_validate(p.model_dump())

    def triangle():
        values = sorted(draw(st.floats(-0.5, 3)) for _ in range(3))
        return values

    uncertainty = {m.value: {"cost": triangle(), "duration": triangle()} for m in maturities}
    rho = draw(st.floats(0, 1))
    scenario = Scenario.model_validate(
        {**scenario.model_dump(), "uncertainty": uncertainty, "uncertainty_correlation": rho}
    )
    return p, scenario, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(uncertain_cases())
def test_vectorised_draws_agree_with_the_loop_oracle(case):
    p, scenario, seed = case
    draws = 12
    fast = simulate_risk(p, scenario, draws=draws, seed=seed)
    slow = simulate_risk_slowly(p, scenario, draws=draws, seed=seed)
    assert set(fast.operations["operation_id"]) == set(slow["operations"])
    for row in fast.operations.to_dict("records"):
        expected = slow["operations"][row["operation_id"]]
        for key in ("p_commitment_on_time", "p_completion_on_time"):
            assert row[key] == pytest.approx(expected[key], abs=1e-12), key
        for key in ("cost_ttc_mean", "cost_ttc_p90", "anru_lost_mean"):
            assert row[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-3), key
    for row in fast.yearly.to_dict("records"):
        expected = slow["yearly"].get((row["owner"], row["year"]), {"p10": 0, "p50": 0, "p90": 0, "p_over": 0})
        for key in ("p10", "p50", "p90", "p_over"):
            assert row[key] == pytest.approx(expected[key], rel=1e-9, abs=1e-3), (row["owner"], row["year"], key)
    for key in ("mean", "p90"):
        assert fast.anru_lost[key] == pytest.approx(slow["anru_lost"][key], rel=1e-9, abs=1e-3)
        assert fast.late_operations[key] == pytest.approx(slow["late_operations"][key], abs=1e-12)
    from simulation.months import format_month

    slow_staff = {(d, format_month(m)): v for (d, m), v in slow["staff_overload"].items()}
    for row in fast.staff.to_dict("records"):
        assert row["p_overload"] == pytest.approx(slow_staff.get((row["directorate"], row["month"]), 0.0), abs=1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(uncertain_cases())
def test_the_dates_only_odds_are_the_full_runs_and_the_oracles(case):
    """The Synthèse card's figure, from the dates alone, is the full Monte Carlo's, draw for draw,
    and the mean over kept operations of the loop oracle's odds."""
    p, scenario, seed = case
    draws = 12
    odds = commitment_odds(p, scenario, draws=draws, seed=seed)
    assert odds == simulate_risk(p, scenario, draws=draws, seed=seed).p_commitment_mean
    slow = simulate_risk_slowly(p, scenario, draws=draws, seed=seed)["operations"]
    expected = float(np.mean([v["p_commitment_on_time"] for v in slow.values()])) if slow else 1.0
    assert odds == pytest.approx(expected, abs=1e-12)


def test_the_dates_only_odds_by_hand():
    """No uncertainty: A's works start in July 2026 (on time for December 2026), B's in July 2027
    (late), a dropped C does not count: odds (1 + 0) / 2 = 0,5, in every draw."""
    months = {"programming_months": 2, "design_months": 12, "tendering_months": 4}
    p = portfolio(
        operation("A", start="2025-01", **months),
        operation("B", start="2026-01", **months),
        operation("C", start="2030-01", **months),
    )
    scenario = _scenario(
        reference_month="2025-01",
        commitment_deadline="2026-12",
        uncertainty=ZERO,
        choices={"C": {"keep": False}},
    )
    assert commitment_odds(p, scenario, draws=50, seed=3) == 0.5
    assert simulate_risk(p, scenario, draws=50, seed=3).p_commitment_mean == 0.5


# --- Properties ---


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(uncertain_cases())
def test_probabilities_and_percentiles_are_ordered(case):
    p, scenario, seed = case
    result = simulate_risk(p, scenario, draws=20, seed=seed)
    ops = result.operations
    for key in ("p_commitment_on_time", "p_completion_on_time", "p_on_time"):
        assert ((ops[key] >= 0) & (ops[key] <= 1)).all()
    assert (ops["p_on_time"] <= np.minimum(ops["p_commitment_on_time"], ops["p_completion_on_time"]) + 1e-12).all()
    assert (ops["cost_ttc_p90"] >= -1e-6).all()
    y = result.yearly
    assert ((y["p10"] <= y["p50"] + 1e-6) & (y["p50"] <= y["p90"] + 1e-6)).all()
    assert ((y["p_over"] >= 0) & (y["p_over"] <= 1)).all()
    assert 0 <= result.p_all_committed <= ops["p_commitment_on_time"].to_numpy().min(initial=1.0) + 1e-12


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio_and_scenario(), st.floats(0, 3), st.floats(0, 1), st.integers(0, 1000))
def test_longer_durations_never_rescue_a_late_operation(case, high, rho, seed):
    p, scenario = case
    scenario = Scenario.model_validate(
        {**scenario.model_dump(), "uncertainty": _uncertain([0, 0, 0], [0, 0, high]), "uncertainty_correlation": rho}
    )
    plan = simulate(p, scenario).operations.set_index("operation_id")
    ops = simulate_risk(p, scenario, draws=10, seed=seed).operations.set_index("operation_id")
    for op_id, row in ops.iterrows():
        if plan.loc[op_id, "commitment_missed"]:
            assert row["p_commitment_on_time"] == 0.0
        if plan.loc[op_id, "completion_missed"]:
            assert row["p_completion_on_time"] == 0.0


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio_and_scenario(), st.floats(-0.5, 3), st.floats(-0.5, 3), st.integers(0, 1000))
def test_cost_draws_stay_within_the_triangle(case, a, b, seed):
    p, scenario = case
    low, high = sorted((a, b))
    scenario = Scenario.model_validate(
        {**scenario.model_dump(), "uncertainty": _uncertain([low, low, high], [0, 0, 0])}
    )
    ops = simulate_risk(p, scenario, draws=10, seed=seed).operations
    plan = ops["cost_ttc_plan"].to_numpy()
    assert (ops["cost_ttc_mean"].to_numpy() >= plan * (1 + low) - 1e-6).all()
    assert (ops["cost_ttc_mean"].to_numpy() <= plan * (1 + high) + 1e-6).all()
    plan_lost = simulate(p, scenario).operations.set_index("operation_id").loc[ops["operation_id"], "anru_lost"]
    assert np.allclose(ops["anru_lost_mean"].to_numpy(), plan_lost.to_numpy(), rtol=1e-12)  # costs never move dates


# --- Reproducibility and chunking ---


def _demo():
    from formats.files import load_portfolio, load_scenario_file

    return load_portfolio("data/operations.csv"), load_scenario_file("data/scenario_reference.json")


def test_same_seed_gives_byte_identical_results_and_another_seed_differs():
    p, scenario = _demo()
    first = json.dumps(simulate_risk(p, scenario, draws=200, seed=42).to_json())
    second = json.dumps(simulate_risk(p, scenario, draws=200, seed=42).to_json())
    other = json.dumps(simulate_risk(p, scenario, draws=200, seed=43).to_json())
    assert first == second
    assert first != other


def test_chunking_does_not_change_the_results(monkeypatch):
    p, scenario = _demo()
    whole = simulate_risk(p, scenario, draws=50, seed=9)
    monkeypatch.setattr(risk_module, "ROWS_PER_CHUNK", 7 * len(p.operations))  # 8 chunks, the last one short
    chunked = simulate_risk(p, scenario, draws=50, seed=9)
    assert json.dumps(whole.to_json()) == json.dumps(chunked.to_json())
    assert whole.staff.equals(chunked.staff)


def test_json_has_the_fixed_shape():
    p, scenario = _demo()
    data = simulate_risk(p, scenario, draws=20, seed=1).to_json()
    assert list(data) == ["draws", "seed", "operations", "yearly", "anru_lost", "late_operations"]
    assert data["draws"] == 20 and data["seed"] == 1
    assert set(data["operations"][0]) == {
        "id",
        "p_commitment_on_time",
        "p_completion_on_time",
        "cost_ttc_mean",
        "cost_ttc_p90",
        "anru_lost_mean",
    }
    assert set(data["yearly"][0]) == {"owner", "year", "p10", "p50", "p90", "envelope", "p_over"}
    assert set(data["anru_lost"]) == set(data["late_operations"]) == {"mean", "p90"}


def test_where_to_act_ranks_by_expected_anru_lost_then_overrun_share():
    p, scenario = _demo()
    result = simulate_risk(p, scenario, draws=200, seed=2)
    ranked = where_to_act(result)
    lost = ranked["anru_lost_mean"].to_numpy()
    assert np.all(np.diff(lost) <= 0)
    assert result.operations["overrun_share"].sum() == pytest.approx(1.0)
    assert (ranked["rank_anru"] >= 1).all()


# --- Bad settings, in French ---


@pytest.mark.parametrize(
    ("uncertainty", "words"),
    [
        ({"programme": {"cost": [0.2, 0.1, 0.3]}}, "bas ≤ mode ≤ haut"),
        ({"etudes": {"duration": [0, 0.1, 3.5]}}, "comprise entre −0,5 et 3"),
        ({"travaux": {"cost": [-0.6, 0, 0.1]}}, "comprise entre −0,5 et 3"),
        ({"travaux": {"cost": [0, 0.1]}}, "trois nombres"),
        ({"travaux": {"cost": [0, "x", 1]}}, "doit être un nombre"),
        ({"chantier": {"cost": [0, 0, 0]}}, "maturité inconnue"),
        ({"travaux": {"costs": [0, 0, 0]}}, "clé inconnue"),
    ],
)
def test_bad_uncertainty_is_refused_in_french(uncertainty, words):
    with pytest.raises(ValidationError) as error:
        Scenario.model_validate({"uncertainty": uncertainty})
    assert words in french_message(error.value)


@pytest.mark.parametrize("rho", [-0.1, 1.01, "x", float("nan")])
def test_bad_correlation_is_refused_in_french(rho):
    with pytest.raises(ValidationError) as error:
        Scenario.model_validate({"uncertainty_correlation": rho})
    assert "corrélation des incertitudes" in french_message(error.value)


def test_partial_uncertainty_keeps_the_other_defaults():
    scenario = Scenario.model_validate({"uncertainty": {"programme": {"cost": [0, 0.1, 0.2]}}})
    assert scenario.uncertainty[Maturity.PROGRAMME].cost == (0.0, 0.1, 0.2)
    assert scenario.uncertainty[Maturity.PROGRAMME].duration == DEFAULT_UNCERTAINTY[Maturity.PROGRAMME].duration
    assert scenario.uncertainty[Maturity.INTENTION] == DEFAULT_UNCERTAINTY[Maturity.INTENTION]
    assert Scenario.model_validate_json(scenario.model_dump_json()) == scenario


@pytest.mark.parametrize("draws", [0, 100_001, -5, 2.5, True])
def test_bad_number_of_draws_is_refused_in_french(draws):
    p = portfolio(operation("A"))
    with pytest.raises(RiskSettingsError, match="nombre de tirages"):
        simulate_risk(p, Scenario(), draws=draws)


def test_one_draw_and_bounds_are_accepted():
    p = portfolio(operation("A"))
    assert simulate_risk(p, Scenario(), draws=1).draws == 1


def test_uncertainty_changes_are_listed_among_the_settings_that_changed():
    from simulation.compare import settings_changes

    base = Scenario()
    changed = Scenario.model_validate(
        {"uncertainty": {"travaux": {"cost": [0, 0.1, 0.2]}}, "uncertainty_correlation": 0.5}
    )
    assert settings_changes(changed, base) == [
        "Incertitudes des coûts et des durées par maturité : propres au scénario (référence Green Book (par défaut))",
        "Corrélation des incertitudes : 0,50 (référence 0,30)",
    ]
    assert settings_changes(base, base) == []


def test_a_negative_seed_is_refused_in_french():
    with pytest.raises(RiskSettingsError, match="graine"):
        simulate_risk(portfolio(operation("A")), Scenario(), draws=5, seed=-1)
