"""A whole report folder for a committee: ``synthese.png``, ``note.docx``, ``tableaux.xlsx``
and one PNG and one SVG per chart. Each chart is rendered once (the PNG is rasterised from its
SVG) and the note reuses those PNGs."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

from exports.context import ExportContext
from exports.images import chart_catalogue, chart_files
from exports.note import note_docx
from exports.summary import summary_png
from exports.workbook import workbook_xlsx

SUMMARY_FILE = "synthese.png"
NOTE_FILE = "note.docx"
WORKBOOK_FILE = "tableaux.xlsx"

_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.EROFS: "support en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EEXIST: "un fichier porte déjà ce nom, pas un dossier",
    errno.ENAMETOOLONG: "chemin trop long",
}


class ReportError(OSError):
    """The folder cannot be written; the message is French."""


def _french(exc: OSError, directory: Path) -> ReportError:
    reason = _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return ReportError(f"impossible d'écrire le rapport dans {directory} : {reason}")


def prepare_folder(directory: Path) -> Path:
    """Create the folder if needed and check it can be written, before any rendering."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not directory.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a directory")
        probe = directory / ".ecriture-possible"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError as exc:
        raise _french(exc, directory) from None
    except OSError as exc:
        raise _french(exc, directory) from None
    if not os.access(directory, os.W_OK):
        raise ReportError(f"impossible d'écrire le rapport dans {directory} : permission refusée")
    return directory


def report_files(ctx: ExportContext) -> dict[str, bytes]:
    """Every file of the report, by name, in the order they are written."""
    outputs: dict[str, bytes] = {}
    note_images: dict[str, bytes] = {}
    for chart in (c for c in chart_catalogue(ctx) if c.in_report):
        png, svg = chart_files(chart, ctx)
        outputs[chart.png_name] = png
        outputs[chart.svg_name] = svg.encode("utf-8")
        note_images[chart.key] = png
    return {
        SUMMARY_FILE: summary_png(ctx),
        NOTE_FILE: note_docx(ctx, note_images),
        WORKBOOK_FILE: workbook_xlsx(ctx),
        **outputs,
    }


def write_report(ctx: ExportContext, directory: str | Path) -> list[Path]:
    """Write the whole report into ``directory`` (created if needed); the files written, in order."""
    folder = prepare_folder(Path(directory))
    files = report_files(ctx)
    written = []
    try:
        for name, data in files.items():
            path = folder / name
            path.write_bytes(data)
            written.append(path)
    except OSError as exc:
        raise _french(exc, folder) from None
    return written


def report_zip(ctx: ExportContext) -> bytes:
    """The whole report as one zip archive, every entry dated with the edition date (so the same
    inputs give the same bytes), without going through the disk."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in report_files(ctx).items():
            entry = zipfile.ZipInfo(name, date_time=ctx.timestamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
