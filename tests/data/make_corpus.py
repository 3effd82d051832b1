"""Write the corpus of nasty import files (issue 9) into ``tests/data/corpus/``.

    .venv/bin/python tests/data/make_corpus.py [DOSSIER]

Each file is listed in ``CASES`` with what must happen to it: accepted (and read back with
the same values), or refused with a French reason containing a given fragment. The files are
small on disk; the bombs are small too, and only unpack (or pretend to unpack) into the large.
``tests/test_hostile_files.py`` rebuilds the corpus in a temporary folder and checks every case
through the store, and a few of them through the command line.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from formats.cells import column_letter  # noqa: E402
from simulation.import_columns import COLUMNS  # noqa: E402

HERE = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    refused: str | None  # a fragment of the French reason, or None when the file is accepted
    what: str


def row(**changes: str) -> dict[str, str]:
    """A valid operation (Air Bel school), with some cells changed."""
    base = {
        "id": "AB-01",
        "quartier": "AIRB",
        "intitule": "Groupe scolaire Air Bel – réhabilitation",
        "type": "groupe_scolaire",
        "nature": "rehabilitation",
        "maitre_ouvrage": "Ville",
        "direction": "Éducation",
        "maturite": "etudes",
        "surface_m2": "4500",
        "capacite": "16",
        "cout_ht": "10 500 000,50",
        "annee_prix": "2024",
        "taux_tva": "20",
        "debut": "2025-03",
        "duree_programmation": "6",
        "duree_conception": "18",
        "duree_consultation": "6",
        "duree_travaux": "24",
        "priorite": "1",
        "depend_de": "",
        "anru": "2 000 000",
        "etat": "",
        "region": "500000",
        "departement": "",
        "caf": "",
        "metropole": "",
        "autres": "",
        "programme": "Seize classes, restauration scolaire, cour végétalisée",
    }
    base.update(changes)
    return base


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    sep: str = ";",
    newline: str = "\r\n",
    encoding: str = "utf-8",
    bom: bool = False,
    header: list[str] | None = None,
) -> bytes:
    header = header or list(COLUMNS)

    def quote(cell: str) -> str:
        if any(c in cell for c in (sep, '"', "\n", "\r")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    lines = [sep.join(header)]
    lines += [sep.join(quote(r.get(h, "")) for h in header) for r in rows]
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# ------------------------------------------------------------------ minimal workbooks, by hand

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="operations" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def _sheet_rows(rows: list[list[str]], first: int = 1) -> str:
    out = []
    for r, cells in enumerate(rows, start=first):
        xml = "".join(
            f'<c r="{column_letter(c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(cells)
            if v != ""
        )
        out.append(f'<row r="{r}">{xml}</row>')
    return "".join(out)


def xlsx_bytes(
    sheet_data: str,
    *,
    dimension: str | None = None,
    shared_strings: str = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    doctype: str = "",
) -> bytes:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + doctype
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", shared_strings),
        ):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


def table(*rows: dict[str, str]) -> list[list[str]]:
    return [list(COLUMNS)] + [[r.get(c, "") for c in COLUMNS] for r in rows]


def billion_laughs() -> bytes:
    """Nested entities that would expand to gigabytes if resolved."""
    entities = '<!ENTITY lol "lolololololololololol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return xlsx_bytes(cells, doctype=f"<!DOCTYPE lolz [{entities}]>")


def external_entity() -> bytes:
    """An entity reading a local file into a cell (XXE): never resolved."""
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>id&xxe;</t></is></c></row>'
    return xlsx_bytes(cells, doctype='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>')


def shared_strings_bomb() -> bytes:
    """1,5 Mo on disk; 40 Mo of shared strings (a million short strings) once unpacked."""
    strings = "<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>" * 1_000_000
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    return xlsx_bytes(_sheet_rows(table(row())), shared_strings=sst)


def unzip_bomb() -> bytes:
    """A sheet that unpacks to ~150 Mo of empty rows (over the 100 Mo cap)."""
    filler = "<row/>" * 25_000_000
    return xlsx_bytes(_sheet_rows(table(row())) + filler)


def repeated_row_number(number: str, times: int = 1_000_000) -> bytes:
    """A header, then ``times`` rows all numbered ``number`` (issue 22: 115 ko that took 2 Go
    while the row limit counted row numbers, not rows)."""
    return xlsx_bytes(_sheet_rows([list(COLUMNS)]) + f'<row r="{number}"><c r="A2"><v>1</v></c></row>' * times)


def numeric_cell(column: str, digits: str) -> bytes:
    """A valid row whose ``column`` is a number cell (``<v>``) written ``digits``."""
    cells = table(row(**{column: ""}))
    index = list(COLUMNS).index(column)
    xml = _sheet_rows(cells).replace('<row r="2">', f'<row r="2"><c r="{column_letter(index)}2"><v>{digits}</v></c>', 1)
    return xlsx_bytes(xml)


# ------------------------------------------------------------------ the cases

ACCENTS = row(id="CR-01", intitule="Crèche « Les Lilas » – extension", direction="Petite enfance", type="creche")

CASES: list[Case] = [
    Case(
        "excel_fr_cp1252_semicolon_crlf.csv",
        lambda: csv_bytes([ACCENTS], encoding="cp1252"),
        None,
        "CSV de l'Excel français : Windows-1252, « ; », CRLF, virgule décimale",
    ),
    Case(
        "utf8_bom_comma_lf.csv",
        lambda: csv_bytes([row(cout_ht="10500000.5", anru="2000000")], sep=",", newline="\n", bom=True),
        None,
        "UTF-8 avec BOM, « , », LF, point décimal",
    ),
    Case("utf8_semicolon_crlf.csv", lambda: csv_bytes([ACCENTS]), None, "UTF-8 sans BOM"),
    Case(
        "utf16.csv",
        lambda: "\r\n".join([";".join(COLUMNS), ";".join(row().values())]).encode("utf-16"),
        "UTF-16",
        "Unicode texte (UTF-16) d'Excel",
    ),
    Case(
        "mixed_encodings.csv",
        lambda: csv_bytes([ACCENTS]) + "AB-02;AIRB;Déjà vu".encode("cp1252"),
        "encodage mélangé",
        "UTF-8 puis Windows-1252 dans le même fichier",
    ),
    Case("binary.csv", lambda: bytes(range(256)) * 8, "ni en UTF-8 ni en Windows-1252", "octets quelconques"),
    Case("empty.csv", lambda: b"", "vide", "fichier vide"),
    Case("header_only.csv", lambda: csv_bytes([]), "aucune opération", "en-tête seul"),
    Case(
        "formulas.csv",
        lambda: csv_bytes(
            [
                row(id="F-1", intitule='=HYPERLINK("http://x","clic")', programme="=1+1"),
                row(id="F-2", intitule="+33 4 91 00 00 00", programme="@SUM(A1:A9)"),
                row(id="F-3", intitule="-10 % de surface", programme="\t=cmd|' /C calc'!A0"),
            ]
        ),
        None,
        "formules et injection CSV dans les textes : acceptées comme texte",
    ),
    Case(
        "markdown_programme.csv",
        lambda: csv_bytes([row(programme="![x](http://example.invalid/pixel.png) **gras** :red[rouge] $x$")]),
        None,
        "Markdown dans le programme : accepté, affiché comme texte",
    ),
    Case("cost_1e308.csv", lambda: csv_bytes([row(cout_ht="1e308")]), "coût invraisemblable", "1e308 €"),
    Case("cost_1e24.csv", lambda: csv_bytes([row(cout_ht="1e24")]), "coût invraisemblable", "1e24 €"),
    Case("cost_zero.csv", lambda: csv_bytes([row(cout_ht="0", anru="", region="")]), "strictement", "coût nul"),
    Case("start_0000.csv", lambda: csv_bytes([row(debut="0000-01")]), "invraisemblable", "début en l'an 0"),
    Case("start_9999.csv", lambda: csv_bytes([row(debut="9999-12")]), "invraisemblable", "début en 9999"),
    Case("duration_999.csv", lambda: csv_bytes([row(duree_travaux="999")]), "240", "travaux de 999 mois"),
    Case("thousands_point.csv", lambda: csv_bytes([row(cout_ht="1.234")]), "ambigu", "« 1.234 » en français"),
    Case("vat_fraction.csv", lambda: csv_bytes([row(taux_tva="0,2")]), "vouliez-vous dire 20 %", "TVA 0,2"),
    Case("vat_50.csv", lambda: csv_bytes([row(taux_tva="50")]), "30 %", "TVA 50 %"),
    Case(
        "funding_over_cost.csv",
        lambda: csv_bytes([row(anru="99 000 000")]),
        "dépassent le coût TTC",
        "financements au-delà du coût",
    ),
    Case(
        "misspelled_columns.csv",
        lambda: csv_bytes(
            [{**row(), "dependance": "", "subvention_anru": "500000"}],
            header=[c for c in COLUMNS if c not in ("depend_de", "anru")] + ["dependance", "subvention_anru"],
        ),
        "vouliez-vous dire « anru »",
        "colonnes mal orthographiées",
    ),
    Case(
        "duplicated_column.csv",
        lambda: csv_bytes([row()], header=[*COLUMNS, "anru"]),
        "colonne en double",
        "colonne anru deux fois",
    ),
    Case("long_title.csv", lambda: csv_bytes([row(intitule="é" * 201)]), "trop long", "intitulé de 201 caractères"),
    Case(
        "long_programme.csv",
        lambda: csv_bytes([row(programme="x" * 10_001)]),
        "trop long",
        "programme de 10 001 caractères",
    ),
    Case(
        "huge_cell.csv",
        lambda: csv_bytes([row(programme="x" * 200_000)]),
        "cellule trop longue",
        "cellule de 200 000 caractères (au-delà de la limite du lecteur CSV)",
    ),
    Case(
        "cycle.csv",
        lambda: csv_bytes([row(id="A", depend_de="B"), row(id="B", depend_de="A")]),
        "circulaires",
        "dépendances en boucle",
    ),
    Case("self_dependency.csv", lambda: csv_bytes([row(depend_de="AB-01")]), "elle-même", "dépend d'elle-même"),
    Case("control_char.csv", lambda: csv_bytes([row(intitule="École\x00")]), "contrôle", "caractère nul"),
    Case(
        "too_many_rows.csv",
        lambda: csv_bytes([{"id": f"R-{i}"} for i in range(10_000)]),
        "trop de lignes",
        "10 001 lignes",
    ),
    Case(
        "too_many_columns.csv",
        lambda: csv_bytes([row()], header=[*COLUMNS, *(f"x{i}" for i in range(100))]),
        "trop de colonnes",
        "128 colonnes",
    ),
    Case("ok.xlsx", lambda: xlsx_bytes(_sheet_rows(table(ACCENTS))), None, "classeur minimal valide"),
    Case(
        "row_2000000000.xlsx",
        lambda: xlsx_bytes(_sheet_rows(table(row())) + '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'),
        "trop de lignes",
        "un numéro de ligne de deux milliards (le remplissage des lignes manquantes aurait duré des heures)",
    ),
    Case(
        "column_xfd.xlsx",
        lambda: xlsx_bytes(_sheet_rows(table(row())) + '<row r="3"><c r="XFD3"><v>1</v></c></row>'),
        "trop de colonnes",
        "une cellule en colonne XFD",
    ),
    Case(
        "padded_dimension.xlsx",
        lambda: xlsx_bytes(_sheet_rows(table(row())), dimension="A1:XFD1048576"),
        "feuille trop grande",
        "dimension déclarée A1:XFD1048576 (21 ko qui montaient à 1 Go)",
    ),
    Case(
        "last_row_1048576.xlsx",
        lambda: xlsx_bytes(_sheet_rows(table(row())) + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'),
        "trop de lignes",
        "une cellule à la ligne 1 048 576, sans dimension",
    ),
    Case(
        "rows_all_numbered_2.xlsx",
        lambda: repeated_row_number("2"),
        "suit la ligne 2",
        "un million de lignes numérotées 2 (la limite comptait les numéros, pas les lignes)",
    ),
    Case(
        "rows_numbered_negative.xlsx",
        lambda: repeated_row_number("-5"),
        "numéro de ligne invalide",
        "un million de lignes numérotées -5",
    ),
    Case(
        "rows_numbered_zero.xlsx",
        lambda: repeated_row_number("0", 3),
        "numéro de ligne invalide",
        "lignes numérotées 0",
    ),
    Case(
        "integer_400_digits.xlsx",
        lambda: numeric_cell("cout_ht", "1" * 400),
        "nombre démesuré",
        "un coût de 400 chiffres (OverflowError auparavant)",
    ),
    Case(
        "many_problems.csv",
        lambda: csv_bytes([{"id": f"P-{i}", "cout_ht": "x", "debut": "x"} for i in range(9_000)]),
        "… et ",
        "9 000 lignes de 14 problèmes chacune : les 100 premiers détaillés, les 125 900 autres comptés",
    ),
    Case("shared_strings_bomb.xlsx", shared_strings_bomb, "sharedStrings", "bombe de chaînes partagées"),
    Case("unzip_bomb.xlsx", unzip_bomb, "décompressé", "bombe de décompression (150 Mo)"),
    Case("billion_laughs.xlsx", billion_laughs, "illisible", "entités imbriquées (« billion laughs »)"),
    Case("external_entity.xlsx", external_entity, "colonne obligatoire absente", "entité externe (XXE)"),
    Case("not_a_zip.xlsx", lambda: b"PK\x03\x04 this is not a workbook" * 10, "illisible", "faux classeur"),
    Case("wrong_format.pdf", lambda: b"%PDF-1.4", "format non reconnu", "ni CSV ni XLSX"),
]


def write(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        path = folder / case.name
        path.write_bytes(case.make())
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in write(target):
        print(f"{path.stat().st_size:>10} {path}")
