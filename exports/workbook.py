"""The workbook of a scenario (.xlsx, openpyxl): the engine's tables as real numbers.

Sheets: about (what, when, which data), operations with their results, spending per owner and
year against the envelope, funding per funder and year, staff load, scenario settings and
per-operation choices. Amounts are numbers with French-looking formats (Excel shows
``#,##0 "€"`` as ``1 234 567 €`` on a French system), headers are frozen and filterable.
"""

from __future__ import annotations

import functools
import io
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from charts.theme import HEADER_FILL_HEX
from exports.archive import normalised_zip
from exports.context import ExportContext
from exports.text import quote
from simulation.cell_text import keep_as_text
from simulation.labels import (
    COMMITMENT_ON_TIME,
    DEMO_MARK,
    FACILITY_TYPE,
    FUNDER,
    KPI,
    OWNER,
    PHASE,
    SHIFT_MONTHS,
    STATUS,
)
from simulation.model import FUNDERS
from simulation.months import parse_month
from simulation.scenario import Scenario
from simulation.settings_text import SETTING, setting_text
from simulation.staffing import recommend

EUROS = '#,##0 "€";-#,##0 "€";0 "€"'
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
FTE = '#,##0.0 "ETP"'
LOAD = '#,##0.0## "ETP"'  # a load per operation: 0,02 ETP must not read 0,0 ETP
PERCENT = "0.0 %"
FACTOR = "0.00"
MONTH = "mm/yyyy"
TEXT = "@"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL_HEX)

SHEET_OPERATIONS = "Opérations"
SHEET_YEARLY = "CP par année"
SHEET_FUNDING = "Financements"
SHEET_STAFF = "Charge des équipes"
SHEET_SETTINGS = "Réglages"
SHEET_RECRUITMENTS = "Recrutements"
SHEET_CHOICES = "Choix par opération"
SHEET_KPIS = "Indicateurs"
SHEET_RISK = "Risques"
SHEET_DRIFT = "Dérive depuis le jalon"
SHEET_ACTUALS = "Réalisé"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str | None = None
    width: float = 14


def workbook_xlsx(ctx: ExportContext) -> bytes:
    """The workbook as .xlsx bytes (deterministic for a given edition date)."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "À propos"
    _about(about, ctx)
    _kpis(book.create_sheet(SHEET_KPIS), ctx)
    _operations(book.create_sheet(SHEET_OPERATIONS), ctx)
    _yearly(book.create_sheet(SHEET_YEARLY), ctx)
    _funding(book.create_sheet(SHEET_FUNDING), ctx)
    _staff(book.create_sheet(SHEET_STAFF), ctx)
    _recruitments(book.create_sheet(SHEET_RECRUITMENTS), ctx)
    _settings(book.create_sheet(SHEET_SETTINGS), ctx)
    _choices(book.create_sheet(SHEET_CHOICES), ctx)
    if ctx.portfolio.actuals:
        _actuals(book.create_sheet(SHEET_ACTUALS), ctx)
    if ctx.risk is not None:
        _risk(book.create_sheet(SHEET_RISK), ctx)
    if ctx.drift is not None:
        _drift(book.create_sheet(SHEET_DRIFT), ctx)
    book.properties.title = f"Tableaux du scénario {ctx.name}"
    book.properties.creator = book.properties.lastModifiedBy = "Simulateur d'arbitrage NPNRU"
    book.properties.language = "fr-FR"
    book.properties.created = book.properties.modified = ctx.timestamp
    keep_as_text(book)  # a title like "=HYPERLINK(…)" stays text
    buffer = io.BytesIO()
    book.save(buffer)
    return normalised_zip(buffer.getvalue(), ctx.timestamp)


def month_date(text: str | None) -> date | None:
    """First day of a ``YYYY-MM`` month, as a real spreadsheet date."""
    if not text:
        return None
    year, month0 = divmod(parse_month(text), 12)
    return date(year, month0 + 1, 1)


def _plain(value: Any) -> Any:
    """Python scalars for openpyxl; NaN becomes an empty cell."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _table(sheet: Worksheet, columns: Sequence[Column], records: Sequence[Any], first_row: int = 1) -> None:
    """Header, rows, number formats, widths, frozen header and auto-filter."""
    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(row=first_row, column=j, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(j)].width = column.width
    for i, record in enumerate(records, start=first_row + 1):
        for j, column in enumerate(columns, start=1):
            cell = sheet.cell(row=i, column=j, value=_plain(column.value(record)))
            if column.number_format:
                cell.number_format = column.number_format
    last = get_column_letter(len(columns))
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=1)
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(len(records), 1)}"


