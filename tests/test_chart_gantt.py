"""The Gantt builder: rows, deadline rules, late marks, filters; and the capacity charts compile."""

from __future__ import annotations

import vl_convert as vlc

import charts
from simulation import Scenario, simulate
from tests.factories import operation, portfolio

OPS = portfolio(
    operation("OK", start="2025-01", programming_months=2, design_months=3, tendering_months=1, works_months=12),
    operation("LATE", neighbourhood="SAVI", directorate="Sports", start="2027-03", works_months=12),
    operation("GONE", start="2025-01", works_months=12),
)
SCENARIO = Scenario().with_choice("GONE", keep=False)


def layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


def test_rows_are_group_headers_then_kept_operations():
    result = simulate(OPS, SCENARIO)
    y = layers(charts.gantt(result, OPS))[1]["encoding"]["y"]
    assert y["scale"]["domain"] == [
        "Air Bel (1 opération)",
        "OK – Opération OK",
        "La Savine (1 opération)",
        "LATE – Opération LATE",
    ]
    by_directorate = layers(charts.gantt(result, OPS, group_by="directorate"))[1]["encoding"]["y"]
    assert by_directorate["scale"]["domain"][0] == "Éducation (1 opération)"
    assert by_directorate["scale"]["domain"][2] == "Sports (1 opération)"


def test_phase_bars_cover_their_months_and_deadlines_fall_at_the_end_of_their_month():
    result = simulate(OPS, SCENARIO)
    chart = charts.gantt(result, OPS)
    spec = chart.to_dict()
    bars = spec["datasets"][spec["layer"][1]["data"]["name"]]
    ok = {b["phase"]: (b["start"][:7], b["end"][:7], b["au"]) for b in bars if b["operation"].startswith("OK")}
    assert ok == {
        "Programmation": ("2025-01", "2025-03", "février 2025"),
        "Conception": ("2025-03", "2025-06", "mai 2025"),
        "Consultation": ("2025-06", "2025-07", "juin 2025"),
        "Travaux": ("2025-07", "2026-07", "juin 2026"),  # the bar ends where the next month starts
    }
    marks = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert [m["date"][:10] for m in marks] == ["2025-01-01", "2027-01-01", "2031-01-01"]


def test_late_operations_are_marked_and_filters_apply():
    result = simulate(OPS, SCENARIO)
    spec = charts.gantt(result, OPS).to_dict()
    late_layer = spec["layer"][-1]
    assert late_layer["mark"]["text"] == "● en retard"
    late_rows = spec["datasets"][late_layer["data"]["name"]]
    assert [r["operation"] for r in late_rows] == ["LATE – Opération LATE"]
    assert "LATE – Opération LATE" in spec["layer"][1]["encoding"]["y"]["axis"]["labelColor"]["expr"]

    only_ok = charts.gantt(result, OPS, operation_ids=["OK"]).to_dict()
    assert only_ok["layer"][1]["encoding"]["y"]["scale"]["domain"] == ["Air Bel (1 opération)", "OK – Opération OK"]
    assert not result.operations["kept"].all()  # the shared Result was not modified
    assert result.operations["kept"].tolist() == [True, True, False]


def test_capacity_charts_compile_to_svg():
    result = simulate(OPS, SCENARIO.model_copy(update={"headcount": {"Éducation": 0.3}}))
    for chart in (
        charts.gantt(result, OPS, projector=True),
        charts.staff_heatmap(result, projector=True),
        charts.staff_lines(result, "Éducation"),
        charts.owner_envelopes(result, "Ville"),
    ):
        svg = vlc.vegalite_to_svg(charts.finish(chart.properties(width=800)).to_dict())
        assert svg.startswith("<svg")
