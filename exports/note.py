"""The committee note: a short Word document (python-docx) about one scenario.

Title, date, the scenario and what it changes against the comparison scenario, the KPI table,
the main charts, the operations whose dates, status or funding differ, the operations past a
deadline with their ANRU amounts, and the settings used, so the figures can be reproduced.
Texts follow French typography (no-break spaces from ``simulation.fr`` and ``exports.text``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from exports.archive import normalised_zip
from exports.context import ExportContext
from exports.images import chart_catalogue, chart_png
from exports.text import kpi_delta, kpi_value, quote, typography
from simulation import fr
from simulation.compare import choice_changes, operation_differences, settings_changes
from simulation.labels import DEMO_MARK, KPI, MILESTONE, OWNER, PHASE, STATUS
from simulation.risk import where_to_act
from simulation.scenario import COORDINATION_TEAM, OperationChoice, PhaseValues
from simulation.settings_text import settings_summary
from simulation.staffing import recommend

FONT = "Arial"
HEADER_FILL = "DDE6EE"
DEMO_COLOUR = RGBColor(0xB3, 0x59, 0x00)
KPI_TABLE_TITLE = "Indicateurs clés"


def note_docx(ctx: ExportContext, chart_images: dict[str, bytes] | None = None) -> bytes:
    """The note as .docx bytes. ``chart_images`` (PNG by chart key) reuses renders already made."""
    document = Document()
    _page_and_styles(document, ctx)
    _title(document, ctx)
    _scenario(document, ctx)
    _changes(document, ctx)
    _kpis(document, ctx)
    _accounts(document, ctx)
    _charts(document, ctx, chart_images or {})
    _differences(document, ctx)
    _late(document, ctx)
    _risk(document, ctx)
    _staffing(document, ctx)
    _drift(document, ctx)
    _settings(document, ctx)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalised_zip(buffer.getvalue(), ctx.timestamp)


# --------------------------------------------------------------------------- document set-up


def _page_and_styles(document: DocxDocument, ctx: ExportContext) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(language)
    for name, size in (("Normal", None), ("Title", 22), ("Heading 1", 14), ("Heading 2", 11.5), ("Footer", 8)):
        style = document.styles[name]
        _set_font(style)
        if size is not None:
            style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0, 0, 0)
    core = document.core_properties
    core.title = f"Note au comité d'engagement — scénario {ctx.name}"
    core.subject = "Équipements publics du NPNRU de Marseille"
    core.author = core.last_modified_by = "Simulateur d'arbitrage NPNRU"
    core.language = "fr-FR"
    core.revision = 1
    core.created = core.modified = ctx.timestamp
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer.style = document.styles["Footer"]
    run = footer.add_run(typography(ctx.source_line()) + " — page ")
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    _page_number(footer)


def _set_font(style) -> None:  # type: ignore[no-untyped-def]
    """The note's font for every script, theme fonts removed (they would win over it)."""
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _page_number(paragraph) -> None:  # type: ignore[no-untyped-def]
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _text(document: DocxDocument, text: str, *, bold: bool = False, italic: bool = False, style: str | None = None):  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph(style=style)
    run = paragraph.add_run(typography(text))
    run.bold, run.italic = bold, italic
    return paragraph


def _heading(document: DocxDocument, text: str, level: int = 1) -> None:
    document.add_heading(typography(text), level=level)


def _table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    bold_last: bool = False,
    size: float = 8.5,
):  # type: ignore[no-untyped-def]
    """A bordered table with a shaded header row repeated on each page; ``numeric`` columns right-aligned."""
    if document.paragraphs:  # the heading or sentence introducing the table stays with it
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True, size=size, right=False)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shading)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        last = bold_last and i == len(rows) - 1
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, bold=last, size=size, right=j in numeric)
    # Word reads the cells' widths, LibreOffice the grid's: set both, with a fixed layout.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    document.add_paragraph()
    return table


def _cell(cell, text: str, *, bold: bool, size: float, right: bool) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(typography(text))
    run.bold = bold
    run.font.size = Pt(size)


# --------------------------------------------------------------------------- sections


