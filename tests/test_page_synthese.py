"""Synthèse page: renders on the demo store and follows the working scenario."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def test_synthese_renders_kpis_and_charts():
    at = open_page()
    assert_no_exception(at)
    assert at.title[0].value == "Synthèse"
    assert metric(at, "ANRU perdue (hors délai)").value.endswith("M€")
    assert len(at.get("vega_lite_chart")) == 2
    assert any("Jeu de démonstration" in c.value for c in at.caption)


def test_dropping_an_operation_shows_in_the_kpis():
    at = open_page()
    before = metric(at, "Opérations abandonnées").value
    scenario = working_scenario(at)
    set_working_scenario(at, scenario.with_choice("AIRB-01", keep=False))
    at.run()
    assert_no_exception(at)
    assert before == "0"
    assert metric(at, "Opérations abandonnées").value == "1"
    assert metric(at, "Opérations abandonnées").delta == "+1"
