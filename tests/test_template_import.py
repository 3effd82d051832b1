"""The import template: both separators, both decimal marks, XLSX, and all-or-nothing refusal."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from formats.cells import parse_number
from formats.files import load_neighbourhoods
from formats.write import export_operations
from simulation.import_columns import COLUMNS
from store import ImportRefused, load_portfolio

HEADER = ";".join(COLUMNS)
ROW_A = (
    "GS-1;AIRB;Groupe scolaire Air Bel;groupe_scolaire;reconstruction;Ville;Éducation;etudes;4500;16;"
    "10 500 000,50;2024;20;2025-03;6;18;6;24;1;;2 000 000;;500000;;;;;Seize classes"
)
ROW_B = (
    "CR-1;La Savine;Crèche de la Savine;creche;construction;ville;Petite enfance;intention;;60;"
    "1800000;2024;20;2025-06;3;12;4;14;2;GS-1;;;;;600000;;;"
)


def write(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "ops.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_semicolon_and_decimal_comma(tmp_path):
    portfolio = load_portfolio(write(tmp_path, ROW_A, ROW_B))
    a, b = portfolio.operations
    assert a.cost_ht == 10_500_000.5 and a.vat_rate == pytest.approx(0.20)
    assert a.funding == {"anru": 2_000_000.0, "region": 500_000.0}
    assert b.neighbourhood == "SAVI"  # official name accepted
    assert b.owner == "Ville" and b.depends_on == "GS-1" and b.area_m2 is None


def test_comma_separated_with_decimal_point(tmp_path):
    header = ",".join(COLUMNS)
    row = ROW_B.replace(";", ",").replace("1800000", "1800000.25").replace("GS-1", "")
    portfolio = load_portfolio(write(tmp_path, row, header=header))
    assert portfolio.operations[0].cost_ht == 1_800_000.25


def test_xlsx_with_real_numbers_and_dates(tmp_path):
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    cells = ROW_B.split(";")
    cells[COLUMNS.index("depend_de")] = None
    cells[COLUMNS.index("cout_ht")] = 1800000
    cells[COLUMNS.index("debut")] = datetime(2025, 6, 1)
    sheet.append([c if c != "" else None for c in cells])
    path = tmp_path / "ops.xlsx"
    book.save(path)
    op = load_portfolio(path).operations[0]
    assert op.start == "2025-06" and op.cost_ht == 1_800_000


def test_a_bad_file_is_refused_whole_with_every_problem(tmp_path):
    bad = ROW_A.replace("10 500 000,50", "-3").replace("groupe_scolaire", "piscine", 1)
    bad_b = ROW_B.replace("2025-06", "juin 2025").replace(";14;2;", ";0;2;")
    with pytest.raises(ImportRefused) as exc:
        load_portfolio(write(tmp_path, bad, bad_b))
    text = str(exc.value)
    assert "aucune donnée n'a été modifiée" in text
    assert "ligne 2, colonne type — valeur 'piscine' : valeur inconnue" in text
    assert "ligne 2, colonne cout_ht — valeur '-3' : doit être strictement supérieur à 0" in text
    assert "ligne 3, colonne debut — valeur 'juin 2025' : mois invalide" in text
    assert "ligne 3, colonne duree_travaux — valeur '0' : doit être supérieur ou égal à 1" in text
    issues = {(i.row, i.column) for i in exc.value.issues}
    assert issues == {(2, "type"), (2, "cout_ht"), (3, "debut"), (3, "duree_travaux")}


def test_missing_column_duplicate_id_and_unknown_dependency(tmp_path):
    header = HEADER.replace(";duree_travaux", "")
    row = ROW_A.replace(";24;1;", ";1;")
    with pytest.raises(ImportRefused, match="colonne duree_travaux : colonne obligatoire absente"):
        load_portfolio(write(tmp_path, row, header=header))
    with pytest.raises(
        ImportRefused, match="ligne 3, colonne id — valeur 'GS-1' : identifiant déjà utilisé à la ligne 2"
    ):
        load_portfolio(write(tmp_path, ROW_A, ROW_A))
    with pytest.raises(
        ImportRefused, match="ligne 2, colonne depend_de — valeur 'GS-1' : cette opération n'existe pas"
    ):
        load_portfolio(write(tmp_path, ROW_B))


def test_unknown_neighbourhood_and_missing_required_value(tmp_path):
    row = ROW_B.replace("La Savine", "Vieux-Port").replace(";Petite enfance;", ";;").replace("GS-1", "")
    with pytest.raises(ImportRefused) as exc:
        load_portfolio(write(tmp_path, row))
    text = str(exc.value)
    assert "ligne 2, colonne quartier — valeur 'Vieux-Port' : quartier inconnu" in text
    assert "ligne 2, colonne direction : valeur obligatoire manquante" in text


def test_windows_1252_is_read_and_utf16_refused_and_wrong_format(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\r\n" + ROW_B.replace("GS-1", "")).encode("cp1252"))
    assert load_portfolio(path).operations[0].title == "Crèche de la Savine"
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes((HEADER + "\n" + ROW_B).encode("utf-16"))
    with pytest.raises(ImportRefused, match="UTF-16"):
        load_portfolio(utf16)
    other = tmp_path / "ops.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(ImportRefused, match="format non reconnu"):
        load_portfolio(other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 234,5", 1234.5), ("1\u202f234", 1234), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("12", 12), ("", None)],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def test_export_then_import_round_trip_of_the_demo_portfolio(tmp_path):
    original = load_portfolio("data/operations.csv")
    csv_path, xlsx_path = export_operations(original, tmp_path)
    assert load_portfolio(csv_path) == original
    assert load_portfolio(xlsx_path) == original


def test_neighbourhoods_are_the_fourteen_official_ones():
    neighbourhoods = load_neighbourhoods()
    assert len(neighbourhoods) == 14
    assert sum(n.status == "PRIN" for n in neighbourhoods) == 9
    assert "Saint-Antoine / La Bricarde / La Castellane" in {n.name for n in neighbourhoods}


def test_start_month_written_the_french_way_is_accepted(tmp_path):
    row = ROW_B.replace("2025-06", "06/2025").replace("GS-1", "")
    assert load_portfolio(write(tmp_path, row)).operations[0].start == "2025-06"
