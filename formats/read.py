"""Reading an incoming CSV or XLSX into a header and rows, bounded before and while parsing.

Nothing here knows what an operation is: the limits, the decoding of Excel's French encodings
and the streaming of a sheet's XML are shared by every file the City sends.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from formats.errors import ImportIssue, ImportRefused, refuse
from formats.limits import ImportLimits, cell_too_long, reading_turn, size_text
from formats.rows import header_issues
from simulation import fr

HeaderCheck = Callable[[list[str], list[tuple[int, list[Any]]]], list[ImportIssue]]


def read_table(
    path: str | Path,
    limits: ImportLimits | None = None,
    *,
    sheet: str = "operations",
    header_check: HeaderCheck | None = None,
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (row number, cells) of a CSV or XLSX file, refused if unreadable or too big.

    The size is checked before anything is read; an XLSX is checked (zip sizes, sheet
    dimension) before it is parsed, then streamed row by row and never read past the limits.
    ``sheet`` is the workbook's sheet read (else its first); ``header_check`` the file's own
    column check, applied to an XLSX header before the rest is read (default: the operations file's).
    """
    limits = limits or ImportLimits.from_environment()
    path = Path(path)
    if not path.is_file():
        raise ImportRefused([ImportIssue(None, None, str(path), "fichier introuvable")], path.name)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        refuse(path.name, "format non reconnu : fichier .csv ou .xlsx attendu", value=path.name)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        refuse(
            path.name,
            f"fichier trop volumineux ({size_text(size)}) : la limite est de {size_text(limits.max_file_bytes)} par fichier",
        )
    with reading_turn(path.name):
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path, limits, sheet, header_check or header_issues)
        return _read_csv(path.read_bytes(), path.name, limits)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

_FRENCH_LETTERS = frozenset("àâäéèêëîïôöùûüÿçæœÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇÆŒ«»’‘“”–—…€\u00a0\u202f")