def _title(document: DocxDocument, ctx: ExportContext) -> None:
    document.add_heading("Note au comité d'engagement", level=0)
    _text(document, "Équipements publics du NPNRU de Marseille — simulation d'arbitrage", bold=True)
    compared = f", comparé au scénario {quote(ctx.against_name)}" if ctx.against_name else ""
    _text(document, f"Scénario {quote(ctx.name)}{compared}. Édité le {ctx.date_text}.")
    if ctx.demo:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(typography(DEMO_MARK + "."))
        run.bold = True
        run.font.color.rgb = DEMO_COLOUR


def _scenario(document: DocxDocument, ctx: ExportContext) -> None:
    scenario = ctx.scenario
    _heading(document, "1. Le scénario")
    _text(document, scenario.rationale.strip() or "Pas de justification saisie pour ce scénario.", italic=True)
    facts = []
    if scenario.author:
        facts.append(f"Auteur : {scenario.author}")
    if scenario.parent:
        facts.append(f"Établi à partir du scénario {quote(scenario.parent)}")
    if facts:
        _text(document, " — ".join(facts) + ".")


def _changes(document: DocxDocument, ctx: ExportContext) -> None:
    portfolio = ctx.portfolio
    if ctx.against is None:
        _heading(document, "2. Choix du scénario")
        _text(document, "Aucun scénario de comparaison : voici les choix du scénario par opération.")
        settings: list[str] = []
        against_choices: dict[str, OperationChoice] = {}
    else:
        _heading(document, f"2. Ce qui change par rapport au scénario {quote(ctx.against_name or '')}")
        settings = settings_changes(ctx.scenario, ctx.against.scenario)
        against_choices = dict(ctx.against.scenario.choices)
        _heading(document, "Réglages généraux", level=2)
        if settings:
            for line in settings:
                _text(document, line, style="List Bullet")
        else:
            _text(document, "Aucun réglage général ne change.")
        _heading(document, "Choix par opération", level=2)
    ids = set(ctx.scenario.choices) | set(against_choices)
    ordered = [op.id for op in portfolio.operations if op.id in ids]
    rows = []
    for op_id in ordered:
        reference = against_choices.get(op_id, OperationChoice())
        changes = choice_changes(ctx.scenario.choice(op_id), reference)
        if changes:
            rows.append([op_id, portfolio.by_id[op_id].title, " ; ".join(changes)])
    if rows:
        _table(document, ["Opération", "Intitulé", "Choix"], rows, [2.2, 7.3, 7.5])
    else:
        _text(document, "Aucune opération n'a de choix différent.")


def _accounts(document: DocxDocument, ctx: ExportContext) -> None:
    """A paragraph on the accounts: paid, still to pay, overrun incurred, AP to revise."""
    kpis = ctx.result.kpis
    if not ctx.portfolio.actuals and not kpis["ap_voted"]:
        return
    ops = ctx.result.operations
    to_revise = int((ops["ap_revision_needed"].fillna(0) > 0.5).sum())
    closed = sorted({a.year for a in ctx.portfolio.actuals if a.year < int(ctx.scenario.reference_month[:4])})
    years = f" ({', '.join(str(y) for y in closed)})" if closed else ""
    text = (
        f"Le réalisé : {kpi_value('paid_ttc', kpis['paid_ttc'])} de crédits de paiement mandatés sur les "
        f"exercices clos{years} ; reste à payer {kpi_value('remaining_ttc', kpis['remaining_ttc'])}, réparti sur "
        "les mois du plan à partir du mois de référence."
    )
    if kpis["incurred_overrun_ttc"] > 0.5:
        text += f" Dépassement déjà constaté : {kpi_value('incurred_overrun_ttc', kpis['incurred_overrun_ttc'])}."
    if kpis["ap_voted"]:
        text += (
            f" {to_revise} autorisation(s) de programme à réviser, pour "
            f"{kpi_value('ap_revision_needed', kpis['ap_revision_needed'])} au total."
        )
    _text(document, text)


def _kpis(document: DocxDocument, ctx: ExportContext) -> None:
    _heading(document, f"3. {KPI_TABLE_TITLE}")
    kpis = ctx.result.kpis
    if ctx.against is None:
        header = ["Indicateur", quote(ctx.name)]
        rows = [[label, kpi_value(key, kpis[key])] for key, label in KPI.items()]
        _table(document, header, rows, [11, 6], numeric=(1,))
        return
    theirs = ctx.against.kpis
    header = ["Indicateur", quote(ctx.name), quote(ctx.against_name or ""), "Écart"]
    rows = [
        [label, kpi_value(key, kpis[key]), kpi_value(key, theirs[key]), kpi_delta(key, kpis[key] - theirs[key])]
        for key, label in KPI.items()
    ]
    _table(document, header, rows, [7.6, 3.4, 3.4, 2.6], numeric=(1, 2, 3))
    _text(
        document,
        "Montants TTC actualisés (crédits de paiement), sauf le coût HT en prix de base ; "
        "« = » : pas d'écart significatif.",
        italic=True,
    )