def _yes_no(flag: Any) -> str:
    return "Oui" if bool(flag) else "Non"


def _about(sheet: Worksheet, ctx: ExportContext) -> None:
    rows = [
        ("Classeur", f"Tableaux du scénario {quote(ctx.name)}"),
        ("Comparé à", quote(ctx.against_name) if ctx.against_name else "—"),
        ("Édité le", ctx.date_text),
        ("Données", ctx.source),
        ("Source", ctx.source_line()),
    ]
    if ctx.demo:
        rows.append(("Attention", DEMO_MARK))
    rows += [
        ("", ""),
        ("Feuille", "Contenu"),
        (SHEET_KPIS, "Indicateurs clés du scénario (et de la comparaison)"),
        (SHEET_OPERATIONS, "Une ligne par opération : choix, dates, statut et montants calculés"),
        (SHEET_YEARLY, "Crédits de paiement TTC par maître d'ouvrage et par année, face à l'enveloppe"),
        (SHEET_FUNDING, "Subventions reçues par financeur, maître d'ouvrage et année"),
        (SHEET_STAFF, "Charge mensuelle des chefs de projet par direction, face à l'effectif"),
        (SHEET_SETTINGS, "Réglages généraux, enveloppes et effectifs du scénario"),
        (SHEET_CHOICES, "Choix du scénario opération par opération"),
        *(
            [
                (
                    SHEET_RISK,
                    "Tirages des coûts et des durées : probabilités de tenir les échéances, coûts, CP P10/P50/P90",
                )
            ]
            if ctx.risk is not None
            else []
        ),
        ("", ""),
        ("Unités", "Montants en euros ; TTC actualisés pour les crédits de paiement, HT en prix de base pour le coût."),
    ]
    for row in rows:
        sheet.append(list(row))
    for cell in sheet["A"]:
        cell.font = HEADER_FONT
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 110


def _kpis(sheet: Worksheet, ctx: ExportContext) -> None:
    from exports.text import kpi_value
    from simulation.labels import FTE_KPIS, MONEY_KPIS

    def number_format(key: str) -> str:
        return EUROS if key in MONEY_KPIS else (FTE if key in FTE_KPIS else INTEGER)

    records = list(KPI.items())
    columns = [Column("Indicateur", lambda r: r[1], width=40)]
    columns.append(Column(ctx.name, lambda r: ctx.result.kpis[r[0]], None, 20))
    if ctx.against is not None:
        against = ctx.against
        columns.append(Column(ctx.against_name or "", lambda r: against.kpis[r[0]], None, 20))
        columns.append(Column("Écart", lambda r: ctx.result.kpis[r[0]] - against.kpis[r[0]], None, 18))
    columns.append(Column("Tel qu'affiché", lambda r: kpi_value(r[0], ctx.result.kpis[r[0]]), TEXT, 16))
    _table(sheet, columns, records)
    for i, (key, _label) in enumerate(records, start=2):
        for j in range(2, len(columns)):
            sheet.cell(row=i, column=j).number_format = number_format(key)


