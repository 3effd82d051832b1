"""French formatting of headline figures and of their differences: one home for screens and exports."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exports.text import kpi_delta as printed_delta
from simulation import fr
from simulation.labels import FTE_KPIS, KPI, LOWER_IS_BETTER, MONEY_KPIS
from ui.layout import format_kpi_delta

NBSP = fr.NBSP


def test_kpi_value_by_kind():
    assert fr.kpi_value("spending_ttc", 12_345_678) == f"12,3{NBSP}M€"
    assert fr.kpi_value("peak_staff_overload", 2.46) == f"2,5{NBSP}ETP"
    assert fr.kpi_value("n_late", 1234) == f"1{NBSP}234"


def test_kpi_delta_thresholds_and_signs():
    # money: nil below 50 000 €, which would read 0,0 M€ anyway (hand-computed)
    assert fr.kpi_delta("anru_lost", 49_999.0) is None
    assert fr.kpi_delta("anru_lost", -49_999.0) is None
    assert fr.kpi_delta("anru_lost", 50_000.0) == f"+0,1{NBSP}M€"
    assert fr.kpi_delta("net_cost", -1_250_000.0) == f"-1,2{NBSP}M€"
    # staff: nil below 0,05 ETP
    assert fr.kpi_delta("peak_staff_overload", 0.049) is None
    assert fr.kpi_delta("peak_staff_overload", 0.25) == f"+0,2{NBSP}ETP"
    assert fr.kpi_delta("peak_staff_overload", -1.5) == f"-1,5{NBSP}ETP"
    # counts: any non-zero difference
    assert fr.kpi_delta("n_late", 0) is None
    assert fr.kpi_delta("n_late", 3) == "+3"
    assert fr.kpi_delta("n_late", -2) == "-2"


def test_kpi_judgement_follows_the_direction_of_each_figure():
    assert fr.kpi_judgement("anru_secured", 1e6) == 1
    assert fr.kpi_judgement("anru_lost", 1e6) == -1
    assert fr.kpi_judgement("n_late", -1) == 1
    assert fr.kpi_judgement("anru_lost", 10.0) == 0


@given(st.sampled_from(sorted(KPI)), st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_screens_and_exports_share_one_rule(key: str, delta: float):
    screen = format_kpi_delta(key, delta)
    assert screen == fr.kpi_delta(key, delta)
    printed = printed_delta(key, delta)
    if screen is None:
        assert printed == "="
        assert fr.kpi_judgement(key, delta) == 0
    else:
        assert printed == screen.replace("-", "\u2212", 1)
        worse = (delta > 0) == (key in LOWER_IS_BETTER)
        assert fr.kpi_judgement(key, delta) == (-1 if worse else 1)
    if key not in MONEY_KPIS and key not in FTE_KPIS and screen is not None:
        assert screen == fr.signed_count(int(delta))
