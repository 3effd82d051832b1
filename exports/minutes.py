"""The relevé de décisions of a meeting (Word) and the workbook of all actions (XLSX).

The minutes say what the room decided and on which figures: date, kind and participants; per
agenda item, each decision with the scenario, its version and the KPIs shown then; a table of
the actions (what, who, by when). The Word helpers are the toolkit of every note (``exports.word``), so
the documents look alike. Both files hold values only: user text is written as text (``keep_as_text``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Font

from exports import word
from exports.archive import normalised_zip
from exports.text import french_date, quote, typography
from simulation import fr
from simulation.cell_text import keep_as_text
from simulation.dialogue import ACTION_STATUS as STATUS_LABEL
from simulation.dialogue import DECISION_KINDS, MEETING_KINDS, Action, Decision, Meeting
from simulation.dialogue import MEETING_STATE as STATE_LABEL
from simulation.labels import DEMO_MARK, KPI

MINUTES_KPIS = (
    "spending_ttc",
    "net_cost",
    "anru_secured",
    "anru_lost",
    "n_on_time",
    "n_late",
    "n_dropped",
    "total_overrun",
    "peak_staff_overload",
)
"""The figures the minutes give for each decision (all of them are kept in the base)."""


def minutes_file_name(meeting: Meeting) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in meeting.name).strip("-")[:60] or "reunion"
    return f"releve-de-decisions-{meeting.date.isoformat()}-{safe}.docx"


def decision_figures(decision: Decision) -> str:
    """« Crédits de paiement TTC 123,4 M€ ; … » — the figures the room saw."""
    return " ; ".join(f"{KPI[k]} {fr.kpi_value(k, decision.kpis[k])}" for k in MINUTES_KPIS if k in decision.kpis)


def minutes_docx(meeting: Meeting, *, demo: bool = False) -> bytes:
    document = Document()
    word.a4_portrait(document)
    word.style_fonts(document, (("Normal", 10), ("Title", 20), ("Heading 1", 14), ("Heading 2", 11.5), ("Footer", 8)))
    stamp = datetime(meeting.date.year, meeting.date.month, meeting.date.day, 12)
    word.core_properties(document, f"Relevé de décisions — {meeting.name}", stamp)
    footer = document.sections[0].footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run(typography(f"Relevé de décisions — {meeting.name} — page "))
    word.page_number(footer)

    document.add_heading("Relevé de décisions", level=0)
    word.text(document, meeting.name, bold=True)
    word.text(
        document,
        f"{MEETING_KINDS[meeting.kind]} du {french_date(meeting.date)} — réunion {STATE_LABEL[meeting.state]}.",
    )
    if meeting.state != "close":
        word.text(document, "Relevé provisoire : la réunion n'est pas close.", italic=True)
    if demo:
        word.demo_mark(document, DEMO_MARK)
    scenario = quote(meeting.scenario) if meeting.scenario else "la référence au moment de chaque décision"
    word.text(document, f"Scénario discuté : {scenario}.")
    word.heading(document, "Participants")
    if meeting.participants:
        rows = [[p["name"], p["organisation"] or "—", "oui" if p["declared"] else "non"] for p in meeting.participants]
        word.table(document, ["Nom", "Organisation", "Personne déclarée"], rows, [6.5, 6.5, 4.0])
    else:
        word.text(document, "Aucun participant n'a été noté.")
    word.heading(document, "Décisions par point de l'ordre du jour")
    for item in meeting.items:
        label = f"opération {item.operation}" if item.operation else item.topic or ""
        word.heading(document, f"{item.position}. {label}", level=2)
        if not item.decisions:
            word.text(document, "Aucune décision sur ce point.", italic=True)
        for d in item.decisions:
            fix = f" (corrige la décision n° {d.corrects} — motif : {d.reason})" if d.corrects else ""
            word.text(document, f"Décision n° {d.id} — {DECISION_KINDS[d.kind]}{fix}", bold=True)
            word.text(document, d.text)
            word.text(
                document,
                f"Sur le scénario {quote(d.scenario)}, version {d.scenario_version}, "
                f"le {d.at:%d/%m/%Y à %H:%M}, par {d.user}. Chiffres présentés : {decision_figures(d)}.",
                italic=True,
            )
    word.heading(document, "Actions")
    actions = [a for d in meeting.decisions for a in d.actions]
    if actions:
        rows = [[str(a.id), a.text, a.owner, f"{a.due:%d/%m/%Y}", STATUS_LABEL[a.status]] for a in actions]
        word.table(document, ["N°", "Quoi", "Qui", "Pour le", "Statut"], rows, [1.2, 8.0, 3.6, 2.2, 2.0])
    else:
        word.text(document, "Aucune action.")
    buffer = io.BytesIO()
    document.save(buffer)
    return normalised_zip(buffer.getvalue(), stamp)


ACTION_HEADERS = (
    "N°",
    "Action",
    "Responsable",
    "Échéance",
    "Statut",
    "En retard",
    "Réunion",
    "Opération",
    "Décision",
    "Note",
    "Faite par",
    "Faite le",
)


def actions_xlsx(actions: Sequence[Action], today: date) -> bytes:
    """Every action with its status, as values (dates as dates, text kept as text)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(list(ACTION_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for a in actions:
        sheet.append(
            [
                a.id,
                a.text,
                a.owner,
                a.due,
                STATUS_LABEL[a.status],
                "oui" if a.overdue(today) else "non",
                a.meeting,
                a.operation or "",
                a.decision,
                a.note or "",
                a.done_by or "",
                a.done_at,
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        row[3].number_format = "DD/MM/YYYY"
        row[11].number_format = "DD/MM/YYYY HH:MM"
    for column, width in zip("ABCDEFGHIJKL", (6, 50, 20, 12, 10, 10, 30, 14, 10, 30, 16, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.properties.title = "Actions décidées en réunion"
    book.properties.creator = "Simulateur d'arbitrage NPNRU"
    stamp = datetime(today.year, today.month, today.day, 12)
    book.properties.created = book.properties.modified = stamp
    keep_as_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return normalised_zip(buffer.getvalue(), stamp)