def _operations(sheet: Worksheet, ctx: ExportContext) -> None:
    names = ctx.portfolio.neighbourhood_names
    money = [
        ("cost_ht", KPI["cost_ht"]),
        ("spending_ttc", "CP TTC actualisés"),
        *[(f"funding_{f.value}", f"Financement {FUNDER[f.value]}") for f in FUNDERS],
        *[(key, KPI[key]) for key in ("subsidies", "anru_planned", "anru_secured", "anru_lost")],
        ("anru_forgone", "ANRU renoncée (abandon)"),
        ("fctva", KPI["fctva"]),
        ("net_cost", "Coût net"),
    ]
    columns = [
        Column("Identifiant", lambda r: r.operation_id, width=11),
        Column("Intitulé", lambda r: r.title, width=48),
        Column("Quartier", lambda r: names.get(r.neighbourhood, r.neighbourhood), width=30),
        Column("Type", lambda r: FACILITY_TYPE.get(r.facility_type, r.facility_type), width=18),
        Column("Direction", lambda r: r.directorate, width=16),
        Column("Maître d'ouvrage", lambda r: OWNER.get(r.owner, r.owner), width=15),
        Column("Maître d'ouvrage d'origine", lambda r: OWNER.get(r.original_owner, r.original_owner), width=15),
        Column("Priorité", lambda r: r.priority, INTEGER, 9),
        Column("Retenue", lambda r: _yes_no(r.kept), width=9),
        Column(SHIFT_MONTHS, lambda r: r.shift_months, INTEGER, 10),
        Column("Attente d'une autre opération (mois)", lambda r: r.pushed_months, INTEGER, 12),
        Column("Coefficient de coût", lambda r: r.cost_factor, FACTOR, 11),
        Column("Début", lambda r: month_date(r.start), MONTH, 10),
        Column("Début de la conception", lambda r: month_date(r.design_start), MONTH, 11),
        Column("Début de la consultation", lambda r: month_date(r.tendering_start), MONTH, 11),
        Column("Début des travaux", lambda r: month_date(r.works_start), MONTH, 10),
        Column("Fin des travaux", lambda r: month_date(r.completion), MONTH, 10),
        Column("Jalon d'engagement", lambda r: month_date(r.commitment_month), MONTH, 11),
        Column("Engagement hors délai", lambda r: _yes_no(r.commitment_missed), width=11),
        Column("Achèvement hors délai", lambda r: _yes_no(r.completion_missed), width=11),
        Column("Statut", lambda r: STATUS[r.status], width=15),
        *[Column(label, operator.attrgetter(key), EUROS, 16) for key, label in money],
    ]
    _table(sheet, columns, list(ctx.result.operations.itertuples(index=False)))


def _yearly(sheet: Worksheet, ctx: ExportContext) -> None:
    columns = [
        Column("Maître d'ouvrage", lambda r: OWNER.get(r.owner, r.owner), width=16),
        Column("Année", lambda r: r.year, "0", 8),
        Column("CP TTC", lambda r: r.spending_ttc, EUROS, 16),
        Column("Enveloppe", lambda r: r.envelope, EUROS, 16),
        Column("Écart (CP − enveloppe)", lambda r: r.gap, EUROS, 16),
        Column("Au-dessus de l'enveloppe", lambda r: _yes_no(r.over_envelope), width=12),
        Column("Subventions", lambda r: r.subsidies, EUROS, 16),
        Column("FCTVA", lambda r: r.fctva, EUROS, 16),
        Column("Coût net", lambda r: r.net_cost, EUROS, 16),
    ]
    _table(sheet, columns, list(ctx.result.yearly.itertuples(index=False)))


def _actuals(sheet: Worksheet, ctx: ExportContext) -> None:
    """One row per operation and year of the accounts: planned (the plan before the accounts),
    paid, committed, and what the scenario counts that year (paid in a closed year)."""
    years = ctx.result.operation_years
    planned = {
        (str(op_id), int(year)): (float(plan), float(spent))
        for op_id, year, plan, spent in zip(
            years["operation_id"], years["year"], years["planned_ttc"], years["spending_ttc"], strict=True
        )
    }
    titles = {op.id: op.title for op in ctx.portfolio.operations}
    owners = {op.id: op.owner.value for op in ctx.portfolio.operations}
    reference_year = int(ctx.scenario.reference_month[:4])
    columns = [
        Column("Opération", lambda a: a.operation_id, width=12),
        Column("Intitulé", lambda a: titles.get(a.operation_id, ""), width=40),
        Column("Maître d'ouvrage", lambda a: OWNER.get(owners.get(a.operation_id, ""), ""), width=16),
        Column("Année", lambda a: a.year, "0", 8),
        Column("Exercice", lambda a: "clos" if a.year < reference_year else "en cours ou à venir", width=16),
        Column("Prévu (plan)", lambda a: planned.get((a.operation_id, a.year), (0.0, 0.0))[0], EUROS, 16),
        Column("CP mandatés TTC", lambda a: a.mandate_ttc, EUROS, 16),
        Column("Engagements TTC", lambda a: a.engage_ttc, EUROS, 16),
        Column("CP du scénario", lambda a: planned.get((a.operation_id, a.year), (0.0, 0.0))[1], EUROS, 16),
    ]
    _table(sheet, columns, list(ctx.portfolio.actuals))


