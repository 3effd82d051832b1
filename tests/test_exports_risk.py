"""Exports of the risk draws: the fan chart (PNG/SVG), the « Risques » sheet, the note's paragraph."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from docx import Document
from PIL import Image

from exports import ExportContext, chart_catalogue, note_docx, workbook_xlsx
from exports.images import chart_files, find_chart
from exports.workbook import SHEET_RISK
from store import load_portfolio, load_scenario_file
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def ctx():
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    return ExportContext.build(portfolio, reference, None, risk_draws=200, risk_seed=3, edition_date=date(2026, 3, 1))


def test_without_draws_nothing_changes():
    portfolio = load_portfolio(DEMO_OPERATIONS_CSV)
    plain = ExportContext.build(portfolio, load_scenario_file(DEMO_SCENARIO_JSON), None, edition_date=date(2026, 3, 1))
    assert plain.risk is None
    assert "risques_cp" not in [c.key for c in chart_catalogue(plain)]
    assert SHEET_RISK not in openpyxl.load_workbook(io.BytesIO(workbook_xlsx(plain))).sheetnames


def test_fan_chart_exports_as_png_and_svg_with_its_title(ctx):
    chart = find_chart(ctx, "risques_cp")
    assert chart.in_note
    png, svg = chart_files(chart, ctx)
    assert Image.open(io.BytesIO(png)).size[0] > 1000
    text = svg.replace(NBSP, " ")
    assert "sous incertitude" in text and "200 tirages" in text
    assert "Médiane des tirages" in text and "Plan déterministe" in text


def test_workbook_risk_sheet_holds_the_engine_figures(ctx):
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(ctx)))
    sheet = book[SHEET_RISK]
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["Identifiant", "Intitulé", "Maturité", "P(engagement à temps)"]
    ops = ctx.risk.operations
    first = [c.value for c in sheet[3]]
    assert first[0] == ops["operation_id"].iloc[0]
    assert first[3] == pytest.approx(ops["p_commitment_on_time"].iloc[0])
    assert first[7] == pytest.approx(ops["cost_ttc_p90"].iloc[0])
    assert sheet.cell(row=3, column=4).number_format == "0.0 %"
    yearly_header_row = len(ops) + 4
    assert sheet.cell(row=yearly_header_row, column=4).value == "CP 1er décile"
    row = ctx.risk.yearly.iloc[0]
    assert sheet.cell(row=yearly_header_row + 1, column=4).value == pytest.approx(row["p10"])


def test_note_has_the_risk_paragraph_with_the_figures(ctx):
    images = {}
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    images = {chart.key: buffer.getvalue() for chart in chart_catalogue(ctx) if chart.in_note}
    document = Document(io.BytesIO(note_docx(ctx, images)))
    paragraph = next(p.text for p in document.paragraphs if p.text.startswith("Sous incertitude"))
    mean = ctx.risk.anru_lost["mean"] / 1e6
    assert f"{mean:.1f}".replace(".", ",") in paragraph
    assert "200 tirages" in paragraph.replace(NBSP, " ").replace("\u202f", " ")
    assert "Où agir d'abord" in paragraph
