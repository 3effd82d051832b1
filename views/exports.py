"""Exports: the committee documents of the scenario in use — the one-page summary, the Word
note, the workbook, every chart as PNG and SVG — and the blank import template.

Files are made on demand (when a button is clicked) and cached by scenario content,
comparison scenario and edition date.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime

import streamlit as st

from exports import (
    ExportContext,
    chart_catalogue,
    chart_png,
    chart_svg,
    find_chart,
    note_docx,
    report_zip,
    summary_png,
    template_xlsx,
    workbook_xlsx,
)
from exports.text import quote
from simulation import Portfolio, Scenario
from simulation.drift import Drift
from simulation.risk import DEFAULT_DRAWS
from ui import layout, state
from ui import risk as risk_ui
from ui.frames.plain import md

PNG, SVG, DOCX, XLSX, ZIP = (
    "image/png",
    "image/svg+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
)


def _context(
    scenario_json: str,
    label: str,
    against_json: str | None,
    day: str,
    milestone: str | None,
    portfolio: Portfolio,
    drift: Drift | None,
) -> ExportContext:
    scenario = Scenario.model_validate_json(scenario_json)
    against = None if against_json is None else Scenario.model_validate_json(against_json)
    return ExportContext.build(
        portfolio,
        scenario,
        against,
        risk_draws=DEFAULT_DRAWS,
        edition_date=date.fromisoformat(day),
        scenario_label=label,
        drift=drift,
        milestone=milestone,
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _document(
    kind: str,
    revision: int,
    scenario_json: str,
    label: str,
    against_json: str | None,
    day: str,
    milestone: str | None,
    _portfolio: Portfolio,
    _drift: Drift | None,
) -> bytes:
    """One file of the scenario: ``summary``, ``note``, ``workbook``, ``report`` (the whole zip) or
    a chart, ``chart:<key>:png`` or ``chart:<key>:svg`` (charts are drawn without the drift).

    A milestone is frozen once made: its name and the portfolio's revision identify the drift.
    The drift is read by the page, not here: a download made on demand runs outside the
    session, where the store of the person acting cannot be reached."""
    ctx = _context(scenario_json, label, against_json, day, milestone, _portfolio, _drift)
    if kind.startswith("chart:"):
        key, fmt = kind.removeprefix("chart:").rsplit(":", 1)
        chart = find_chart(ctx, key)
        return chart_png(chart, ctx) if fmt == "png" else chart_svg(chart, ctx).encode("utf-8")
    if kind == "summary":
        return summary_png(ctx)
    if kind == "note":
        return note_docx(ctx)
    if kind == "workbook":
        return workbook_xlsx(ctx)
    return report_zip(ctx)


@st.cache_data(max_entries=4, show_spinner=False)
def _template(revision: int, day: str, _portfolio: Portfolio) -> bytes:
    stamp = date.fromisoformat(day)
    return template_xlsx(_portfolio.neighbourhoods, datetime(stamp.year, stamp.month, stamp.day, 12))


def _code(name: str) -> str:
    """A scenario name inside a Markdown code span: a backtick would end the span early."""
    return name.replace("`", "'")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "scenario"


layout.header(
    "Exports",
    "Documents prêts à joindre à une note de comité, tous marqués « jeu de démonstration ».",
)
store = state.store()
portfolio = state.portfolio()
revision = store.revision()
working = state.working()
status = state.status()
label = f"{working.name} (modifié, non enregistré)" if status.modified else working.name

names = [info.name for info in store.list_scenarios()]
reference_name = store.reference_name()
picker, milestone_picker, _ = st.columns([1, 1, 1])
against_name = picker.selectbox(
    "Comparer au scénario",
    names,
    index=names.index(reference_name),
    key="exports_against",
    help="Les écarts de la synthèse, de la note et du classeur sont calculés par rapport à ce scénario.",
    placeholder="Choisir",
)
milestones = [info.name for info in store.milestones()]
milestone: str | None = None
if milestones:
    milestone = milestone_picker.selectbox(
        "Dérive depuis le jalon",
        milestones,
        index=None,
        placeholder="Aucun jalon",
        key="exports_milestone",
        help="Ajoute à la note un paragraphe et au classeur une feuille sur la dérive du portefeuille (coûts, "
        "calendrier, programme) depuis ce jalon (page Stabilisation).",
    )
else:
    milestone_picker.caption(
        "Aucun jalon enregistré : une fois un jalon posé (page Stabilisation), la dérive depuis ce jalon "
        "peut s'ajouter à la note et au classeur."
    )
against = store.load_scenario(against_name).scenario
against_json = None if against == working else against.model_dump_json()
today = date.today().isoformat()
key_args = (revision, working.model_dump_json(), label, against_json, today, milestone)
drift = None if milestone is None else store.drift(milestone)
context = ExportContext(
    portfolio=portfolio,
    result=state.run(working),
    against=None if against_json is None else state.run(against),
    edition_date=date.fromisoformat(today),
    scenario_label=label,
    risk=risk_ui.run_risk(working),
    milestone=milestone,
)
stem = _slug(working.name)
if against_json is None:
    st.caption(
        f"Documents du scénario {md(quote(label))}, sans comparaison (scénario identique à {md(quote(against_name))})."
    )
else:
    st.caption(
        f"Documents du scénario {md(quote(label))}, comparé à {md(quote(against_name))} ; "
        f"édités le {context.date_text}."
    )

st.subheader("Documents pour le comité")
left, right = st.columns([3, 2], gap="large")
with left:
    summary = _document("summary", *key_args, _portfolio=portfolio, _drift=drift)
    st.image(summary, caption="Synthèse sur une page (1920 × 1080 pixels, format 16:9)", width="stretch")
with right:
    st.download_button(
        "Synthèse sur une page (PNG)",
        data=summary,
        file_name=f"synthese_{stem}.png",
        mime=PNG,
        icon=":material/image:",
        on_click="ignore",
        width="stretch",
    )
    for label, kind, file_name, mime, icon, help_text in (
        (
            "Note pour le comité (Word)",
            "note",
            f"note_{stem}.docx",
            DOCX,
            ":material/description:",
            "Scénario et changements, indicateurs, graphiques, opérations modifiées et hors délai, réglages.",
        ),
        (
            "Tableaux (Excel)",
            "workbook",
            f"tableaux_{stem}.xlsx",
            XLSX,
            ":material/table_view:",
            "Opérations et résultats, CP par année face aux enveloppes, financements, charge, réglages.",
        ),
        (
            "Dossier complet (zip)",
            "report",
            f"rapport_{stem}.zip",
            ZIP,
            ":material/folder_zip:",
            "Synthèse, note, classeur et chaque graphique en PNG et SVG (quelques secondes).",
        ),
    ):
        st.download_button(
            label,
            data=functools.partial(_document, kind, *key_args, _portfolio=portfolio, _drift=drift),
            file_name=file_name,
            mime=mime,
            icon=icon,
            on_click="ignore",
            width="stretch",
            help=help_text,
        )
    st.caption(
        "Même contenu en ligne de commande : "
        f'`python -m simulation report --scenario "{_code(working.name)}" --against "{_code(against_name)}"'
        + (f' --drift "{_code(milestone)}"' if milestone else "")
        + " --out DOSSIER`"
        + (" (le scénario enregistré, sans les modifications en cours)." if status.modified else ".")
    )

st.subheader("Graphiques")
st.caption("Images en PNG (qualité impression, échelle 2) et SVG, avec titre, scénario, date et source.")
for chart in chart_catalogue(context):
    title_column, png_column, svg_column = st.columns([6, 1.3, 1.3], vertical_alignment="center")
    title_column.markdown(f"**{md(chart.title)}**")
    for column, kind, mime in ((png_column, "png", PNG), (svg_column, "svg", SVG)):
        column.download_button(
            kind.upper(),
            data=functools.partial(
                _document, f"chart:{chart.key}:{kind}", *key_args, _portfolio=portfolio, _drift=None
            ),
            file_name=f"{chart.key}_{stem}.{kind}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            key=f"export_{kind}_{chart.key}",
            width="stretch",
        )

st.subheader("Modèle d'import des opérations")
st.download_button(
    "Modèle vierge (Excel)",
    data=functools.partial(_template, revision, today, _portfolio=portfolio),
    file_name="modele_import_operations.xlsx",
    mime=XLSX,
    icon=":material/upload_file:",
    on_click="ignore",
)
st.caption(
    "Listes déroulantes pour le type, la nature, le maître d'ouvrage, la maturité et le quartier ; "
    "la feuille « colonnes » explique chaque colonne."
)
