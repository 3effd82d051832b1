"""The blank import template (.xlsx) with drop-down lists for the coded columns.

Sheet ``operations`` has the template's columns (``simulation.import_columns.COLUMNS``, the import reads
that sheet) with data validations: lists for type, nature, maître d'ouvrage, maturité and
quartier, whole numbers for durations and priority. Sheet ``colonnes`` explains each column
(``COLUMN_HELP``), sheet ``listes`` holds the allowed values with their French labels.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from charts.theme import HEADER_FILL_HEX, OPTIONAL_FILL_HEX
from exports.archive import normalised_zip
from simulation.cell_text import keep_as_text
from simulation.import_columns import COLUMN_HELP, COLUMNS, OPTIONAL_COLUMNS
from simulation.labels import FACILITY_TYPE, MATURITY, NATURE, OWNER
from simulation.limits import PHASE_MONTHS_MAX, PRICE_YEAR_RANGE, PRIORITY_RANGE, WORKS_MONTHS_MIN
from simulation.model import FacilityType, Maturity, Nature, Neighbourhood, Owner

ROWS = 500
"""Rows of the operations sheet that carry the validations."""

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor=HEADER_FILL_HEX)
OPTIONAL_FILL = PatternFill("solid", fgColor=OPTIONAL_FILL_HEX)

_LISTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "type": ("Type d'équipement", [(t.value, FACILITY_TYPE[t.value]) for t in FacilityType]),
    "nature": ("Nature", [(n.value, NATURE[n.value]) for n in Nature]),
    "maitre_ouvrage": ("Maître d'ouvrage", [(o.value, OWNER[o.value]) for o in Owner]),
    "maturite": ("Maturité", [(m.value, MATURITY[m.value]) for m in Maturity]),
}

_WHOLE: dict[str, tuple[int, int]] = {
    "duree_programmation": (0, PHASE_MONTHS_MAX),
    "duree_conception": (0, PHASE_MONTHS_MAX),
    "duree_consultation": (0, PHASE_MONTHS_MAX),
    "duree_travaux": (WORKS_MONTHS_MIN, PHASE_MONTHS_MAX),
    "priorite": PRIORITY_RANGE,
    "annee_prix": PRICE_YEAR_RANGE,
}
"""Whole-number columns and their bounds: the operation model's own (``simulation.limits``)."""


def template_xlsx(neighbourhoods: tuple[Neighbourhood, ...], when: datetime | None = None) -> bytes:
    """The blank template as .xlsx bytes; ``when`` fixes the file's dates (deterministic bytes)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "operations"
    lists = book.create_sheet("listes")
    help_sheet = book.create_sheet("colonnes")

    position = {column: i for i, column in enumerate(COLUMNS, start=1)}
    for column, i in position.items():
        cell = sheet.cell(row=1, column=i, value=column)
        cell.font = HEADER_FONT
        cell.fill = OPTIONAL_FILL if column in OPTIONAL_COLUMNS else REQUIRED_FILL
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(column) + 4)
    sheet.column_dimensions[get_column_letter(position["intitule"])].width = 40
    sheet.column_dimensions[get_column_letter(position["programme"])].width = 40
    sheet.column_dimensions[get_column_letter(position["quartier"])].width = 36
    sheet.freeze_panes = "B2"

    # Allowed values, one column per list, with their French labels next to them.
    references: dict[str, str] = {}
    col = 1
    entries = dict(_LISTS)
    entries["quartier"] = (
        "Quartier (nom officiel ; le code est aussi accepté)",
        [(n.name, n.code) for n in neighbourhoods],
    )
    for column, (title, values) in entries.items():
        lists.cell(row=1, column=col, value=column).font = HEADER_FONT
        lists.cell(row=1, column=col + 1, value=title).font = HEADER_FONT
        for r, (code, label) in enumerate(values, start=2):
            lists.cell(row=r, column=col, value=code)
            lists.cell(row=r, column=col + 1, value=label)
        letter = get_column_letter(col)
        references[column] = f"{quote_sheetname('listes')}!${letter}$2:${letter}${len(values) + 1}"
        lists.column_dimensions[letter].width = 48 if column == "quartier" else 22
        lists.column_dimensions[get_column_letter(col + 1)].width = 48 if column != "quartier" else 10
        col += 3

    for column, reference in references.items():
        letter = get_column_letter(position[column])
        quartier = column == "quartier"
        validation = DataValidation(
            type="list",
            formula1=reference,
            allow_blank=True,
            showDropDown=False,  # openpyxl's inverted flag: False shows the in-cell arrow
            showErrorMessage=True,
            errorStyle="warning" if quartier else "stop",
            errorTitle="Valeur non reconnue",
            error=(
                "Choisissez un quartier de la liste (ou son code : voir la feuille « listes »)."
                if quartier
                else "Choisissez une valeur de la liste (voir la feuille « listes »)."
            ),
            promptTitle=column,
            prompt=COLUMN_HELP[column][:250],
            showInputMessage=True,
        )
        validation.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(validation)
    for column, (low, high) in _WHOLE.items():
        letter = get_column_letter(position[column])
        validation = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Nombre entier attendu",
            error=f"Entier de {low} à {high}.",
            promptTitle=column,
            prompt=COLUMN_HELP[column][:250],
            showInputMessage=True,
        )
        validation.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(validation)
    for column in ("debut",):  # AAAA-MM stays text: a spreadsheet would turn it into a date
        letter = get_column_letter(position[column])
        for row in range(2, ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"

    help_sheet.append(["colonne", "obligatoire", "description"])
    for cell in help_sheet[1]:
        cell.font = HEADER_FONT
    for column in COLUMNS:
        help_sheet.append([column, "non" if column in OPTIONAL_COLUMNS else "oui", COLUMN_HELP[column]])
    help_sheet.append([])
    help_sheet.append(
        [
            "",
            "",
            "Une ligne par opération. Les colonnes à fond bleu sont obligatoires. Les montants sont en euros, "
            "sans séparateur de milliers à saisir. L'import est tout ou rien : chaque problème est signalé "
            "avec sa ligne et sa colonne, et rien n'est modifié tant qu'il en reste un.",
        ]
    )
    help_sheet.append(
        [
            "",
            "",
            "Mise à jour d'une opération existante : seules les colonnes présentes dans le fichier changent ; "
            "une colonne facultative absente garde la valeur enregistrée, une cellule vide dans une colonne "
            "présente efface ce champ (priorité ramenée à 3, TVA à 20 %, financement à 0). depend_de peut "
            "désigner une opération déjà enregistrée.",
        ]
    )
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 100
    for row in help_sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")

    today = datetime.now().date()
    stamp = when or datetime(today.year, today.month, today.day, 12)
    book.properties.title = "Modèle d'import des opérations"
    book.properties.creator = book.properties.lastModifiedBy = "Simulateur d'arbitrage NPNRU"
    book.properties.created = book.properties.modified = stamp
    keep_as_text(book)  # neighbourhood names from the store stay text
    buffer = io.BytesIO()
    book.save(buffer)
    return normalised_zip(buffer.getvalue(), stamp)
