"""Committee exports: open what was written and compare it with the engine's figures."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import pytest
from docx import Document
from PIL import Image

from exports import (
    ExportContext,
    chart_catalogue,
    chart_files,
    find_chart,
    note_docx,
    report_zip,
    summary_png,
    template_xlsx,
    workbook_xlsx,
    write_report,
)
from exports.note import KPI_TABLE_TITLE
from exports.text import french_date, kpi_delta, kpi_value, typography
from exports.workbook import SHEET_FUNDING, SHEET_OPERATIONS, SHEET_STAFF, SHEET_YEARLY
from simulation import Scenario, fr
from simulation.import_columns import COLUMNS
from simulation.labels import KPI
from simulation.settings_text import settings_summary
from store import load_portfolio, load_scenario_file
from store.paths import DEMO_SCENARIO_JSON

EDITION = date(2026, 3, 1)
NBSP = "\u00a0"


@pytest.fixture(scope="module")
def ctx(demo_portfolio):
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    future = [op.id for op in demo_portfolio.operations if op.start >= reference.reference_month]
    scenario = (
        reference.with_choice("AIRB-01", keep=False)
        .with_choice(future[0], shift_months=12)
        .with_choice(future[1], cost_factor=0.8)
        .model_copy(update={"name": "Sobriété", "rationale": "Tenir l'enveloppe de la Ville.", "parent": "Référence"})
    )
    return ExportContext.build(demo_portfolio, scenario, reference, edition_date=EDITION)


@pytest.fixture(scope="module")
def note_images(ctx):
    """Stand-in PNGs for the note's charts (rendering is tested on its own, and by the CLI test)."""
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PNG")
    return {chart.key: buffer.getvalue() for chart in chart_catalogue(ctx) if chart.in_note}


