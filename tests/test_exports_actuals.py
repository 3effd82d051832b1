"""Exports with the accounts (issue 19): the workbook's actuals sheet and the note's paragraph."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from docx import Document

from exports import ExportContext, note_docx, workbook_xlsx
from exports.workbook import SHEET_ACTUALS
from formats.actuals import with_demo_accounts
from simulation import fr
from store import load_portfolio, load_scenario_file
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON


@pytest.fixture(scope="module")
def ctx():
    portfolio = with_demo_accounts(load_portfolio(DEMO_OPERATIONS_CSV))
    scenario = load_scenario_file(DEMO_SCENARIO_JSON)
    return ExportContext.build(portfolio, scenario, scenario, edition_date=date(2026, 3, 1))


def test_workbook_has_an_actuals_sheet_with_the_accounts_and_the_plan(ctx):
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(ctx)))
    sheet = book[SHEET_ACTUALS]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(ctx.portfolio.actuals)
    first = ctx.portfolio.actuals[0]
    row = next(r for r in rows if r["Opération"] == first.operation_id and r["Année"] == first.year)
    assert row["CP mandatés TTC"] == pytest.approx(first.mandate_ttc)
    assert row["CP du scénario"] == pytest.approx(first.mandate_ttc)  # a closed year is what was paid
    years = ctx.result.operation_years
    mine = years[(years["operation_id"] == first.operation_id) & (years["year"] == first.year)]
    assert row["Prévu (plan)"] == pytest.approx(float(mine["planned_ttc"].iloc[0]))
    assert all(not str(c.value).startswith("=") for r in sheet.iter_rows() for c in r if c.value is not None)


def test_note_has_a_paragraph_on_the_accounts(ctx):
    text = "\n".join(p.text for p in Document(io.BytesIO(note_docx(ctx, {}))).paragraphs)
    kpis = ctx.result.kpis
    assert "Le réalisé" in text
    assert fr.meuros(kpis["paid_ttc"]) in text and fr.meuros(kpis["remaining_ttc"]) in text
    assert "(2023, 2024)" in text
    assert "autorisations de programme à réviser" in text or "autorisation de programme à réviser" in text