def _charts(document: DocxDocument, ctx: ExportContext, images: dict[str, bytes]) -> None:
    _heading(document, "4. Graphiques")
    for chart in chart_catalogue(ctx):
        if not chart.in_note:
            continue
        png = images.get(chart.key) or chart_png(chart, ctx)
        document.add_picture(io.BytesIO(png), width=Cm(17))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _differences(document: DocxDocument, ctx: ExportContext) -> None:
    if ctx.against is None:
        return
    _heading(document, "5. Opérations dont les dates, le statut ou le financement changent")
    frame = operation_differences(ctx.result, ctx.against)
    # Operations whose only difference is their spending (escalation, envelopes…) are summed up.
    moved = (
        (frame["changes"] != "—")
        | (frame["status"] != frame["status_reference"])
        | (frame["works_start"] != frame["works_start_reference"])
        | ((frame["anru_secured"] - frame["anru_secured_reference"]).abs() > 0.5)
    )
    listed, amounts_only = frame[moved], frame[~moved]
    if listed.empty:
        _text(document, "Aucune opération ne change de dates, de statut ni de financement.")
    else:
        rows = []
        for row in listed.to_dict(orient="records"):
            before, after = STATUS[str(row["status_reference"])], STATUS[str(row["status"])]
            rows.append(
                [
                    f"{row['operation_id']} – {row['title']}",
                    str(row["changes"]),
                    str(row["consequences"]),
                    after if before == after else f"{before} → {after}",
                    fr.meuros(float(row["spending_difference"]), 2, signed=True),
                ]
            )
        _text(
            document,
            f"{len(rows)} opération(s). Écart de CP : crédits de paiement TTC du scénario moins ceux de la comparaison.",
        )
        _table(
            document,
            ["Opération", "Leviers du scénario", "Conséquences", "Statut", "Écart de CP"],
            rows,
            [4.6, 3.6, 4.6, 2.3, 1.9],
            numeric=(4,),
            size=8,
        )
    if not amounts_only.empty:
        _text(
            document,
            f"{len(amounts_only)} autre(s) opération(s) ne changent que de montant, par l'effet des réglages "
            f"généraux (actualisation, répartition par phase…) : écart de CP total "
            f"{fr.meuros(float(amounts_only['spending_difference'].sum()), 1, signed=True)}. "
            "Le détail par opération est dans le classeur (feuille « Opérations »).",
        )


def _late(document: DocxDocument, ctx: ExportContext) -> None:
    number = 6 if ctx.against is not None else 5
    _heading(document, f"{number}. Opérations hors délai et subvention ANRU à risque")
    risky = ctx.operations_at_risk()
    if not risky:
        _text(document, "Aucune opération retenue ne manque une échéance.")
        return
    scenario = ctx.scenario
    planned = sum(op.anru_planned for op in risky)
    lost = sum(op.anru_lost for op in risky)
    _text(
        document,
        f"{len(risky)} opération(s) manquent une échéance : engagement (jalon : {MILESTONE[scenario.commitment_milestone]}) "
        f"après {fr.month(scenario.commitment_deadline)}, ou fin des travaux après "
        f"{fr.month(scenario.completion_deadline)}. ANRU à risque : {fr.meuros(lost)} "
        f"sur {fr.meuros(planned)} d'ANRU prévue pour ces opérations.",
    )
    rows = []
    for op in risky:
        missed = [
            label
            for label, flag in (("engagement", op.commitment_missed), ("achèvement", op.completion_missed))
            if flag
        ]
        rows.append(
            [
                f"{op.operation_id} – {op.title}",
                op.neighbourhood,
                " et ".join(missed),
                fr.month(op.commitment_month),
                fr.month(op.completion),
                fr.euros(op.anru_planned),
                fr.euros(op.anru_lost),
            ]
        )
    rows.append(["Total", "", "", "", "", fr.euros(planned), fr.euros(lost)])
    _table(
        document,
        ["Opération", "Quartier", "Échéance manquée", "Engagement", "Fin des travaux", "ANRU prévue", "ANRU à risque"],
        rows,
        [4.1, 2.7, 2.0, 2.0, 2.0, 2.1, 2.1],
        numeric=(5, 6),
        bold_last=True,
        size=7.5,
    )