def _funding(sheet: Worksheet, ctx: ExportContext) -> None:
    columns = [
        Column("Financeur", lambda r: FUNDER.get(r.funder, r.funder), width=14),
        Column("Maître d'ouvrage", lambda r: OWNER.get(r.owner, r.owner), width=16),
        Column("Année", lambda r: r.year, "0", 8),
        Column("Montant reçu", lambda r: r.amount, EUROS, 16),
    ]
    _table(sheet, columns, list(ctx.result.funding.itertuples(index=False)))


def _staff(sheet: Worksheet, ctx: ExportContext) -> None:
    columns = [
        Column("Direction", lambda r: r.directorate, width=18),
        Column("Mois", lambda r: month_date(r.month), MONTH, 10),
        Column("Charge (ETP)", lambda r: r.load_fte, DECIMAL, 12),
        Column("Effectif (ETP)", lambda r: r.headcount, DECIMAL, 12),
        Column("Surcharge (ETP)", lambda r: r.overload_fte, DECIMAL, 12),
    ]
    _table(sheet, columns, list(ctx.result.staff.itertuples(index=False)))


_SETTING_CELL: dict[str, tuple[Callable[[Scenario], Any], str]] = {
    "reference_month": (lambda s: month_date(s.reference_month), MONTH),
    "horizon_year": (lambda s: s.horizon_year, "0"),
    "escalation_rate": (lambda s: s.escalation_rate, '0.0 %" par an"'),
    "commitment_deadline": (lambda s: month_date(s.commitment_deadline), MONTH),
    "completion_deadline": (lambda s: month_date(s.completion_deadline), MONTH),
    "fctva_rate": (lambda s: s.fctva_rate, "0.000 %"),
}
"""Settings written as numbers or dates a spreadsheet can compute with; the others as their French text."""
_PHASE_FORMAT = {"phase_shares": PERCENT, "staff_load": LOAD, "coordination_load": LOAD}


def _setting_rows(scenario: Scenario) -> list[tuple[str, Any, str | None]]:
    """One row per global setting (one per phase for the per-phase ones), labelled as everywhere else."""
    rows: list[tuple[str, Any, str | None]] = []
    for key, label in SETTING.items():
        if key in _PHASE_FORMAT:
            values = getattr(scenario, key)
            rows += [(f"{label} : {PHASE[p].lower()}", getattr(values, p), _PHASE_FORMAT[key]) for p in PHASE]
        elif key in _SETTING_CELL:
            value, number_format = _SETTING_CELL[key]
            rows.append((label, value(scenario), number_format))
        else:
            rows.append((label, setting_text(scenario, key), None))
    return rows


def _recruitments(sheet: Worksheet, ctx: ExportContext) -> None:
    """The recommended recruitments, then the scenario's recruitment plan."""
    columns = [
        Column("Équipe", lambda r: r.directorate, width=24),
        Column("ETP à recruter", lambda r: r.fte, INTEGER, 12),
        Column("À partir de", lambda r: month_date(r.start), MONTH, 12),
        Column("Lancer le recrutement", lambda r: month_date(r.launch), MONTH, 14),
        Column("Lancement déjà dépassé", lambda r: _yes_no(r.launch_late), width=12),
        Column("Surcharge maximale (ETP)", lambda r: r.peak_overload, DECIMAL, 14),
        Column("Mois en surcharge", lambda r: r.months_over, INTEGER, 12),
        Column("Recommandation", lambda r: r.sentence, width=90),
    ]
    recommendations = recommend(ctx.result)
    _table(sheet, columns, recommendations)
    start = len(recommendations) + 3
    sheet.cell(row=start, column=1, value="Plan de recrutement du scénario").font = HEADER_FONT
    plan = [(r.direction, r.fte, month_date(r.start), month_date(r.end)) for r in ctx.scenario.recruitments]
    _block(
        sheet,
        start + 1,
        ["Direction", "ETP", "À partir de", "Jusqu'à (vide : sans fin)"],
        plan,
        [None, DECIMAL, MONTH, MONTH],
    )


