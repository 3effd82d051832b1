"""The committee note: a short Word document (python-docx) about one scenario.

Title, date, the scenario and what it changes against the comparison scenario, the KPI table,
the main charts, the operations whose dates, status or funding differ, the operations past a
deadline with their ANRU amounts, and the settings used, so the figures can be reproduced.
Texts follow French typography (no-break spaces from ``simulation.fr`` and ``exports.text``);
the page, fonts and tables come from the Word toolkit, ``exports.word``.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from exports import word
from exports.archive import normalised_zip
from exports.context import ExportContext
from exports.images import chart_catalogue, chart_png
from exports.text import kpi_delta, kpi_value, quote, typography
from simulation import fr
from simulation.compare import choice_changes, operation_differences, settings_changes
from simulation.dialogue import DECISION_KINDS as DECISION_LABEL
from simulation.labels import (
    COMMITMENT_ODDS_DEFINITION,
    COMMITMENT_ODDS_LABEL,
    DEMO_MARK,
    KPI,
    KPI_DEFINITION,
    MILESTONE,
    OWNER,
    PHASE,
    STATUS,
)
from simulation.levers import envelope_table
from simulation.risk import where_to_act
from simulation.scenario import COORDINATION_TEAM, OperationChoice, PhaseValues
from simulation.settings_text import settings_summary
from simulation.staffing import recommend
from simulation.tolerances import EURO_NIL

KPI_TABLE_TITLE = "Indicateurs clés"
GLOSSARY_TITLE = "Définition des indicateurs"


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
    _decisions(document, ctx)
    _settings(document, ctx)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalised_zip(buffer.getvalue(), ctx.timestamp)


# --------------------------------------------------------------------------- document set-up


def _page_and_styles(document: DocxDocument, ctx: ExportContext) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    word.a4_portrait(document)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "fr-FR")
    normal.element.get_or_add_rPr().append(language)
    word.style_fonts(document, (("Normal", None), ("Title", 22), ("Heading 1", 14), ("Heading 2", 11.5), ("Footer", 8)))
    word.core_properties(
        document,
        f"Note au comité d'engagement — scénario {ctx.name}",
        ctx.timestamp,
        subject="Équipements publics du NPNRU de Marseille",
    )
    footer = section.footer.paragraphs[0]
    footer.text = ""
    footer.style = document.styles["Footer"]
    run = footer.add_run(typography(ctx.source_line()) + " — page ")
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    word.page_number(footer)


# --------------------------------------------------------------------------- sections


def _title(document: DocxDocument, ctx: ExportContext) -> None:
    document.add_heading("Note au comité d'engagement", level=0)
    word.text(document, "Équipements publics du NPNRU de Marseille — simulation d'arbitrage", bold=True)
    compared = f", comparé au scénario {quote(ctx.against_name)}" if ctx.against_name else ""
    word.text(document, f"Scénario {quote(ctx.name)}{compared}. Édité le {ctx.date_text}.")
    if ctx.demo:
        word.demo_mark(document, DEMO_MARK)


def _scenario(document: DocxDocument, ctx: ExportContext) -> None:
    scenario = ctx.scenario
    word.heading(document, "1. Le scénario")
    word.text(document, scenario.rationale.strip() or "Pas de justification saisie pour ce scénario.", italic=True)
    facts = []
    if scenario.author:
        facts.append(f"Auteur : {scenario.author}")
    if scenario.parent:
        facts.append(f"Établi à partir du scénario {quote(scenario.parent)}")
    if facts:
        word.text(document, " — ".join(facts) + ".")


def _changes(document: DocxDocument, ctx: ExportContext) -> None:
    portfolio = ctx.portfolio
    if ctx.against is None:
        word.heading(document, "2. Choix du scénario")
        word.text(document, "Aucun scénario de comparaison : voici les choix du scénario par opération.")
        settings: list[str] = []
        against_choices: dict[str, OperationChoice] = {}
    else:
        word.heading(document, f"2. Ce qui change par rapport au scénario {quote(ctx.against_name or '')}")
        settings = settings_changes(ctx.scenario, ctx.against.scenario)
        against_choices = dict(ctx.against.scenario.choices)
        word.heading(document, "Réglages généraux", level=2)
        if settings:
            for line in settings:
                word.text(document, line, style="List Bullet")
        else:
            word.text(document, "Aucun réglage général ne change.")
        word.heading(document, "Choix par opération", level=2)
    ids = set(ctx.scenario.choices) | set(against_choices)
    ordered = [op.id for op in portfolio.operations if op.id in ids]
    rows = []
    for op_id in ordered:
        reference = against_choices.get(op_id, OperationChoice())
        changes = choice_changes(ctx.scenario.choice(op_id), reference)
        if changes:
            rows.append([op_id, portfolio.by_id[op_id].title, " ; ".join(changes)])
    if rows:
        word.table(document, ["Opération", "Intitulé", "Choix"], rows, [2.2, 7.3, 7.5])
    else:
        word.text(document, "Aucune opération n'a de choix différent.")


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
            f" {fr.count(to_revise, 'autorisation de programme à réviser', 'autorisations de programme à réviser')}, pour "
            f"{kpi_value('ap_revision_needed', kpis['ap_revision_needed'])} au total."
        )
    word.text(document, text)


def _kpis(document: DocxDocument, ctx: ExportContext) -> None:
    word.heading(document, f"3. {KPI_TABLE_TITLE}")
    kpis = ctx.result.kpis
    if ctx.against is None:
        header = ["Indicateur", quote(ctx.name)]
        rows = [[label, kpi_value(key, kpis[key])] for key, label in KPI.items()]
        word.table(document, header, rows, [11, 6], numeric=(1,))
        _glossary(document)
        return
    theirs = ctx.against.kpis
    header = ["Indicateur", quote(ctx.name), quote(ctx.against_name or ""), "Écart"]
    rows = [
        [label, kpi_value(key, kpis[key]), kpi_value(key, theirs[key]), kpi_delta(key, kpis[key] - theirs[key])]
        for key, label in KPI.items()
    ]
    word.table(document, header, rows, [7.6, 3.4, 3.4, 2.6], numeric=(1, 2, 3))
    word.text(
        document,
        "Montants TTC actualisés (crédits de paiement), sauf le coût HT en prix de base ; "
        "« = » : pas d'écart significatif.",
        italic=True,
    )
    _glossary(document)


def _glossary(document: DocxDocument) -> None:
    """Each indicator in one sentence: the same words as the cards' hover text in the app."""
    word.heading(document, GLOSSARY_TITLE, level=2)
    rows = [[KPI[key], KPI_DEFINITION[key]] for key in KPI]
    rows.append([COMMITMENT_ODDS_LABEL, COMMITMENT_ODDS_DEFINITION])
    word.table(document, ["Indicateur", "Définition"], rows, [5, 12])


