"""Exports of issue 11: the note's staffing paragraph, the workbook's recruitment sheet, and the
readiness note per neighbourhood."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from docx import Document

from exports import ExportContext, note_docx, workbook_xlsx
from exports.readiness_note import readiness_docx
from exports.workbook import SHEET_RECRUITMENTS
from simulation.readiness import readiness
from simulation.staffing import recommend
from store import load_scenario_file
from tests.test_exports import DEMO_SCENARIO_JSON

EDITION = date(2026, 3, 2)


@pytest.fixture(scope="module")
def ctx(demo_portfolio):
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    plan = [{"direction": "Sports", "fte": 1.0, "from": "2025-09", "to": "2027-12"}]
    scenario = type(reference).model_validate({**reference.model_dump(), "recruitments": plan})
    return ExportContext.build(demo_portfolio, scenario, None, edition_date=EDITION)


def test_note_says_which_teams_need_recruits_and_from_when(ctx):
    document = Document(io.BytesIO(note_docx(ctx, {})))
    texts = [p.text.replace("\u00a0", " ") for p in document.paragraphs]
    recommendations = recommend(ctx.result)
    assert recommendations and any(r.directorate == "Coordination NPNRU" for r in recommendations)
    heading = next(i for i, t in enumerate(texts) if t.endswith("Effectifs : recrutements recommandés"))
    for rec in recommendations:
        assert rec.sentence + "." in texts[heading:]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Équipe")
    assert len(table.rows) == len(recommendations) + 1
    settings = next(t for t in document.tables if t.rows[0].cells[0].text == "Réglage")
    values = {row.cells[0].text: row.cells[1].text for row in settings.rows}
    assert values["Maîtres d'ouvrage éligibles au FCTVA"] == "Ville, Métropole"


def test_workbook_recruitment_sheet(ctx):
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(ctx)))
    sheet = book[SHEET_RECRUITMENTS]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    recommendations = recommend(ctx.result)
    assert [(r[0], r[1]) for r in rows[: len(recommendations)]] == [(r.directorate, r.fte) for r in recommendations]
    assert rows[0][7] == recommendations[0].sentence
    title_row = len(recommendations) + 3  # rows after the table: a blank one, the block title, its header
    assert sheet.cell(row=title_row, column=1).value == "Plan de recrutement du scénario"
    plan = list(sheet.iter_rows(min_row=title_row + 2, values_only=True))
    assert plan[0][0] == "Sports" and plan[0][1] == 1.0 and plan[0][3].year == 2027


def test_readiness_note_per_neighbourhood(demo_portfolio):
    portfolio = demo_portfolio
    data = readiness_docx(portfolio, "AIRB", EDITION)
    assert readiness_docx(portfolio, "AIRB", EDITION) == data  # deterministic
    document = Document(io.BytesIO(data))
    texts = "\n".join(p.text for p in document.paragraphs)
    rows = [r for r in readiness(portfolio) if r.neighbourhood == "AIRB"]
    ready = [r for r in rows if r.ready]
    assert f"{len(ready)} opération(s) sur {len(rows)}" in texts
    for r in ready:
        assert f"{r.id} – " in texts
    pending = next(t for t in document.tables if t.rows[0].cells[0].text == "Opération")
    assert len(pending.rows) == len(rows) - len(ready) + 1
    first = next(r for r in rows if not r.ready)
    cells = [c.text for c in pending.rows[1].cells]
    assert cells[1] == first.directorate and cells[-1].replace("\u00a0", " ") == " ; ".join(first.missing)
    with pytest.raises(ValueError, match="quartier inconnu"):
        readiness_docx(portfolio, "NOPE", EDITION)
