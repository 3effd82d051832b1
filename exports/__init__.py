"""Committee exports: chart images, the one-page summary, the Word note, the workbook, the blank
import template and whole report folders.

Exports only format: every figure comes from ``simulation.simulate`` and every chart from the
chart builders of the ``charts`` package. The edition date is an input, so the same inputs give the
same bytes.
"""

from exports.context import ExportContext
from exports.images import ChartExport, chart_catalogue, chart_files, chart_png, chart_svg, find_chart
from exports.import_template import template_xlsx
from exports.note import note_docx
from exports.report import ReportError, report_files, report_zip, write_report
from exports.summary import summary_png
from exports.workbook import workbook_xlsx
from simulation.labels import DEMO_MARK, DEMO_SOURCE

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