def _charts(document: DocxDocument, ctx: ExportContext, images: dict[str, bytes]) -> None:
    word.heading(document, "4. Graphiques")
    for chart in chart_catalogue(ctx):
        if not chart.in_note:
            continue
        png = images.get(chart.key) or chart_png(chart, ctx)
        document.add_picture(io.BytesIO(png), width=Cm(17))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _differences(document: DocxDocument, ctx: ExportContext) -> None:
    if ctx.against is None:
        return
    word.heading(document, "5. Opérations dont les dates, le statut ou le financement changent")
    frame = operation_differences(ctx.result, ctx.against)
    # Operations whose only difference is their spending (escalation, envelopes…) are summed up.
    moved = (
        (frame["changes"] != "—")
        | (frame["status"] != frame["status_reference"])
        | (frame["works_start"] != frame["works_start_reference"])
        | ((frame["anru_secured"] - frame["anru_secured_reference"]).abs() > EURO_NIL)
    )
    listed, amounts_only = frame[moved], frame[~moved]
    if listed.empty:
        word.text(document, "Aucune opération ne change de dates, de statut ni de financement.")
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
        word.text(
            document,
            f"{fr.count(len(rows), 'opération')}. Écart de CP : crédits de paiement TTC du scénario moins ceux de la comparaison.",
        )
        word.table(
            document,
            ["Opération", "Leviers du scénario", "Conséquences", "Statut", "Écart de CP"],
            rows,
            [4.6, 3.6, 4.6, 2.3, 1.9],
            numeric=(4,),
            size=8,
        )
    if not amounts_only.empty:
        word.text(
            document,
            f"{fr.count(len(amounts_only), 'autre opération', 'autres opérations')} "
            f"{'ne change' if len(amounts_only) < 2 else 'ne changent'} que de montant, par l'effet des réglages "
            f"généraux (actualisation, répartition par phase…) : écart de CP total "
            f"{fr.meuros(float(amounts_only['spending_difference'].sum()), 1, signed=True)}. "
            "Le détail par opération est dans le classeur (feuille « Opérations »).",
        )


