"""The Gantt: its frame builder (rows, bars, deadline marks, pages), its encoder; the capacity charts compile."""

from __future__ import annotations

import pandas as pd
import vl_convert as vlc
from hypothesis import given, settings
from hypothesis import strategies as st

import charts
from charts.calendar import LATE_MARK, MARK_SLOTS
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
    frames = charts.gantt_frames(result, OPS)
    assert frames.order == [
        *MARK_SLOTS,  # one blank row per deadline label, above the operations
        "Air Bel (1 opération)",
        "OK – Opération OK",
        "La Savine (1 opération)",
        "● LATE – Opération LATE",
    ]
    assert frames.headers == ["Air Bel (1 opération)", "La Savine (1 opération)"]
    y = layers(charts.gantt(result, OPS))[1]["encoding"]["y"]
    assert y["scale"]["domain"] == frames.order
    by_directorate = charts.gantt_frames(result, OPS, group_by="directorate").order[len(MARK_SLOTS) :]
    assert by_directorate[0] == "Éducation (1 opération)"
    assert by_directorate[2] == "Sports (1 opération)"


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


def test_late_operations_are_marked_in_the_label_column_and_filters_apply():
    result = simulate(OPS, SCENARIO)
    frames = charts.gantt_frames(result, OPS)
    assert frames.late_labels == [LATE_MARK + "LATE – Opération LATE"]
    assert frames.bars.loc[frames.bars["late"], "operation"].unique().tolist() == frames.late_labels
    spec = charts.gantt(result, OPS).to_dict()
    assert "● LATE – Opération LATE" in spec["layer"][1]["encoding"]["y"]["axis"]["labelColor"]["expr"]
    assert all(layer["mark"].get("text") != "● en retard" for layer in spec["layer"])  # nothing over the timeline

    only_ok = charts.gantt_frames(result, OPS, operation_ids=["OK"])
    assert only_ok.order[len(MARK_SLOTS) :] == ["Air Bel (1 opération)", "OK – Opération OK"]
    assert not result.operations["kept"].all()  # the shared Result was not modified
    assert result.operations["kept"].tolist() == [True, True, False]


def test_deadline_labels_each_have_a_row_of_their_own():
    result = simulate(OPS, SCENARIO.model_copy(update={"commitment_deadline": "2025-02"}))  # right after the reference
    frames = charts.gantt_frames(result, OPS)
    assert frames.marks["label"].tolist() == ["Référence", "Engagement", "Achèvement"]
    assert frames.marks["slot"].tolist() == list(MARK_SLOTS)  # three distinct rows: no collision
    assert set(frames.marks["slot"]).isdisjoint(frames.bars["operation"])  # and no bar in them
    assert frames.first == min(frames.bars["start"].min(), frames.marks["date"].min())


def test_labels_are_cut_at_the_limit():
    long = portfolio(operation("X", title="É" * 200))
    label = charts.gantt_frames(simulate(long, Scenario()), long, label_limit=20).order[-1]
    assert len(label) == 20 and label.endswith("…")


def test_calendar_pages_cut_a_long_group_by_hand():
    many = portfolio(
        *(operation(f"A{i:02d}", start="2025-01") for i in range(1, 18)), operation("S1", neighbourhood="SAVI")
    )
    result = simulate(many, Scenario())
    pages = charts.calendar_pages(result, many, max_rows=15)
    assert [title for title, _ in pages] == [
        "Air Bel (opérations 1 à 15 sur 17)",
        "Air Bel (opérations 16 à 17 sur 17)",
        "La Savine (1 opération)",
    ]
    assert pages[0][1] == [f"A{i:02d}" for i in range(1, 16)]
    assert pages[2][1] == ["S1"]


@settings(max_examples=30, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=20), min_size=3, max_size=3),
    max_rows=st.integers(min_value=1, max_value=16),
)
def test_calendar_pages_cover_each_kept_operation_once_in_calendar_order(sizes, max_rows):
    codes = ["AIRB", "SAVI", "MAUR"]
    ops = [
        operation(f"{code}{i:02d}", neighbourhood=code) for code, n in zip(codes, sizes, strict=True) for i in range(n)
    ]
    if not ops:
        return
    book = portfolio(*ops)
    result = simulate(book, Scenario())
    pages = charts.calendar_pages(result, book, max_rows=max_rows)
    assert all(0 < len(ids) <= max_rows for _, ids in pages)
    flat = [op for _, ids in pages for op in ids]
    calendar_rows = [r for r in charts.gantt_frames(result, book).order if " – " in r]
    assert [r.split(" – ")[0].removeprefix(LATE_MARK) for r in calendar_rows] == flat
    assert sorted(flat) == sorted(op.id for op in ops)


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


def test_late_operations_come_first_in_their_group_and_every_view_shares_one_time_scale():
    """Issue 20: late operations came last (below a projector's screen), and the time axis changed
    from one view to the next (2019–2031, then 2023–2031)."""
    early = operation("EARLY", start="2020-01", works_months=12)
    late = operation("LATE", start="2026-06", programming_months=6, design_months=6, works_months=12)
    middle = operation("MID", start="2024-01", works_months=12)
    book = portfolio(early, late, middle)
    result = simulate(book, Scenario(reference_month="2025-01"))
    assert result.operations.set_index("operation_id").loc["LATE", "status"] == "late"
    rows = [r for r in charts.gantt_frames(result, book).order if " – " in r]
    assert [r.split(" – ")[0].lstrip("● ") for r in rows] == ["LATE", "EARLY", "MID"]
    whole = charts.gantt_frames(result, book)
    for ids in (["MID"], ["LATE"], ["EARLY", "MID"]):
        view = charts.gantt_frames(result, book, operation_ids=ids)
        assert (view.first, view.last) == (whole.first, whole.last)
    assert whole.first == pd.Timestamp("2020-01-01")