def _risk(document: DocxDocument, ctx: ExportContext) -> None:
    """One paragraph: what the draws of uncertain costs and durations add to the plan."""
    risk = ctx.risk
    if risk is None:
        return
    plan = ctx.result.kpis
    over = risk.yearly[risk.yearly["p_over"] >= 0.5]
    years = ", ".join(
        f"{OWNER.get(str(r['owner']), str(r['owner']))} {r['year']} ({fr.percent(float(r['p_over']), 0)})"
        for r in over.to_dict("records")
    )
    first = where_to_act(risk, limit=3)
    names = ", ".join(
        f"{r['operation_id']} ({fr.meuros(float(r['anru_lost_mean']))})" for r in first.to_dict("records")
    )
    text = (
        f"Sous incertitude ({fr.number(risk.draws)} tirages des coûts et des durées selon la maturité de chaque "
        f"opération, lois triangulaires issues du Green Book britannique) : une opération retenue tient l'échéance "
        f"d'engagement avec une probabilité moyenne de {fr.percent(risk.p_commitment_mean)} ; "
        f"{fr.number(risk.late_operations['mean'], 1)} opération(s) en retard en moyenne "
        f"({fr.number(risk.late_operations['p90'], 0)} au 9e décile, {plan['n_late']} dans le plan) ; ANRU perdue "
        f"{fr.meuros(risk.anru_lost['mean'])} en moyenne, {fr.meuros(risk.anru_lost['p90'])} au 9e décile "
        f"({fr.meuros(plan['anru_lost'])} dans le plan)."
    )
    if years:
        text += f" Années où l'enveloppe est plus probablement dépassée que tenue : {years}."
    if names:
        text += f" Où agir d'abord (ANRU perdue attendue) : {names}."
    _text(document, text)


def _drift(document: DocxDocument, ctx: ExportContext) -> None:
    """Stabilisation: how far programme, cost and calendar moved since the milestone."""
    if ctx.drift is None:
        return
    number = (7 if ctx.against is not None else 6) + 1  # after the staffing section
    t = ctx.drift.totals
    _heading(document, f"{number}. Stabilisation depuis le jalon {quote(ctx.milestone or '')}")
    _text(
        document,
        f"Depuis ce jalon, {t['n_modified']} opération(s) ont été modifiée(s), {t['n_added']} ajoutée(s) et "
        f"{t['n_removed']} retirée(s) ; {t['n_unchanged']} sont inchangée(s). Le coût HT du portefeuille passe "
        f"de {fr.meuros(t['cost_ht_before'])} à {fr.meuros(t['cost_ht_after'])} "
        f"({fr.meuros(t['cost_ht_drift'], signed=True)} ; TTC {fr.meuros(t['cost_ttc_drift'], signed=True)}). "
        f"{t['n_slipped']} opération(s) voient leurs travaux commencer plus tard (au plus "
        f"{t['max_slippage_months']} mois), {t['n_advanced']} plus tôt ; le programme de "
        f"{t['n_programme_changed']} opération(s) a changé.",
    )
    moved = [o for o in ctx.drift.operations if o.status != "inchangée"]
    moved.sort(key=lambda o: -abs((o.cost_ht_after or 0.0) - (o.cost_ht_before or 0.0)))
    rows = []
    for o in moved[:15]:
        cost = (
            "—"
            if o.cost_ht_before is None or o.cost_ht_after is None
            else fr.meuros(o.cost_ht_after - o.cost_ht_before, 2, signed=True)
        )
        slip = "—" if o.slippage_months is None else ("=" if o.slippage_months == 0 else f"{o.slippage_months:+d} mois")
        rows.append([o.id, o.title, o.status, cost, slip])
    if rows:
        _table(document, ["Opération", "Intitulé", "Statut", "Écart HT", "Travaux"], rows, [2.2, 7.0, 2.4, 2.8, 2.6])


STAFFING_TITLE = "Effectifs : recrutements recommandés"