def _has_utf8_text(data: bytes) -> bool:
    """Whether ``data`` holds French letters written in UTF-8 (``é`` as two bytes, ``’`` as
    three). Windows-1252 text almost never does: ``Â¡`` would, and is not French."""
    for match in _UTF8_SEQUENCE.finditer(data):
        try:
            if match.group().decode("utf-8") in _FRENCH_LETTERS:
                return True
        except UnicodeDecodeError:
            continue
    return False


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_text(data: bytes, source: str) -> str:
    """Text of a file in UTF-8 (with or without BOM) or Windows-1252 (French Excel's « CSV »).

    A file in neither (UTF-16, binary, or UTF-8 and Windows-1252 mixed) is refused with the
    line at fault.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        refuse(
            source,
            "le fichier est en UTF-16 : enregistrez-le en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_utf8 = exc.start
        if _has_utf8_text(data):
            refuse(
                source,
                f"encodage mélangé : le fichier contient de l'UTF-8 et un octet invalide (0x{data[bad_utf8]:02X}) "
                "; enregistrez-le en « CSV UTF-8 »",
                row=_line_of(data, bad_utf8),
            )
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc1252:
            refuse(
                source,
                f"le fichier n'est ni en UTF-8 ni en Windows-1252 (octet 0x{data[exc1252.start]:02X}) : "
                "enregistrez-le en « CSV UTF-8 »",
                row=_line_of(data, exc1252.start),
            )
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        refuse(
            source,
            f"caractère de contrôle (code {ord(control.group()):d}) : ce n'est pas un fichier texte CSV",
            row=line,
        )
    return text


def _read_csv(data: bytes, source: str, limits: ImportLimits) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    text = decode_text(data, source)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    # The reader's own cap is Excel's cell limit (its default, 131 072, is not ours to state).
    csv.field_size_limit(limits.max_cell_chars)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if len(rows) >= limits.max_rows:
                refuse(source, f"trop de lignes : au plus {fr.number(limits.max_rows, 0)} lignes par fichier", row=line)
            if len(cells) > limits.max_columns:
                refuse(
                    source,
                    f"trop de colonnes ({fr.number(len(cells), 0)}) : au plus {limits.max_columns} par fichier",
                    row=line,
                )
            for cell in cells:
                if len(cell) > limits.max_cell_chars:
                    refuse(source, cell_too_long(limits), row=line)
            rows.append((line, cells))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the line being read holds the cell
            refuse(source, cell_too_long(limits), row=reader.line_num)
        refuse(source, "fichier CSV mal formé (guillemet non refermé ou caractère interdit)", row=reader.line_num + 1)
    if not rows:
        refuse(source, "le fichier est vide")
    header = rows[0][1]
    body = [(number, cells) for number, cells in rows[1:] if any(c.strip() for c in cells)]
    return header, body


def _check_xlsx_archive(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook whose zip would unpack into more than the limits (before openpyxl)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        refuse(path.name, "classeur illisible : ce n'est pas un fichier Excel .xlsx valide")
    total = 0
    for entry in entries:
        total += entry.file_size
        is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
        if not is_sheet and entry.file_size > limits.max_part_bytes:
            refuse(
                path.name,
                f"classeur suspect : la partie {entry.filename} occupe {size_text(entry.file_size)} une fois "
                f"décompressée (au plus {size_text(limits.max_part_bytes)})",
            )
    if total > limits.max_unzipped_bytes:
        refuse(
            path.name,
            f"classeur trop volumineux une fois décompressé ({size_text(total)}) : "
            f"la limite est de {size_text(limits.max_unzipped_bytes)}",
        )


def _read_xlsx(
    path: Path, limits: ImportLimits, sheet_name: str, header_check: HeaderCheck
) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    _check_xlsx_archive(path, limits)
    try:
        # openpyxl reads the workbook, its shared strings and styles (each part capped above), but
        # not its sheets: its read-only sheet scans a whole sheet for its size when undeclared.
        reader = ExcelReader(str(path), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception:  # openpyxl raises many kinds for a damaged file
        refuse(path.name, "classeur illisible : le fichier Excel est endommagé ou n'est pas au format .xlsx")
    try:
        if not sheets:
            refuse(path.name, "le classeur ne contient aucune feuille de données")
        target = next((t for name, t in sheets if name == sheet_name), sheets[0][1])
        workbook = reader.wb
        rows = _stream_rows(
            lambda: reader.archive.open(target),
            reader.shared_strings,
            set(workbook._date_formats),
            workbook.epoch,
            path.name,
            limits,
            header_check,
        )
    finally:
        reader.archive.close()
    rows = [(number, cells) for number, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    if not rows:
        refuse(path.name, "la feuille est vide")
    header = ["" if c is None else str(c) for c in rows[0][1]]
    return header, rows[1:]


def _declared_size(source: Any) -> tuple[int, int]:
    """Rows and columns the sheet's ``<dimension>`` declares (read before ``<sheetData>`` only)."""
    from lxml import etree

    for _, element in etree.iterparse(source, events=("start",), resolve_entities=False, no_network=True):
        if element.tag == f"{_MAIN}dimension":
            last = (element.get("ref") or "").split(":")[-1]
            letters = _COLUMN_LETTERS.match(last)
            digits = last[letters.end() :] if letters else ""
            return (int(digits) if digits.isdigit() else 0), (_column_index(letters.group()) if letters else 0)
        if element.tag == f"{_MAIN}sheetData":
            break
    return 0, 0


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

_COLUMN_LETTERS = re.compile(r"^[A-Z]{1,3}")


