"""Reading (and writing back) the operations file the directorates fill in, one row per operation.

Reading is all or nothing: every row is checked, every problem is listed with its row, column,
value and reason (in French), and nothing is returned unless the whole file is valid.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from simulation import fr
from simulation.cell_text import csv_text, from_csv_text
from simulation.errors import french_problems
from simulation.import_columns import (
    COLUMN_OF_FIELD,
    COLUMNS,
    FIELD_OF_COLUMN,
    FUNDER_COLUMNS,
    INTEGER_COLUMNS,
    NUMBER_COLUMNS,
    OPTIONAL_COLUMNS,
)
from simulation.model import FUNDERS, FacilityType, Maturity, Nature, Neighbourhood, Operation, Owner, Portfolio


@dataclass(frozen=True)
class ImportIssue:
    """One problem of an import file; ``row`` is the line number as a spreadsheet shows it."""

    row: int | None
    column: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column:
            where.append(f"colonne {self.column}")
        head = ", ".join(where)
        shown = repr(self.value)
        shown = shown if len(shown) <= 60 else shown[:59] + "…"  # a huge cell is named, not echoed
        value = "" if self.value in (None, "") else f" — valeur {shown}"
        return f"{head}{value} : {self.reason}" if head else f"{self.reason}{value}"


class ImportRefused(ValueError):
    """The whole file is refused; ``issues`` lists every problem found."""

    LISTED = 100
    """Problems spelled out in the message (``issues`` keeps them all, for a table)."""

    def __init__(self, issues: list[ImportIssue], source: str = "le fichier"):
        self.issues = issues
        self.source = source
        more = len(issues) - self.LISTED
        super().__init__(
            f"Import refusé : {len(issues)} problème(s) dans {source}, aucune donnée n'a été modifiée.\n"
            + "\n".join(f"- {issue}" for issue in issues[: self.LISTED])
            + (f"\n… et {more} autres" if more > 0 else "")
        )


def normalise_key(text: str) -> str:
    """Lower case, no accents, underscores: how headers and coded values are compared."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").replace("'", " ").split())


_CODES: dict[str, dict[str, str]] = {
    "type": {normalise_key(t.value): t.value for t in FacilityType},
    "nature": {normalise_key(n.value): n.value for n in Nature},
    "maitre_ouvrage": {normalise_key(o.value): o.value for o in Owner},
    "maturite": {normalise_key(m.value): m.value for m in Maturity},
}


# ---------------------------------------------------------------------------------- limits


@dataclass(frozen=True)
class ImportLimits:
    """How much work one import file may cause; every refusal names the limit it hit.

    Defaults suit a programme of a few hundred operations with a wide margin. The file cap can
    be changed with ``SIMULATEUR_IMPORT_MAX_MO`` (megabytes), for the app and the CLI alike.
    """

    max_file_bytes: int = 10 * 1024 * 1024
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_part_bytes: int = 20 * 1024 * 1024  # one part other than a sheet (shared strings, styles…)
    max_rows: int = 10_000
    max_columns: int = 100
    max_cell_chars: int = 32_767  # Excel's own cell limit

    @classmethod
    def from_environment(cls) -> ImportLimits:
        value = os.environ.get(MAX_FILE_ENV, "").strip().replace(",", ".")
        if not value:
            return cls()
        try:
            megabytes = float(value)
        except ValueError:
            return cls()
        if not 0 < megabytes <= 1024:
            return cls()
        return cls(max_file_bytes=int(megabytes * 1024 * 1024))


MAX_FILE_ENV = "SIMULATEUR_IMPORT_MAX_MO"


def _size(n_bytes: int) -> str:
    """A byte count the French way: ``10 Mo``, ``1,5 Mo``, ``20 ko``."""
    if n_bytes >= 1024 * 1024:
        return fr.number(n_bytes / (1024 * 1024), 0 if n_bytes % (1024 * 1024) == 0 else 1) + " Mo"
    if n_bytes >= 1024:
        return fr.number(n_bytes / 1024, 0) + " ko"
    return fr.number(n_bytes, 0) + " octets"


def _refuse(source: str, reason: str, row: int | None = None, value: Any = None) -> NoReturn:
    raise ImportRefused([ImportIssue(row, None, value, reason)], source)