def _staffing(document: DocxDocument, ctx: ExportContext) -> None:
    """Which directorates, and how many coordinators, the plan needs and from when."""
    number = 7 if ctx.against is not None else 6
    _heading(document, f"{number}. {STAFFING_TITLE}")
    scenario = ctx.scenario
    owner = OWNER.get(scenario.capacity_owner.value, scenario.capacity_owner.value)
    recommendations = recommend(ctx.result)
    planned = f", avec les {len(scenario.recruitments)} recrutement(s) déjà prévus" if scenario.recruitments else ""
    _text(
        document,
        f"Charge des chefs de projet des directions et de l'équipe transversale « {COORDINATION_TEAM} » "
        f"pour les opérations en cours dont le maître d'ouvrage est {owner}, face aux effectifs du scénario"
        f"{planned}. Délai de recrutement retenu : {scenario.recruitment_lead_months} mois.",
    )
    if not recommendations:
        _text(document, "Aucun recrutement nécessaire : aucun mois ne dépasse l'effectif.")
        return
    for rec in recommendations:
        _text(document, rec.sentence + ".", style="List Bullet")
    rows = [
        [
            rec.directorate,
            fr.fte(rec.fte),
            fr.month(rec.start),
            fr.month(rec.launch) + (" (dépassé)" if rec.launch_late else ""),
            fr.fte(rec.peak_overload),
            fr.number(rec.months_over),
        ]
        for rec in recommendations
    ]
    _table(
        document,
        ["Équipe", "À recruter", "À partir de", "Lancer le recrutement", "Surcharge maximale", "Mois en surcharge"],
        rows,
        [4.0, 2.2, 2.6, 3.2, 2.6, 2.4],
        numeric=(1, 4, 5),
    )
    _text(
        document,
        "Le plus petit nombre entier d'ETP qui supprime toute surcharge, à partir du premier mois en surcharge. "
        f"La charge de coordination par opération en cours ({_phase_fte(scenario.coordination_load)}) est un "
        "paramètre illustratif du scénario.",
        italic=True,
    )


def _phase_fte(values: PhaseValues) -> str:
    return " ; ".join(f"{PHASE[p].lower()} {fr.fte(getattr(values, p))}" for p in PHASE)


def _settings(document: DocxDocument, ctx: ExportContext) -> None:
    number = (7 if ctx.against is not None else 6) + 1 + (1 if ctx.drift is not None else 0)
    scenario = ctx.scenario
    _heading(document, f"{number}. Réglages utilisés")
    rows = [[label, value] for label, value in settings_summary(scenario)]
    _table(document, ["Réglage", "Valeur"], rows, [7, 10])
    _heading(document, "Enveloppes de crédits de paiement (M€ TTC)", level=2)
    envelopes = {owner.value: years for owner, years in scenario.envelopes.items()}
    years = sorted({year for values in envelopes.values() for year in values})
    if envelopes and years:
        owners = [owner for owner in OWNER if owner in envelopes]
        rows = [
            [
                OWNER[owner],
                *[fr.number(envelopes[owner].get(y, 0) / 1e6, 1) for y in years],
                fr.number(sum(envelopes[owner].values()) / 1e6, 1),
            ]
            for owner in owners
        ]
        width = 13.5 / (len(years) + 1)
        _table(
            document,
            ["Maître d'ouvrage", *map(str, years), "Total"],
            rows,
            [3.5, *[width] * (len(years) + 1)],
            numeric=tuple(range(1, len(years) + 2)),
        )
    else:
        _text(document, "Aucune enveloppe fixée.")
    _heading(document, "Effectifs de chefs de projet (ETP)", level=2)
    if scenario.headcount:
        rows = [[name, fr.fte(value)] for name, value in scenario.headcount.items()]
        _table(document, ["Direction", "Effectif"], rows, [7, 4], numeric=(1,))
    else:
        _text(document, "Aucun effectif fixé.")
    command = f'python -m simulation report --scenario "{scenario.name}"'
    if ctx.against is not None:
        command += f' --against "{ctx.against.scenario.name}"'
    _text(
        document,
        f"Pour reproduire ces chiffres : {command} --out DOSSIER, sur la même base d'opérations ; "
        "le classeur tableaux.xlsx reprend aussi les réglages et les choix par opération.",
        italic=True,
    )
    _text(document, ctx.source_line(), italic=True)
