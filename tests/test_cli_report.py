"""``python -m simulation report``: writes the whole committee folder, fails in French."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PIL import Image

from exports.note import KPI_TABLE_TITLE
from exports.text import kpi_value
from simulation import simulate
from store import load_portfolio, load_scenario_file
from tests.test_cli import ROOT, cli

CHART_KEYS = ["depenses_tous", "depenses_ville", "statut_quartiers", "charge_directions", "calendrier"]


def png_size(path: Path) -> tuple[int, int]:
    image = Image.open(path)
    image.load()
    return image.size


def svg_size(path: Path) -> tuple[float, float]:
    head = path.read_text(encoding="utf-8")[:400]
    width = re.search(r'width="([\d.]+)"', head)
    height = re.search(r'height="([\d.]+)"', head)
    assert width is not None and height is not None, head
    return float(width.group(1)), float(height.group(1))


def test_report_from_the_store_against_the_reference(tmp_path):
    reference = load_scenario_file(ROOT / "data/scenario_reference.json")
    scenario = reference.with_choice("AIRB-01", keep=False).model_copy(update={"name": "Sans AIRB-01"})
    scenario_file = tmp_path / "sans.json"
    scenario_file.write_text(scenario.model_dump_json(), encoding="utf-8")
    out = tmp_path / "rapport" / "comite"  # created, parents included
    run = cli(
        "report", "--scenario", str(scenario_file), "--out", str(out), "--date", "2026-03-01", db=tmp_path / "db.duckdb"
    )
    assert run.returncode == 0, run.stderr
    written = {Path(line).name for line in run.stdout.splitlines()}
    expected = {"synthese.png", "note.docx", "tableaux.xlsx", "comparaison_depenses.png"}
    expected |= {f"{key}.{ext}" for key in CHART_KEYS for ext in ("png", "svg")}
    assert expected <= written
    assert written == {p.name for p in out.iterdir()}

    assert png_size(out / "synthese.png") == (1920, 1080)
    for png in out.glob("*.png"):
        if png.name != "synthese.png":
            width, height = svg_size(png.with_suffix(".svg"))
            assert png_size(png) == (round(width * 2), round(height * 2)), png.name

    expected_result = simulate(load_portfolio(ROOT / "data/operations.csv"), scenario)
    document = Document(io.BytesIO((out / "note.docx").read_bytes()))
    assert KPI_TABLE_TITLE in "\n".join(p.text for p in document.paragraphs)
    kpis = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicateur")
    shown = {row.cells[0].text: row.cells[1].text for row in kpis.rows[1:]}
    assert shown["Opérations abandonnées"] == "1"
    assert shown["Crédits de paiement TTC"] == kpi_value("spending_ttc", expected_result.kpis["spending_ttc"])
    assert len(document.inline_shapes) >= 4

    book = openpyxl.load_workbook(out / "tableaux.xlsx")
    values = [row[3] for row in book["Indicateurs"].iter_rows(min_row=2, values_only=True)]
    assert isinstance(values[0], int | float)
    yearly = list(book["CP par année"].iter_rows(min_row=2, values_only=True))
    assert sum(r[2] for r in yearly) == pytest.approx(expected_result.yearly["spending_ttc"].sum())


def test_report_on_files_only(tmp_path):
    out = tmp_path / "fichiers"
    run = cli(
        "report",
        "--operations",
        "data/operations.csv",
        "--scenario",
        "data/scenario_reference.json",
        "--out",
        str(out),
    )
    assert run.returncode == 0, run.stderr
    assert (out / "synthese.png").exists() and (out / "note.docx").exists() and (out / "tableaux.xlsx").exists()
    assert not (out / "comparaison_depenses.png").exists()  # nothing to compare with without --against


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "--scenario", "Inconnu", "--out", "{tmp}/r"), "Aucun scénario nommé « Inconnu »"),
        (
            ("report", "--scenario", "Référence", "--against", "Autre", "--out", "{tmp}/r"),
            "Aucun scénario nommé « Autre »",
        ),
        (("report", "--scenario", "Référence", "--out", "{tmp}/bloc/r"), "impossible d'écrire le rapport"),
        (("report", "--scenario", "Référence", "--out", "{tmp}/r", "--date", "hier"), "date d'édition invalide"),
        (("report", "--scenario", "Référence"), "arguments obligatoires manquants"),
    ],
)
def test_report_errors_are_french_without_traceback(tmp_path, args, message):
    (tmp_path / "bloc").write_text("un fichier, pas un dossier")
    run = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], db=tmp_path / "db.duckdb")
    assert run.returncode != 0
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "r").exists()