# ---------------------------------------------------------------------------------- reading


def read_table(path: str | Path, limits: ImportLimits | None = None) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (row number, cells) of a CSV or XLSX file, refused if unreadable or too big.

    The size is checked before anything is read; an XLSX is checked (zip sizes, sheet
    dimension) before it is parsed, then streamed row by row and never read past the limits.
    """
    limits = limits or ImportLimits.from_environment()
    path = Path(path)
    if not path.is_file():
        raise ImportRefused([ImportIssue(None, None, str(path), "fichier introuvable")], path.name)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt"):
        _refuse(path.name, "format non reconnu : fichier .csv ou .xlsx attendu", value=path.name)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        _refuse(
            path.name,
            f"fichier trop volumineux ({_size(size)}) : la limite est de {_size(limits.max_file_bytes)} par fichier",
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limits)
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
        _refuse(
            source,
            "le fichier est en UTF-16 : enregistrez-le en « CSV UTF-8 » ou en « CSV (séparateur : point-virgule) »",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_utf8 = exc.start
        if _has_utf8_text(data):
            _refuse(
                source,
                f"encodage mélangé : le fichier contient de l'UTF-8 et un octet invalide (0x{data[bad_utf8]:02X}) "
                "; enregistrez-le en « CSV UTF-8 »",
                row=_line_of(data, bad_utf8),
            )
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc1252:
            _refuse(
                source,
                f"le fichier n'est ni en UTF-8 ni en Windows-1252 (octet 0x{data[exc1252.start]:02X}) : "
                "enregistrez-le en « CSV UTF-8 »",
                row=_line_of(data, exc1252.start),
            )
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        _refuse(
            source,
            f"caractère de contrôle (code {ord(control.group()):d}) : ce n'est pas un fichier texte CSV",
            row=line,
        )
    return text


def _read_csv(data: bytes, source: str, limits: ImportLimits) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    text = decode_text(data, source)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if len(rows) >= limits.max_rows:
                _refuse(
                    source, f"trop de lignes : au plus {fr.number(limits.max_rows, 0)} lignes par fichier", row=line
                )
            if len(cells) > limits.max_columns:
                _refuse(
                    source,
                    f"trop de colonnes ({fr.number(len(cells), 0)}) : au plus {limits.max_columns} par fichier",
                    row=line,
                )
            for cell in cells:
                if len(cell) > limits.max_cell_chars:
                    _refuse(source, _cell_too_long(limits), row=line)
            rows.append((line, cells))
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            reason = f"cellule trop longue : au plus {fr.number(csv.field_size_limit(), 0)} caractères par cellule"
        else:
            reason = "fichier CSV mal formé (guillemet non refermé ou caractère interdit)"
        _refuse(source, reason, row=reader.line_num + 1)
    if not rows:
        _refuse(source, "le fichier est vide")
    header = rows[0][1]
    body = [(number, cells) for number, cells in rows[1:] if any(c.strip() for c in cells)]
    return header, body


def _cell_too_long(limits: ImportLimits) -> str:
    return f"cellule trop longue : au plus {fr.number(limits.max_cell_chars, 0)} caractères par cellule"


def _check_xlsx_archive(path: Path, limits: ImportLimits) -> None:
    """Refuse a workbook whose zip would unpack into more than the limits (before openpyxl)."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _refuse(path.name, "classeur illisible : ce n'est pas un fichier Excel .xlsx valide")
    total = 0
    for entry in entries:
        total += entry.file_size
        is_sheet = entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
        if not is_sheet and entry.file_size > limits.max_part_bytes:
            _refuse(
                path.name,
                f"classeur suspect : la partie {entry.filename} occupe {_size(entry.file_size)} une fois "
                f"décompressée (au plus {_size(limits.max_part_bytes)})",
            )
    if total > limits.max_unzipped_bytes:
        _refuse(
            path.name,
            f"classeur trop volumineux une fois décompressé ({_size(total)}) : "
            f"la limite est de {_size(limits.max_unzipped_bytes)}",
        )


