"""The drift since a milestone in the committee workbook and note (exports receive the data)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from docx import Document

from exports import ExportContext, note_docx, workbook_xlsx
from simulation.drift import drift
from store import load_portfolio, load_scenario_file


def _context() -> ExportContext:
    portfolio = load_portfolio("data/operations.csv")
    before = portfolio.operations
    op = portfolio.by_id["CNSM-02"]
    changed = op.model_copy(update={"cost_ht": op.cost_ht + 2_000_000, "design_months": op.design_months + 6})
    after = tuple(changed if o.id == op.id else o for o in before)
    reference = load_scenario_file("data/scenario_reference.json")
    return ExportContext.build(
        portfolio.model_copy(update={"operations": after}),
        reference,
        None,
        edition_date=date(2027, 3, 1),
        drift=drift(before, after),
        milestone="Comité d'engagement – mars 2027",
    )


def test_workbook_has_a_drift_sheet_with_the_moved_operation():
    ctx = _context()
    book = openpyxl.load_workbook(io.BytesIO(workbook_xlsx(ctx)))
    sheet = book["Dérive depuis le jalon"]
    header = [c.value for c in sheet[4]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True)}
    row = rows["CNSM-02"]
    assert row["Statut"] == "modifiée"
    assert row["Coût HT aujourd'hui"] - row["Coût HT au jalon"] == 2_000_000
    assert row["Glissement des travaux (mois)"] == 6
    assert "modifiées : 1" in sheet["A2"].value
    assert len(rows) == len(ctx.portfolio.operations)


def test_note_has_a_stabilisation_paragraph():
    text = "\n".join(p.text for p in Document(io.BytesIO(note_docx(_context(), {}))).paragraphs)
    assert "Stabilisation depuis le jalon «\u00a0Comité d'engagement – mars 2027\u00a0»" in text
    assert "1 opération(s) ont été modifiée(s)" in text and "+2,0\u00a0M€" in text and "au plus 6 mois" in text


def test_without_a_milestone_nothing_changes():
    ctx = _context()
    plain = ExportContext(portfolio=ctx.portfolio, result=ctx.result, edition_date=ctx.edition_date)
    assert "Dérive depuis le jalon" not in openpyxl.load_workbook(io.BytesIO(workbook_xlsx(plain))).sheetnames