def _settings(sheet: Worksheet, ctx: ExportContext) -> None:
    scenario = ctx.scenario
    rows: list[tuple[str, Any, str | None]] = [
        ("Scénario", scenario.name, None),
        ("Auteur", scenario.author or "—", None),
        ("Établi à partir de", scenario.parent or "—", None),
        ("Justification", scenario.rationale or "—", None),
        *_setting_rows(scenario),
    ]
    _table(
        sheet,
        [Column("Réglage", lambda r: r[0], width=38), Column("Valeur", lambda r: r[1], width=60)],
        rows,
    )
    for i, (_label, _value, number_format) in enumerate(rows, start=2):
        if number_format:
            sheet.cell(row=i, column=2).number_format = number_format
            sheet.cell(row=i, column=2).alignment = Alignment(horizontal="left")
    start = len(rows) + 3
    sheet.cell(row=start, column=1, value="Enveloppes").font = HEADER_FONT
    envelopes = [
        (OWNER.get(owner.value, owner.value), year, amount)
        for owner, years in scenario.envelopes.items()
        for year, amount in sorted(years.items())
    ]
    _block(sheet, start + 1, ["Maître d'ouvrage", "Année", "Enveloppe"], envelopes, [None, "0", EUROS])
    start += len(envelopes) + 3
    sheet.cell(row=start, column=1, value="Effectifs").font = HEADER_FONT
    _block(sheet, start + 1, ["Direction", "Effectif (ETP)"], list(scenario.headcount.items()), [None, DECIMAL])


