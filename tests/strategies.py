"""Hypothesis strategies: random but valid portfolios and scenarios."""

from __future__ import annotations

from hypothesis import strategies as st

from simulation import PHASES, Operation, OperationChoice, Owner, PhaseValues, Portfolio, Scenario
from simulation.months import format_month
from simulation.scenario import COORDINATION_TEAM, Recruitment, allowed_shift
from tests.factories import NEIGHBOURHOODS

DIRECTORATES = ("Éducation", "Sports", "Petite enfance")
FIRST_START = 2024 * 12  # reference month of generated scenarios


@st.composite
def operations(draw, n_min: int = 1, n_max: int = 8) -> list[Operation]:
    n = draw(st.integers(n_min, n_max))
    ops = []
    for i in range(n):
        cost = draw(st.floats(1, 5e7, allow_nan=False))  # a cost is > 0 (issue 9 plausibility)
        vat = draw(st.sampled_from([0.0, 0.055, 0.10, 0.20]))
        anru = draw(st.floats(0, 0.5)) * cost
        other = draw(st.floats(0, 0.4)) * cost
        depends_on = None
        if i > 0 and draw(st.booleans()):
            depends_on = f"OP{draw(st.integers(0, i - 1))}"
        ops.append(
            Operation(
                id=f"OP{i}",
                neighbourhood=draw(st.sampled_from(NEIGHBOURHOODS)).code,
                title=f"Opération {i}",
                facility_type="gymnase",
                nature="construction",
                owner=draw(st.sampled_from(list(Owner))),
                directorate=draw(st.sampled_from(DIRECTORATES)),
                maturity="programme",
                cost_ht=cost,
                price_year=draw(st.integers(2020, 2027)),
                vat_rate=vat,
                start=format_month(FIRST_START + draw(st.integers(-36, 48))),  # some already started
                programming_months=draw(st.integers(0, 12)),
                design_months=draw(st.integers(0, 24)),
                tendering_months=draw(st.integers(0, 8)),
                works_months=draw(st.integers(1, 36)),
                priority=draw(st.integers(1, 5)),
                depends_on=depends_on,
                funding={"anru": anru, "region": other},
            )
        )
    # Shuffle so dependencies do not always point backwards in the file order.
    return list(draw(st.permutations(ops)))


@st.composite
def portfolios(draw, n_min: int = 1, n_max: int = 8) -> Portfolio:
    return Portfolio(neighbourhoods=NEIGHBOURHOODS, operations=tuple(draw(operations(n_min, n_max))))


@st.composite
def choices(draw, portfolio: Portfolio, shifts: bool = True) -> dict[str, OperationChoice]:
    """Per-operation choices; shifts (delays and advances) stay within the range the rule allows."""
    result = {}
    ids = list(portfolio.ids)
    for op_id in draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []:
        durations = {}
        if draw(st.booleans()):
            durations["design"] = draw(st.integers(0, 18))
        if draw(st.booleans()):
            durations["works"] = draw(st.integers(1, 30))
        choice = OperationChoice(
            keep=draw(st.booleans()),
            cost_factor=draw(st.floats(0.5, 1.5)),
            owner=draw(st.none() | st.sampled_from(list(Owner))),
            durations=durations,
        )
        allowed = allowed_shift(portfolio.by_id[op_id], choice, format_month(FIRST_START))
        if shifts and allowed is not None:
            low, _ = allowed
            choice = choice.model_copy(update={"shift_months": draw(st.integers(max(low, -24), 36))})
        result[op_id] = choice
    return result


@st.composite
def scenarios(draw, portfolio: Portfolio) -> Scenario:
    raw = [draw(st.floats(0, 1)) for _ in range(3)] + [draw(st.floats(0.1, 1))]
    shares = [x / sum(raw) for x in raw]
    shares[3] = 1 - sum(shares[:3])
    envelopes = {Owner.VILLE: {year: draw(st.floats(0, 5e7)) for year in range(2024, 2024 + draw(st.integers(0, 8)))}}
    return Scenario(
        reference_month=format_month(FIRST_START),
        escalation_rate=draw(st.floats(-0.02, 0.1)),
        commitment_deadline=format_month(FIRST_START + draw(st.integers(0, 60))),
        completion_deadline=format_month(FIRST_START + 60 + draw(st.integers(0, 60))),
        commitment_milestone=draw(st.sampled_from(["works_start", "design_start"])),
        phase_shares=PhaseValues(programming=shares[0], design=shares[1], tendering=shares[2], works=shares[3]),
        fctva_lag_years=draw(st.sampled_from([0, 1, 2])),
        capacity_owner=draw(st.sampled_from(list(Owner))),
        horizon_year=draw(st.integers(2026, 2034)),
        envelopes=envelopes,
        headcount={d: draw(st.floats(0, 3)) for d in DIRECTORATES[:2]},
        choices=draw(choices(portfolio)),
        recruitments=[
            r
            for r in draw(recruitments())
            if r.direction in {*DIRECTORATES[:2], COORDINATION_TEAM} | {op.directorate for op in portfolio.operations}
        ],
        coordination_load=PhaseValues(**{p: draw(st.floats(0, 0.2)) for p in PHASES}),
        fctva_eligible_owners=draw(st.lists(st.sampled_from(list(Owner)), unique=True)),
    )


@st.composite
def recruitments(draw, max_size: int = 3) -> list[Recruitment]:
    """A recruitment plan on the generated directorates and the coordination team."""
    plan = []
    for _ in range(draw(st.integers(0, max_size))):
        start = FIRST_START + draw(st.integers(-12, 60))
        end = None if draw(st.booleans()) else format_month(start + draw(st.integers(0, 36)))
        plan.append(
            Recruitment.model_validate(
                {
                    "direction": draw(st.sampled_from([*DIRECTORATES, COORDINATION_TEAM])),
                    "fte": draw(st.floats(0.1, 3)),
                    "from": format_month(start),
                    "to": end,
                }
            )
        )
    return plan


@st.composite
def portfolio_and_scenario(draw, n_min: int = 1, n_max: int = 8):
    portfolio = draw(portfolios(n_min, n_max))
    return portfolio, draw(scenarios(portfolio))