def _read_xlsx(path: Path, limits: ImportLimits) -> tuple[list[str], list[tuple[int, list[Any]]]]:
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
        _refuse(path.name, "classeur illisible : le fichier Excel est endommagé ou n'est pas au format .xlsx")
    try:
        if not sheets:
            _refuse(path.name, "le classeur ne contient aucune feuille de données")
        target = next((t for name, t in sheets if name == "operations"), sheets[0][1])
        workbook = reader.wb
        rows = _stream_rows(
            lambda: reader.archive.open(target),
            reader.shared_strings,
            set(workbook._date_formats),
            workbook.epoch,
            path.name,
            limits,
        )
    finally:
        reader.archive.close()
    rows = [(number, cells) for number, cells in rows if any(c is not None and str(c).strip() for c in cells)]
    if not rows:
        _refuse(path.name, "la feuille est vide")
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
    open_sheet: Any, shared: Any, date_styles: set[int], epoch: Any, source: str, limits: ImportLimits
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
        _refuse(source, "classeur illisible : la feuille est endommagée")
    if declared_rows > limits.max_rows or declared_columns > limits.max_columns:
        _refuse(
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
                number = int(element.get("r") or number + 1)
                values: list[Any] = []
                column = 0
                for cell in element.iterchildren(f"{_MAIN}c"):
                    reference = (cell.get("r") or "").rstrip("0123456789")
                    column = _column_index(reference) if reference else column + 1
                    value = _cell_value(cell, shared, date_styles, from_excel, epoch)
                    if value is None:
                        continue
                    if number > limits.max_rows:
                        _refuse(
                            source, f"trop de lignes : au plus {fr.number(limits.max_rows, 0)} par feuille", row=number
                        )
                    if column > limits.max_columns:
                        _refuse(source, f"trop de colonnes : au plus {limits.max_columns} par feuille", row=number)
                    if isinstance(value, str) and len(value) > limits.max_cell_chars:
                        _refuse(source, _cell_too_long(limits), row=number)
                    values.extend([None] * (column - len(values)))
                    values[column - 1] = value
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
                if values:
                    if not rows:
                        _refuse_unknown_header(values, source)
                    rows.append((number, values))
    except ImportRefused:
        raise
    except Exception:  # a damaged sheet: lxml and openpyxl raise many kinds
        _refuse(source, "classeur illisible : la feuille est endommagée")
    return rows


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
    number: float | int = float(text) if any(c in text for c in ".eE") else int(text)
    style = cell.get("s")
    if style is not None and int(style) in date_styles:
        return from_excel(number, epoch)
    return number


def _refuse_unknown_header(header: list[Any], source: str) -> None:
    """Stop reading at once when the first row names an unknown or duplicated column."""
    issues = [
        issue
        for issue in _header_issues(["" if c is None else str(c) for c in header], [])
        if "obligatoire" not in issue.reason
    ]
    if issues:
        raise ImportRefused(issues, source)


def parse_number(value: Any, integer: bool = False) -> float | int | None:
    """A French or English written number: ``1 234,5``, ``1234.5``, ``1.234,5``; None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
        if not text:
            return None
        if "," in text and "." in text:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
        elif "," in text:
            text = text.replace(",", ".")
        elif text.count(".") > 1:
            text = text.replace(".", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError("nombre attendu") from None
    if not math.isfinite(number):
        raise ValueError("nombre fini attendu")
    if integer:
        if number != int(number):
            raise ValueError("nombre entier attendu")
        return int(number)
    return number


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return from_csv_text(str(value).strip())


def rows_to_portfolio(
    header: list[str],
    body: list[tuple[int, list[Any]]],
    neighbourhoods: tuple[Neighbourhood, ...],
    source: str = "le fichier",
) -> Portfolio:
    """Validate every row and the file as a whole; ``ImportRefused`` lists all problems.

    ``1.234`` is read as a decimal only when another number of the file shows that its decimal
    mark is the point; otherwise (a French file, or nothing to tell) it is refused as ambiguous.
    """
    issues = _header_issues(header, body)
    if issues:
        raise ImportRefused(issues, source)
    position = {normalise_key(name): i for i, name in enumerate(header) if normalise_key(name or "")}
    if not body:
        raise ImportRefused([ImportIssue(None, None, None, "aucune opération dans le fichier")], source)
    point_decimal = _decimal_point_proven(body, position)

    by_code = {normalise_key(n.code): n.code for n in neighbourhoods}
    by_name = {normalise_key(n.name): n.code for n in neighbourhoods}
    operations: list[Operation] = []
    row_of_id: dict[str, int] = {}
    for number, cells in body:
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in position.items()}
        fields, row_issues = _row_fields(number, raw, by_code, by_name, point_decimal)
        issues.extend(row_issues)
        reported = {issue.column for issue in row_issues}
        try:
            operation = Operation.model_validate(fields)
        except ValidationError as exc:
            # Every problem of the row is listed, except the consequences of those already said.
            for problem in french_problems(exc, COLUMN_OF_FIELD):
                field_column: str | None = problem.field.split(".")[0] or None
                if field_column not in reported:
                    value = raw.get(field_column) if field_column is not None else None
                    issues.append(ImportIssue(number, field_column, value, problem.reason))
            continue
        if row_issues:
            continue
        if operation.id in row_of_id:
            issues.append(
                ImportIssue(
                    number, "id", operation.id, f"identifiant déjà utilisé à la ligne {row_of_id[operation.id]}"
                )
            )
            continue
        row_of_id[operation.id] = number
        operations.append(operation)
    if issues:
        raise ImportRefused(issues, source)
    return build_portfolio(neighbourhoods, operations, row_of_id, source)


def build_portfolio(
    neighbourhoods: tuple[Neighbourhood, ...],
    operations: list[Operation],
    row_of_id: dict[str, int] | None = None,
    source: str = "le fichier",
) -> Portfolio:
    """The portfolio, or ``ImportRefused`` naming rows for dependency problems."""
    row_of_id = row_of_id or {}
    known = {op.id for op in operations}
    issues = [
        ImportIssue(row_of_id.get(op.id), "depend_de", op.depends_on, "cette opération n'existe pas")
        for op in operations
        if op.depends_on is not None and op.depends_on not in known
    ]
    if issues:
        raise ImportRefused(issues, source)
    try:
        return Portfolio(neighbourhoods=neighbourhoods, operations=tuple(operations))
    except ValidationError as exc:
        issues = []
        for problem in french_problems(exc):
            parts = problem.field.split(".")
            if len(parts) >= 3 and parts[0] == "operations":  # operations.<index>.<field>
                op = operations[int(parts[1])]
                issues.append(ImportIssue(row_of_id.get(op.id), COLUMN_OF_FIELD.get(parts[2]), None, problem.reason))
            else:
                issues.append(ImportIssue(None, None, None, problem.reason))
        raise ImportRefused(issues, source) from None


def _header_issues(header: list[str], body: list[tuple[int, list[Any]]]) -> list[ImportIssue]:
    """Unknown, duplicated and missing columns (an unnamed column is fine only when empty)."""
    issues: list[ImportIssue] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        key = normalise_key(name or "")
        letter = _column_letter(i)
        if not key:
            if any(i < len(cells) and _text(cells[i]) for _, cells in body):
                issues.append(ImportIssue(1, letter, None, "colonne sans nom, mais remplie : nommez-la ou videz-la"))
            continue
        if key not in COLUMNS:
            close = difflib.get_close_matches(key, COLUMNS, n=1, cutoff=0.5) or _contained(key)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
            shown = str(name).strip()
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            issues.append(ImportIssue(1, shown, None, f"colonne inconnue{hint}"))
            continue
        if key in seen:
            issues.append(
                ImportIssue(
                    1,
                    key,
                    None,
                    f"colonne en double (colonnes {_column_letter(seen[key])} et {letter}) : gardez-en une seule",
                )
            )
            continue
        seen[key] = i
    for column in COLUMNS:
        if column not in seen and column not in OPTIONAL_COLUMNS:
            issues.append(ImportIssue(1, column, None, "colonne obligatoire absente de l'en-tête"))
    return issues


def _contained(key: str) -> list[str]:
    """A known column whose name is part of ``key`` (``subvention_anru`` → ``anru``)."""
    parts = set(key.split("_"))
    return [column for column in COLUMNS if column in parts or column.split("_")[0] in parts][:1]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_GROUPED_BY_DOT = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")


_POINT_DECIMAL = re.compile(r"^[+-]?\d*\.(\d{1,2}|\d{4,})$|^[+-]?\d{1,3}(,\d{3})+\.\d+$")


def _decimal_point_proven(body: list[tuple[int, list[Any]]], position: dict[str, int]) -> bool:
    """Whether the file writes decimals with a point (``1800000.25``, ``1,234.5``) and never
    with a comma (``12,5``): only then is ``1.234`` a decimal number."""
    numeric = [i for column, i in position.items() if column in NUMBER_COLUMNS]
    proven = False
    for _, cells in body:
        for i in numeric:
            cell = cells[i] if i < len(cells) else None
            if not isinstance(cell, str):
                continue
            text = cell.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            if "," in text and "." not in text:
                return False
            proven = proven or bool(_POINT_DECIMAL.match(text))
    return proven


def _row_fields(
    number: int,
    raw: dict[str, Any],
    by_code: dict[str, str],
    by_name: dict[str, str],
    point_decimal: bool = False,
) -> tuple[dict[str, Any], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    fields: dict[str, Any] = {}
    funding: dict[str, float] = {}
    for column, value in raw.items():
        text = _text(value) if not isinstance(value, datetime | date) else value
        if text == "" or text is None:
            if column not in OPTIONAL_COLUMNS:
                issues.append(ImportIssue(number, column, None, "valeur obligatoire manquante"))
            continue
        try:
            if column in NUMBER_COLUMNS:
                if not point_decimal and isinstance(value, str) and _GROUPED_BY_DOT.match(value.strip()):
                    raise ValueError(
                        "nombre ambigu : « "
                        f"{value.strip()} » peut se lire {value.strip().replace('.', ' ')} ou "
                        f"{value.strip().replace('.', ',')} ; écrivez-le sans point"
                    )
                number_value = parse_number(value, integer=column in INTEGER_COLUMNS)
                if column == "taux_tva" and number_value is not None:
                    if not 0 <= number_value <= 30:
                        raise ValueError("le taux de TVA doit être un pourcentage compris entre 0 et 30 %")
                    if 0 < number_value < 1:
                        raise ValueError(
                            "le taux de TVA est un pourcentage : vouliez-vous dire "
                            f"{fr.number(number_value * 100, 1).removesuffix(',0')} % ?"
                        )
                    number_value = number_value / 100
                if column in FUNDER_COLUMNS:
                    if number_value:
                        funding[column] = float(number_value)
                    continue
                fields[FIELD_OF_COLUMN[column]] = number_value
            elif column in _CODES:
                code = _CODES[column].get(normalise_key(str(text)))
                if code is None:
                    raise ValueError("valeur inconnue, valeurs possibles : " + ", ".join(_CODES[column].values()))
                fields[FIELD_OF_COLUMN[column]] = code
            elif column == "quartier":
                key = normalise_key(str(text))
                code = by_code.get(key) or by_name.get(key)
                if code is None:
                    raise ValueError("quartier inconnu : code ou nom officiel attendu (voir data/quartiers.csv)")
                fields["neighbourhood"] = code
            else:
                fields[FIELD_OF_COLUMN[column]] = text
        except ValueError as exc:
            issues.append(ImportIssue(number, column, value, str(exc)))
    fields["funding"] = funding
    return fields, issues


# ---------------------------------------------------------------------------------- writing


def operation_to_row(op: Operation) -> dict[str, Any]:
    """One template row (French columns) of an operation; the inverse of the import."""
    row: dict[str, Any] = {}
    for column in COLUMNS:
        if column in FUNDER_COLUMNS:
            row[column] = op.funding.get(FUNDERS[FUNDER_COLUMNS.index(column)], 0.0)
            continue
        value = getattr(op, FIELD_OF_COLUMN[column])
        if column == "taux_tva":
            value = round(value * 100, 6)
        elif hasattr(value, "value"):
            value = value.value
        row[column] = value
    return row


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
        return text.replace(".", ",")
    return csv_text(value) if isinstance(value, str) else str(value)


def write_csv(portfolio: Portfolio, path: str | Path) -> Path:
    """Template CSV as French spreadsheets open it: UTF-8 with BOM, ``;``, decimal comma."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for op in portfolio.operations:
        row = operation_to_row(op)
        writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
    path = Path(path)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")
    return path
