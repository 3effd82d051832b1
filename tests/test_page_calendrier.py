"""Calendrier page: the Gantt of the scenario in use, its grouping and filters, the late table."""

from __future__ import annotations

import json

import pytest

from charts.calendar import LATE_MARK, MARK_SLOTS
from tests.apptest_support import assert_no_exception, open_page, open_projector, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def gantt_rows(at) -> list[str]:
    """The chart's rows (group headers and operations, late mark removed), from the y scale's domain."""
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    for layer in spec["layer"]:
        y = layer.get("encoding", {}).get("y", {})
        if "scale" in y:
            return [r.removeprefix(LATE_MARK) for r in y["scale"]["domain"] if r not in MARK_SLOTS]
    raise AssertionError("no y domain in the Gantt")


def test_calendrier_renders_the_gantt_and_the_late_table():
    at = open_page("calendrier")
    assert_no_exception(at)
    assert at.title[0].value == "Calendrier"
    assert any("Jeu de démonstration" in c.value for c in at.caption)
    rows = gantt_rows(at)
    assert "Air Bel (10 opérations)" in rows  # group header
    assert any(r.startswith("AIRB-01 – ") for r in rows)
    late = at.dataframe[0].value
    assert list(late.columns)[:3] == ["Opération", "Intitulé", "Quartier"]
    assert len(late) > 0
    assert late["ANRU perdue"].str.endswith("€").all()
    assert any(" en retard" in m.value for m in at.markdown)


def test_grouping_by_directorate_changes_the_headers():
    at = open_page("calendrier")
    at.button_group(key="calendrier_group").set_value("directorate").run()
    assert_no_exception(at)
    rows = gantt_rows(at)
    assert any(r.startswith("Éducation (") for r in rows)
    assert "Air Bel (10 opérations)" not in rows


def test_late_only_filter_keeps_only_late_operations():
    at = open_page("calendrier")
    late_ids = set(at.dataframe[0].value["Opération"])
    at.button_group(key="calendrier_statut").set_value("late").run()
    assert_no_exception(at)
    shown = {r.split(" – ")[0] for r in gantt_rows(at) if " – " in r}
    assert shown == late_ids


def test_neighbourhood_filter_and_a_filter_with_no_operation():
    at = open_page("calendrier")
    at.multiselect(key="calendrier_quartiers").set_value(["AIRB"]).run()
    assert_no_exception(at)
    rows = gantt_rows(at)
    assert rows[0] == "Air Bel (10 opérations)"
    assert all(r.startswith("AIRB-") for r in rows[1:])
    assert set(at.dataframe[0].value["Quartier"]) == {"Air Bel"}

    # Air Bel has no Culture operation: a clear message instead of an empty chart.
    at.multiselect(key="calendrier_directions").set_value(["Culture"]).run()
    assert_no_exception(at)
    assert not at.get("vega_lite_chart")
    assert any("Aucune opération" in i.value for i in at.info)


def test_dropping_a_late_operation_removes_it_from_the_chart_and_table():
    at = open_page("calendrier")
    assert "AIRB-07" in set(at.dataframe[0].value["Opération"])
    set_working_scenario(at, working_scenario(at).with_choice("AIRB-07", keep=False))
    at.run()
    assert_no_exception(at)
    assert "AIRB-07" not in set(at.dataframe[0].value["Opération"])
    assert not any(r.startswith("AIRB-07") for r in gantt_rows(at))


def test_projector_mode_renders():
    at = open_projector("calendrier")
    assert len(at.table) == 1  # the late table follows the projector's large type
    rows = gantt_rows(at)
    assert rows[0] == "Air Bel (10 opérations)"  # one neighbourhood at a time
    assert 1 <= len([r for r in rows if " – " in r]) <= 15
    view = at.selectbox(key="calendrier_vue")
    assert view.value == "Air Bel (10 opérations)"
    at.button[1].click().run()  # "Suivant"
    assert_no_exception(at)
    assert at.selectbox(key="calendrier_vue").value == view.options[1]
    assert gantt_rows(at)[0] == view.options[1]
    # every view holds at most 15 operations, and together they hold every kept operation once
    seen: list[str] = []
    for title in view.options:
        at.selectbox(key="calendrier_vue").set_value(title).run()
        ops = [r.split(" – ")[0] for r in gantt_rows(at) if " – " in r]
        assert len(ops) <= 15
        seen += ops
    assert len(seen) == len(set(seen)) > 100
