"""Random portfolios: the assistant never crashes, and every plan it proposes holds every hard
rule as ``simulate`` measures it; when no plan exists, the conflict is named."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from simulation.fit import FitSettings, propose
from simulation.fit.problem import apply_locks
from simulation.months import format_month
from tests.fit_support import assert_hard_rules
from tests.strategies import FIRST_START, portfolio_and_scenario


@st.composite
def cases(draw):
    portfolio, scenario = draw(portfolio_and_scenario(1, 7))
    # A later reference month makes some operations already started (committed).
    reference = format_month(FIRST_START + draw(st.integers(0, 18)))
    scenario = scenario.model_copy(update={"reference_month": reference})
    ids = portfolio.ids
    forced_in = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
    others = [i for i in ids if i not in forced_in]
    forced_out = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    fixed = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
    settings = FitSettings(
        forced_in=forced_in,
        forced_out=forced_out,
        fixed=fixed,
        envelope_mode=draw(st.sampled_from(["strict", "carry_forward"])),
        staff_tolerance=draw(st.sampled_from([0.0, 0.2])),
        grid=draw(st.sampled_from(["monthly", "quarterly"])),
        max_shift_months=draw(st.integers(0, 30)),
        time_limit_s=1.0,
        workers=1,
    )
    assume(not scenario.check_against(portfolio))  # a scenario the engine accepts…
    assume(not apply_locks(scenario, settings).check_against(portfolio))  # …also once the locks apply
    return portfolio, scenario, settings


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(cases())
def test_random_portfolios_never_crash_and_every_plan_holds(case):
    portfolio, scenario, settings = case
    run = propose(portfolio, scenario, settings)
    assert set(run.proposals) == {"greedy", "optimal"}
    for proposal in run.proposals.values():
        if proposal.ok:
            assert proposal.violations == [], proposal.violations
            assert_hard_rules(portfolio, run, proposal)
            for change in proposal.changes:
                assert change.reasons and all(reason.text for reason in change.reasons)
        else:
            assert proposal.status in ("infeasible", "undecided")
            if proposal.status == "infeasible":
                assert proposal.conflict is not None and proposal.conflict.constraints
                assert "ne peu" in proposal.conflict.text
    optimal, greedy = run.proposals["optimal"], run.proposals["greedy"]
    if optimal.ok and greedy.ok:  # warm-started from the greedy plan: never worse
        assert optimal.objective.key() >= greedy.objective.key()
