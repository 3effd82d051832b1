"""Committee exports: chart images, the one-page summary, the Word note, the workbook, the blank
import template and whole report folders.

Exports only format: every figure comes from ``simulation.simulate`` and every chart from the
chart builders of the ``charts`` package. The edition date is an input, so the same inputs give the
same bytes.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from simulation.labels import DEMO_MARK, DEMO_SOURCE

# Where each name lives. They are imported on first use (PEP 562): a command line that only
# mails a digest or lists scenarios does not load Altair, openpyxl and python-docx (half a second).
_HOME = {
    "ExportContext": "exports.context",
    "ChartExport": "exports.images",
    "chart_catalogue": "exports.images",
    "chart_files": "exports.images",
    "chart_png": "exports.images",
    "chart_svg": "exports.images",
    "find_chart": "exports.images",
    "template_xlsx": "exports.import_template",
    "note_docx": "exports.note",
    "ReportError": "exports.report",
    "report_files": "exports.report",
    "report_zip": "exports.report",
    "write_report": "exports.report",
    "summary_png": "exports.summary",
    "workbook_xlsx": "exports.workbook",
}

if TYPE_CHECKING:
    from exports.context import ExportContext
    from exports.images import ChartExport, chart_catalogue, chart_files, chart_png, chart_svg, find_chart
    from exports.import_template import template_xlsx
    from exports.note import note_docx
    from exports.report import ReportError, report_files, report_zip, write_report
    from exports.summary import summary_png
    from exports.workbook import workbook_xlsx


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'exports' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "DEMO_MARK",
    "DEMO_SOURCE",
    "ChartExport",
    "ExportContext",
    "ReportError",
    "chart_catalogue",
    "chart_files",
    "chart_png",
    "chart_svg",
    "find_chart",
    "note_docx",
    "report_files",
    "report_zip",
    "summary_png",
    "template_xlsx",
    "workbook_xlsx",
    "write_report",
]