def _block(
    sheet: Worksheet, first_row: int, header: list[str], rows: Sequence[Sequence[Any]], formats: list[str | None]
) -> None:
    """A small table below another (no second auto-filter: Excel allows one per sheet)."""
    for j, text in enumerate(header, start=1):
        cell = sheet.cell(row=first_row, column=j, value=text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for i, row in enumerate(rows, start=first_row + 1):
        for j, (value, number_format) in enumerate(zip(row, formats, strict=True), start=1):
            cell = sheet.cell(row=i, column=j, value=value)
            if number_format:
                cell.number_format = number_format
    sheet.column_dimensions["C"].width = max(sheet.column_dimensions["C"].width or 0, 16)


def _duration(record: tuple[str, Any], phase: str) -> int | None:
    return getattr(record[1].durations, phase)


def _choices(sheet: Worksheet, ctx: ExportContext) -> None:
    titles = {op.id: op.title for op in ctx.portfolio.operations}
    records = sorted(ctx.scenario.choices.items())
    columns = [
        Column("Identifiant", lambda r: r[0], width=11),
        Column("Intitulé", lambda r: titles.get(r[0], ""), width=48),
        Column("Retenue", lambda r: _yes_no(r[1].keep), width=9),
        Column(SHIFT_MONTHS, lambda r: r[1].shift_months, INTEGER, 10),
        Column("Coefficient de coût", lambda r: r[1].cost_factor, FACTOR, 11),
        Column("Transférée à", lambda r: OWNER.get(r[1].owner.value, "") if r[1].owner else "", width=14),
        *[
            Column(f"Durée {PHASE[p].lower()} (mois)", functools.partial(_duration, phase=p), INTEGER, 12)
            for p in PHASE
        ],
    ]
    _table(sheet, columns, records)
    if not records:
        sheet.cell(row=2, column=1, value="Aucun choix : toutes les opérations suivent leurs données d'origine.")


def _risk(sheet: Worksheet, ctx: ExportContext) -> None:
    """Per kept operation: odds of meeting each deadline, cost and ANRU lost (plan, mean, P90);
    then per owner and year the CP percentiles against the envelope."""
    risk = ctx.risk
    assert risk is not None
    sheet.append(
        [
            f"{risk.draws} tirages (graine {risk.seed}), corrélation {ctx.scenario.uncertainty_correlation:g} ; "
            "lois triangulaires par maturité (réglage « uncertainty » du scénario)"
        ]
    )
    columns = [
        Column("Identifiant", lambda r: r["operation_id"], width=11),
        Column("Intitulé", lambda r: r["title"], width=48),
        Column("Maturité", lambda r: r["maturity"], width=12),
        Column(COMMITMENT_ON_TIME, lambda r: r["p_commitment_on_time"], PERCENT, 13),
        Column("P(achèvement à temps)", lambda r: r["p_completion_on_time"], PERCENT, 13),
        Column("CP TTC du plan", lambda r: r["cost_ttc_plan"], EUROS, 16),
        Column("CP TTC moyens", lambda r: r["cost_ttc_mean"], EUROS, 16),
        Column("CP TTC 9e décile", lambda r: r["cost_ttc_p90"], EUROS, 16),
        Column("ANRU perdue (plan)", lambda r: r["anru_lost_plan"], EUROS, 16),
        Column("ANRU perdue attendue", lambda r: r["anru_lost_mean"], EUROS, 16),
        Column("Part du dépassement P90", lambda r: r["overrun_share"], PERCENT, 13),
    ]
    records = risk.operations.to_dict("records")
    _table(sheet, columns, records, first_row=2)
    yearly = [
        Column("Maître d'ouvrage", lambda r: OWNER.get(r["owner"], r["owner"]), width=11),
        Column("Année", lambda r: r["year"], TEXT, 48),
        Column("CP du plan", lambda r: r["plan"], EUROS, 12),
        Column("CP 1er décile", lambda r: r["p10"], EUROS, 13),
        Column("CP médians", lambda r: r["p50"], EUROS, 13),
        Column("CP 9e décile", lambda r: r["p90"], EUROS, 16),
        Column("Enveloppe", lambda r: r["envelope"], EUROS, 16),
        Column("P(dépassement)", lambda r: r["p_over"], PERCENT, 16),
    ]
    first_row = len(records) + 4
    freeze, auto_filter = sheet.freeze_panes, sheet.auto_filter.ref
    _table(sheet, yearly, risk.yearly.assign(year=risk.yearly["year"].astype(str)).to_dict("records"), first_row)
    sheet.freeze_panes, sheet.auto_filter.ref = freeze, auto_filter  # the operations table keeps the filter


def _drift(sheet: Worksheet, ctx: ExportContext) -> None:
    """Operation by operation, today against the milestone; totals above the table."""
    assert ctx.drift is not None
    t = ctx.drift.totals
    sheet.append([f"Dérive depuis le jalon {quote(ctx.milestone or '')}"])
    sheet["A1"].font = HEADER_FONT
    sheet.append(
        [
            f"Inchangées : {t['n_unchanged']} ; modifiées : {t['n_modified']} ; ajoutées : {t['n_added']} ; "
            f"retirées : {t['n_removed']}. Travaux retardés : {t['n_slipped']} (au plus {t['max_slippage_months']} mois)."
        ]
    )
    euros = '#,##0 "€"'
    columns = [
        Column("Opération", lambda r: r.id, width=12),
        Column("Intitulé", lambda r: r.title, width=44),
        Column("Direction", lambda r: r.directorate, width=18),
        Column("Statut", lambda r: r.status, width=12),
        Column("Coût HT au jalon", lambda r: r.cost_ht_before, euros, 16),
        Column("Coût HT aujourd'hui", lambda r: r.cost_ht_after, euros, 16),
        Column("Coût TTC au jalon", lambda r: r.cost_ttc_before, euros, 16),
        Column("Coût TTC aujourd'hui", lambda r: r.cost_ttc_after, euros, 16),
        Column("Début des travaux au jalon", lambda r: month_date(r.works_start_before), "mm/yyyy", 14),
        Column("Début des travaux aujourd'hui", lambda r: month_date(r.works_start_after), "mm/yyyy", 14),
        Column("Glissement des travaux (mois)", lambda r: r.slippage_months, "0", 14),
        Column("Glissement de l'engagement (mois)", lambda r: r.commitment_slippage_months, "0", 14),
        Column("Programme modifié", lambda r: ", ".join(r.programme_changes), width=24),
    ]
    _table(sheet, columns, list(ctx.drift.operations), first_row=4)