def _stream_rows(
    open_sheet: Any,
    shared: Any,
    date_styles: set[int],
    epoch: Any,
    source: str,
    limits: ImportLimits,
    header_check: HeaderCheck = header_issues,
) -> list[tuple[int, list[Any]]]:
    """(row number, values) of the rows present in the sheet, read one at a time.

    The declared dimension is checked first. openpyxl's own row iterator fills every missing
    row and cell up to the last one, so one cell at row 1 048 576 (or column XFD) meant a million
    empty rows, and it builds a cell object per value; here lxml streams the sheet's XML,
    yielding only the rows that exist, keeping values only. Reading stops at the first row or
    column past the limits, and at a header naming an unknown column. Entities are never
    resolved (no XXE, no entity expansion).
    """
    from lxml import etree
    from openpyxl.utils.datetime import from_excel

    try:
        with open_sheet() as xml:
            declared_rows, declared_columns = _declared_size(xml)
    except Exception:
        refuse(source, "classeur illisible : la feuille est endommagée")
    if declared_rows > limits.max_rows or declared_columns > limits.max_columns:
        refuse(
            source,
            f"feuille trop grande : elle déclare {fr.number(declared_rows, 0)} lignes et "
            f"{fr.number(declared_columns, 0)} colonnes (au plus {fr.number(limits.max_rows, 0)} lignes "
            f"et {limits.max_columns} colonnes)",
        )
    rows: list[tuple[int, list[Any]]] = []
    number = 0
    try:
        with open_sheet() as xml:
            parser = etree.iterparse(
                xml, events=("end",), tag=f"{_MAIN}row", resolve_entities=False, no_network=True, huge_tree=False
            )
            for _, element in parser:
                number = _row_number(element.get("r"), number, source, limits)
                values: list[Any] = []
                column = 0
                for cell in element.iterchildren(f"{_MAIN}c"):
                    reference = (cell.get("r") or "").rstrip("0123456789")
                    column = _column_index(reference) if reference else column + 1
                    value = _cell_value(cell, shared, date_styles, from_excel, epoch)
                    if value is None:
                        continue
                    if number > limits.max_rows:
                        refuse(
                            source, f"trop de lignes : au plus {fr.number(limits.max_rows, 0)} par feuille", row=number
                        )
                    if column > limits.max_columns:
                        refuse(source, f"trop de colonnes : au plus {limits.max_columns} par feuille", row=number)
                    if isinstance(value, str) and len(value) > limits.max_cell_chars:
                        refuse(source, cell_too_long(limits), row=number)
                    values.extend([None] * (column - len(values)))
                    values[column - 1] = value
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if values:
                    if not rows:
                        _refuse_unknown_header(values, source, header_check)
                    if len(rows) >= limits.max_rows:  # the rows kept, counted as the CSV reader does
                        refuse(
                            source, f"trop de lignes : au plus {fr.number(limits.max_rows, 0)} par feuille", row=number
                        )
                    rows.append((number, values))
    except ImportRefused:
        raise
    except Exception:  # a damaged sheet: lxml and openpyxl raise many kinds
        refuse(source, "classeur illisible : la feuille est endommagée")
    return rows


def _row_number(declared: str | None, previous: int, source: str, limits: ImportLimits) -> int:
    """The number of the row being read, refused unless positive and after the previous one.

    Excel numbers rows from 1, in increasing order. A sheet saying ``r="2"`` a million times,
    or ``r="-5"``, is made to slip past a limit counted on row numbers: it is refused at once.
    """
    if declared is None:
        return previous + 1
    text = declared.strip()
    if not text.isdigit() or len(text) > 10 or int(text) == 0:
        refuse(
            source,
            "numéro de ligne invalide dans la feuille : un entier positif est attendu (classeur endommagé)",
            row=previous + 1,
            value=text[:20],
        )
    number = int(text)
    if number <= previous:
        refuse(
            source,
            f"la ligne {fr.number(number, 0)} suit la ligne {fr.number(previous, 0)} : les lignes d'une feuille "
            "sont numérotées à partir de 1, en ordre croissant (classeur endommagé)",
            row=previous,
        )
    return number


def _column_index(letters: str) -> int:
    if len(letters) > 3 or not letters.isalpha():
        return 1 << 20  # not a column of any spreadsheet: past every limit
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _cell_value(cell: Any, shared: Any, date_styles: set[int], from_excel: Any, epoch: Any) -> Any:
    """The value of one ``<c>`` element, as openpyxl gives it with ``data_only=True``."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        texts = cell.findall(f".//{_MAIN}t")
        return (texts[0].text or "") if len(texts) == 1 else "".join(t.text or "" for t in texts)
    text = cell.findtext(f"{_MAIN}v")
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind in ("str", "e"):
        return text
    if kind == "d":
        return datetime.fromisoformat(text)
    if len(text) > 18 and not any(c in text for c in ".eE"):
        # An integer of hundreds of digits stays the text it is: the row check refuses it as a
        # number (never an overflow, nor Python's 4 300-digit limit) and names it as written.
        return text
    number: float | int = float(text) if any(c in text for c in ".eE") else int(text)
    style = cell.get("s")
    if style is not None and int(style) in date_styles:
        return from_excel(number, epoch)
    return number


def _refuse_unknown_header(header: list[Any], source: str, header_check: HeaderCheck = header_issues) -> None:
    """Stop reading at once when the first row names an unknown or duplicated column."""
    issues = [
        issue
        for issue in header_check(["" if c is None else str(c) for c in header], [])
        if "obligatoire" not in issue.reason
    ]
    if issues:
        raise ImportRefused(issues, source)