def _late(document: DocxDocument, ctx: ExportContext) -> None:
    number = 6 if ctx.against is not None else 5
    word.heading(document, f"{number}. Opérations hors délai et subvention ANRU à risque")
    risky = ctx.operations_at_risk()
    if not risky:
        word.text(document, "Aucune opération retenue ne manque une échéance.")
        return
    scenario = ctx.scenario
    planned = sum(op.anru_planned for op in risky)
    lost = sum(op.anru_lost for op in risky)
    word.text(
        document,
        f"{fr.count(len(risky), 'opération')} {'manque' if len(risky) < 2 else 'manquent'} une échéance : engagement (jalon : {MILESTONE[scenario.commitment_milestone]}) "
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
    word.table(
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
        f"Sous incertitude ({fr.number(risk.draws)} tirages des coûts et des durées, d'autant plus dispersés "
        "qu'une opération est peu avancée, selon les retours d'expérience publiés par le Trésor britannique) : "
        "une opération retenue tient l'échéance d'engagement avec une probabilité moyenne de "
        f"{fr.percent(risk.p_commitment_mean)} ; {fr.count(risk.late_operations['mean'], 'opération', decimals=1)} "
        f"en retard en moyenne ({fr.number(risk.late_operations['p90'], 0)} ou plus avec 1 chance sur 10, "
        f"{fr.count(plan['n_late'], 'opération')} dans le plan) ; ANRU perdue "
        f"{fr.meuros(risk.anru_lost['mean'])} en moyenne, {fr.meuros(risk.anru_lost['p90'])} ou plus avec "
        f"1 chance sur 10 ({fr.meuros(plan['anru_lost'])} dans le plan)."
    )
    if years:
        text += f" Années où l'enveloppe est plus probablement dépassée que tenue : {years}."
    if names:
        text += f" Où agir d'abord (ANRU perdue attendue) : {names}."
    word.text(document, text)


def _drift(document: DocxDocument, ctx: ExportContext) -> None:
    """Stabilisation: how far programme, cost and calendar moved since the milestone."""
    if ctx.drift is None:
        return
    number = (7 if ctx.against is not None else 6) + 1  # after the staffing section
    t = ctx.drift.totals
    word.heading(document, f"{number}. Stabilisation depuis le jalon {quote(ctx.milestone or '')}")
    word.text(
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
        word.table(
            document, ["Opération", "Intitulé", "Statut", "Écart HT", "Travaux"], rows, [2.2, 7.0, 2.4, 2.8, 2.6]
        )


DECISIONS_TITLE = "Décisions depuis le dernier jalon"


def _decisions(document: DocxDocument, ctx: ExportContext) -> None:
    """What the meetings decided since the last milestone, with the scenario version each one saw."""
    if ctx.decisions is None:
        return
    number = (7 if ctx.against is not None else 6) + 1 + (1 if ctx.drift is not None else 0)
    word.heading(document, f"{number}. {DECISIONS_TITLE}")
    since = f"depuis le jalon {quote(ctx.decisions_since)}" if ctx.decisions_since else "(aucun jalon : toutes)"
    if not ctx.decisions:
        word.text(document, f"Aucune décision de réunion {since}.")
        return
    word.text(document, f"{fr.count(len(ctx.decisions), 'décision de réunion', 'décisions de réunion')} {since} :")
    rows = [
        [
            f"{d.at:%d/%m/%Y}",
            d.meeting,
            d.operation or d.topic or "",
            DECISION_LABEL[d.kind] + (f" (corrige n° {d.corrects})" if d.corrects else ""),
            d.text,
            f"{d.scenario} v{d.scenario_version}",
        ]
        for d in ctx.decisions
    ]
    word.table(
        document, ["Date", "Réunion", "Point", "Décision", "Texte", "Scénario"], rows, [1.9, 3.0, 2.2, 2.2, 5.2, 2.5]
    )


STAFFING_TITLE = "Effectifs : recrutements recommandés"


def _staffing(document: DocxDocument, ctx: ExportContext) -> None:
    """Which directorates, and how many coordinators, the plan needs and from when."""
    number = 7 if ctx.against is not None else 6
    word.heading(document, f"{number}. {STAFFING_TITLE}")
    scenario = ctx.scenario
    owner = OWNER.get(scenario.capacity_owner.value, scenario.capacity_owner.value)
    recommendations = recommend(ctx.result)
    planned = f", avec les {len(scenario.recruitments)} recrutement(s) déjà prévus" if scenario.recruitments else ""
    word.text(
        document,
        f"Charge des chefs de projet des directions et de l'équipe transversale « {COORDINATION_TEAM} » "
        f"pour les opérations en cours dont le maître d'ouvrage est {owner}, face aux effectifs du scénario"
        f"{planned}. Délai de recrutement retenu : {scenario.recruitment_lead_months} mois.",
    )
    if not recommendations:
        word.text(document, "Aucun recrutement nécessaire : aucun mois ne dépasse l'effectif.")
        return
    for rec in recommendations:
        word.text(document, rec.sentence + ".", style="List Bullet")
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
    word.table(
        document,
        ["Équipe", "À recruter", "À partir de", "Lancer le recrutement", "Surcharge maximale", "Mois en surcharge"],
        rows,
        [4.0, 2.2, 2.6, 3.2, 2.6, 2.4],
        numeric=(1, 4, 5),
    )
    word.text(
        document,
        "Le plus petit nombre entier d'ETP qui supprime toute surcharge, à partir du premier mois en surcharge. "
        f"La charge de coordination par opération en cours ({_phase_fte(scenario.coordination_load)}) est un "
        "paramètre illustratif du scénario.",
        italic=True,
    )


def _phase_fte(values: PhaseValues) -> str:
    return " ; ".join(f"{PHASE[p].lower()} {fr.load(getattr(values, p))}" for p in PHASE)


def _settings(document: DocxDocument, ctx: ExportContext) -> None:
    number = (7 if ctx.against is not None else 6) + 1 + (ctx.drift is not None) + (ctx.decisions is not None)
    scenario = ctx.scenario
    word.heading(document, f"{number}. Réglages utilisés")
    rows = [[label, value] for label, value in settings_summary(scenario)]
    word.table(document, ["Réglage", "Valeur"], rows, [7, 10])
    word.heading(document, "Enveloppes de crédits de paiement (M€ TTC)", level=2)
    envelopes = envelope_table(scenario, missing=fr.number(0.0, 1))
    years = envelopes.columns[1:-1]
    if len(envelopes) and len(years):
        rows = envelopes.to_numpy().tolist()
        width = 13.5 / (len(years) + 1)
        word.table(
            document,
            list(envelopes.columns),
            rows,
            [3.5, *[width] * (len(years) + 1)],
            numeric=tuple(range(1, len(years) + 2)),
        )
    else:
        word.text(document, "Aucune enveloppe fixée.")
    word.heading(document, "Effectifs de chefs de projet (ETP)", level=2)
    if scenario.headcount:
        rows = [[name, fr.fte(value)] for name, value in scenario.headcount.items()]
        word.table(document, ["Direction", "Effectif"], rows, [7, 4], numeric=(1,))
    else:
        word.text(document, "Aucun effectif fixé.")
    against = f" comparé à {quote(ctx.against.scenario.name)}" if ctx.against is not None else ""
    word.text(
        document,
        f"Pour retrouver ces chiffres : ouvrir le scénario {quote(scenario.name)}{against} dans le simulateur, "
        "sur la même base d'opérations ; le classeur tableaux.xlsx joint reprend les réglages et les choix "
        "par opération.",
        italic=True,
    )
    word.text(document, ctx.source_line(), italic=True)