def png_size(data: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.size


def svg_size(svg: str) -> tuple[float, float]:
    head = svg[: svg.index(">")]
    width = re.search(r'width="([\d.]+)"', head)
    height = re.search(r'height="([\d.]+)"', head)
    assert width is not None and height is not None, head
    return float(width.group(1)), float(height.group(1))


# ------------------------------------------------------------------------------ texts


def test_french_date_and_typography():
    assert french_date(date(2026, 3, 1)) == f"1er{NBSP}mars{NBSP}2026"
    assert french_date(date(2027, 12, 24)) == f"24{NBSP}décembre{NBSP}2027"
    assert (
        typography("Actualisation : 3 % ; « Référence »") == f"Actualisation{NBSP}: 3 %{NBSP}; «{NBSP}Référence{NBSP}»"
    )
    assert kpi_delta("n_late", -3) == "\u22123"
    assert kpi_delta("anru_lost", 10.0) == "="


# ------------------------------------------------------------------------------ charts


def test_catalogue_has_the_app_charts_and_the_comparison(ctx):
    keys = [chart.key for chart in chart_catalogue(ctx)]
    for key in ["depenses_tous", "depenses_ville", "statut_quartiers", "comparaison_depenses", "charge_directions"]:
        assert key in keys
    assert "calendrier" in keys
    alone = ExportContext(portfolio=ctx.portfolio, result=ctx.result, edition_date=EDITION)
    assert "comparaison_depenses" not in [chart.key for chart in chart_catalogue(alone)]


def test_chart_png_is_twice_the_svg_and_carries_title_source_and_demo_mark(ctx):
    chart = find_chart(ctx, "depenses_ville")
    png, svg = chart_files(chart, ctx)
    width, height = svg_size(svg)
    assert png_size(png) == (round(width * 2), round(height * 2))
    assert width > 1000  # the spec's 1 000 px plot plus axes and legend
    text = svg.replace(NBSP, " ")
    assert "Crédits de paiement par année face à l&apos;enveloppe : Ville" in text or "enveloppe : Ville" in text
    assert "Scénario « Sobriété » comparé à « Référence » — édité le 1er mars 2026" in text
    assert "Données : jeu de démonstration" in text and "Jeu de démonstration" in text
    # French locale: the overrun labels use a decimal comma and M€.
    assert re.search(r"\+\d+,\d M€", text)


def test_the_spec_composed_directly_is_the_altair_composition_for_every_chart(ctx):
    """``chart_spec`` frames the chart on the spec (no Altair deep copies); same spec as Altair's."""
    import charts
    from exports.images import chart_spec, framed

    for chart in chart_catalogue(ctx):
        altair_spec = charts.finish(framed(chart.build(ctx), ctx, chart.title, chart.width), projector=False)
        assert chart_spec(chart, ctx) == altair_spec.to_dict(validate=False), chart.key


def test_chart_images_are_deterministic(ctx):
    chart = find_chart(ctx, "statut_quartiers")
    assert chart_files(chart, ctx) == chart_files(chart, ctx)


# ------------------------------------------------------------------------------ summary


def test_summary_is_a_1920_by_1080_png_and_deterministic(ctx):
    first = summary_png(ctx)
    assert png_size(first) == (1920, 1080)
    assert Image.open(io.BytesIO(first)).mode == "RGB"
    assert summary_png(ctx) == first


# ------------------------------------------------------------------------------ note


def table_with_header(document, first_cell: str):
    return next(t for t in document.tables if t.rows[0].cells[0].text == first_cell)


def test_note_has_the_kpi_table_with_the_engine_figures(ctx, note_images):
    document = Document(io.BytesIO(note_docx(ctx, note_images)))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Note au comité d'engagement" in texts
    assert f"Édité le {french_date(EDITION)}" in texts
    assert "Sobriété" in texts and "Jeu de démonstration" in texts
    assert KPI_TABLE_TITLE in texts
    table = table_with_header(document, "Indicateur")
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert len(rows) == len(KPI)
    mine, theirs = ctx.result.kpis, ctx.against.kpis
    for key, label in KPI.items():
        assert rows[label] == [
            kpi_value(key, mine[key]),
            kpi_value(key, theirs[key]),
            kpi_delta(key, mine[key] - theirs[key]),
        ]
    assert rows["Crédits de paiement TTC"][0] == fr.meuros(mine["spending_ttc"])
    assert NBSP + "M€" in rows["Crédits de paiement TTC"][0]
    assert rows["Opérations abandonnées"][2] == "+1"


def test_note_lists_changes_late_operations_settings_and_charts(ctx, note_images):
    document = Document(io.BytesIO(note_docx(ctx, note_images)))
    choices = table_with_header(document, "Opération")
    assert any(row.cells[0].text == "AIRB-01" and "abandonnée" in row.cells[2].text for row in choices.rows)
    late = next(t for t in document.tables if t.rows[0].cells[-1].text == "ANRU à risque")
    risky = ctx.result.operations[ctx.result.operations["status"] == "late"]
    assert len(late.rows) == len(risky) + 2  # header, one row each, total
    assert late.rows[-1].cells[-1].text == fr.euros(float(risky["anru_lost"].sum()))
    settings = table_with_header(document, "Réglage")
    values = {row.cells[0].text: row.cells[1].text for row in settings.rows}
    assert values["Actualisation"] == f"{fr.percent(ctx.scenario.escalation_rate)} par an"
    assert [row.cells[0].text for row in settings.rows][1:] == [label for label, _ in settings_summary(ctx.scenario)]
    assert "décembre" in values[f"Échéance d{chr(39)}engagement"]
    envelopes = table_with_header(document, "Maître d'ouvrage")
    assert envelopes.rows[1].cells[0].text == "Ville"
    assert len(document.inline_shapes) == len(note_images)


def test_note_is_deterministic_apart_from_the_date(ctx, note_images):
    first = note_docx(ctx, note_images)
    assert note_docx(ctx, note_images) == first
    later = ExportContext(
        portfolio=ctx.portfolio, result=ctx.result, against=ctx.against, edition_date=date(2026, 3, 2)
    )
    assert note_docx(later, note_images) != first


# ------------------------------------------------------------------------------ workbook


def test_workbook_holds_the_engine_numbers(ctx):
    data = workbook_xlsx(ctx)
    assert workbook_xlsx(ctx) == data
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[SHEET_OPERATIONS]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    ops = ctx.result.operations.set_index("operation_id")
    assert set(rows) == set(ops.index)
    for op_id, op in ops.iterrows():
        row = rows[op_id]
        assert row["CP TTC actualisés"] == pytest.approx(op["spending_ttc"], abs=1e-6)
        assert row["ANRU perdue (hors délai)"] == pytest.approx(op["anru_lost"], abs=1e-6)
        assert row["Coût net"] == pytest.approx(op["net_cost"], abs=1e-6)
    assert rows["AIRB-01"]["Retenue"] == "Non"
    money_cell = sheet.cell(row=2, column=header.index("CP TTC actualisés") + 1)
    assert (
        isinstance(money_cell.value, float) and "€" in money_cell.number_format and "#,##0" in money_cell.number_format
    )
    date_cell = sheet.cell(row=2, column=header.index("Début des travaux") + 1)
    assert date_cell.is_date

    yearly = book[SHEET_YEARLY]
    values = list(yearly.iter_rows(min_row=2, values_only=True))
    assert len(values) == len(ctx.result.yearly)
    assert sum(v[2] for v in values) == pytest.approx(ctx.result.yearly["spending_ttc"].sum())
    envelope_total = sum(v[3] for v in values if v[3] is not None)
    assert envelope_total == pytest.approx(ctx.result.yearly["envelope"].sum())
    funding = list(book[SHEET_FUNDING].iter_rows(min_row=2, values_only=True))
    assert sum(v[3] for v in funding) == pytest.approx(ctx.result.funding["amount"].sum())
    staff = list(book[SHEET_STAFF].iter_rows(min_row=2, values_only=True))
    assert max(v[2] for v in staff) == pytest.approx(ctx.result.staff["load_fte"].max())
    settings = {row[0]: row[1] for row in book["Réglages"].iter_rows(values_only=True)}
    assert settings["Actualisation"] == ctx.scenario.escalation_rate
    assert settings["Répartition du coût : travaux"] == ctx.scenario.phase_shares.works
    assert settings["Versement du FCTVA"] == "un an après"
    choices = [row[0] for row in book["Choix par opération"].iter_rows(min_row=2, values_only=True)]
    assert sorted(choices) == sorted(ctx.scenario.choices)
    kpis = {row[0]: row[1] for row in book["Indicateurs"].iter_rows(min_row=2, values_only=True)}
    assert kpis[KPI["anru_lost"]] == pytest.approx(ctx.result.kpis["anru_lost"])


# ------------------------------------------------------------------------------ template


def test_template_has_drop_down_lists_and_imports_once_filled(demo_portfolio, tmp_path):
    portfolio = demo_portfolio
    data = template_xlsx(portfolio.neighbourhoods)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "operations"
    sheet = book["operations"]
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS)
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v for v in sheet.data_validations.dataValidation}
    for column in ["type", "nature", "maitre_ouvrage", "maturite", "quartier"]:
        letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
        assert lists[letter].type == "list", column
        assert lists[letter].formula1.startswith("'listes'!")
    values = {value for row in book["listes"].iter_rows(min_row=2, values_only=True) for value in row if value}
    assert "groupe_scolaire" in values and "Air Bel" in values
    help_rows = {row[0]: row[2] for row in book["colonnes"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(help_rows) == set(COLUMNS)

    example = {
        "id": "TEST-01",
        "quartier": "Air Bel",
        "intitule": "Crèche test",
        "type": "creche",
        "nature": "construction",
        "maitre_ouvrage": "Ville",
        "direction": "Petite enfance",
        "maturite": "programme",
        "cout_ht": 2_000_000,
        "annee_prix": 2025,
        "debut": "2026-01",
        "duree_programmation": 3,
        "duree_conception": 12,
        "duree_consultation": 4,
        "duree_travaux": 18,
        "anru": 500_000,
    }
    for column, value in example.items():
        sheet.cell(row=2, column=header.index(column) + 1, value=value)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    loaded = load_portfolio(path)
    assert [op.id for op in loaded.operations] == ["TEST-01"]
    assert loaded.operations[0].neighbourhood == "AIRB"


# ------------------------------------------------------------------------------ report folder


def test_report_refuses_a_folder_it_cannot_write(ctx, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    with pytest.raises(OSError, match="impossible d'écrire le rapport"):
        write_report(ctx, blocker / "rapport")


def test_office_files_have_fixed_dates(ctx):
    archive = zipfile.ZipFile(io.BytesIO(workbook_xlsx(ctx)))
    assert {info.date_time[:3] for info in archive.infolist()} == {(2026, 3, 1)}
    assert b"2026-03-01T12:00:00Z" in archive.read("docProps/core.xml")


def test_report_zip_holds_the_report_folder_dated_with_the_edition_date(tmp_path):
    """The Exports page's zip is the CLI's folder, byte for byte, without a temporary folder."""

    from tests.factories import operation
    from tests.factories import portfolio as small_portfolio

    ops = small_portfolio(operation("A", funding={"anru": 100_000}), operation("B", start="2027-06"))
    small = ExportContext.build(
        ops, Scenario(), Scenario(name="Autre", escalation_rate=0.05), edition_date=date(2026, 3, 2)
    )
    written = write_report(small, tmp_path / "dossier")
    archive = zipfile.ZipFile(io.BytesIO(report_zip(small)))
    assert archive.namelist() == [path.name for path in written]
    for path in written:
        assert archive.read(path.name) == path.read_bytes(), path.name
    assert {info.date_time for info in archive.infolist()} == {(2026, 3, 2, 12, 0, 0)}
