"""Opérations: the catalogue, an operation's sheet, editing and adding, import and downloads."""

import functools
import hashlib
from collections.abc import Mapping
from typing import Any, Literal

import streamlit as st
from streamlit.elements.arrow import DataframeStateInput

from exports import template_xlsx
from formats import write as operations_export
from formats.actuals import actuals_xlsx_bytes
from simulation import fr
from simulation.funder_rules import funding_warnings
from simulation.labels import FACILITY_TYPE, KPI, MATURITY, NATURE, OWNER, STATUS, label_of
from simulation.operation_workings import explain_operation
from simulation.readiness import operation_readiness
from ui import layout, operation_form, state, tables, thread
from ui.frames import catalogue
from ui.frames.history_table import history_frame
from ui.frames.plain import md, plain_frame
from ui.widgets import flash, show_flash

CURRENT = "ops_current"  # id of the operation whose sheet is open
TABLE_IDS = "ops_table_ids"  # ids of the rows last shown, to read a row selection
PAGE = "ops"  # its flash message, shown after the rerun that follows a save
TAB = "ops_tab"
PENDING_TAB = "ops_pending_tab"
IMPORT_OUTCOME = "ops_import_outcome"
ADD_ROUND = "ops_add_round"
MODE = "ops_mode"  # the open operation shown as its sheet or its edit form
EDIT_VERSION = "ops_edit_version"  # id → version of the operation when its edit form was opened
SHOW_SHEET = "ops_show_sheet"  # back to the sheet after a save (a widget can't change once drawn)
STATUS_ICON = {"on_time": ":material/check_circle:", "late": ":material/schedule:", "dropped": ":material/block:"}
TABS = ["Catalogue", "Ajouter une opération", "Importer / télécharger"]

layout.header("Opérations")
projector = state.projector()
store = state.store()
portfolio = state.portfolio()
working = state.working()
result = state.run(working)
open_questions = store.open_question_counts()
names = portfolio.neighbourhood_names

if projector:  # st.table cells and form fields keep a small fixed size otherwise; primary buttons keep white text
    st.html(
        "<style>[data-testid='stTableStyledTable'] td, [data-testid='stTableStyledTable'] th "
        "{ font-size: 1.05rem !important; padding: 0.35rem 0.6rem !important; } "
        "[data-testid='stBaseButton-primary'] *, [data-testid='stBaseButton-primaryFormSubmit'] * "
        "{ color: #ffffff !important; } "
        "[data-testid='stMain'] input, [data-testid='stMain'] textarea, [data-testid='stMain'] [data-baseweb='select'] "
        "{ font-size: 1.05rem !important; }</style>"
    )

show_flash(PAGE)
if PENDING_TAB in st.session_state:
    st.session_state[TAB] = st.session_state.pop(PENDING_TAB)
if st.session_state.pop(SHOW_SHEET, False):
    st.session_state[MODE] = "sheet"


def _coded_filter(
    column: Any, label: str, labels: Mapping[str, str], key: str, present: set[str] | None = None
) -> list[str]:
    """A filter on coded values shown by their French ``labels``, in the labels' order; only the
    codes ``present`` in the catalogue when given; empty means all."""
    codes = [code for code in labels if present is None or code in present]
    return column.multiselect(label, codes, format_func=label_of(labels), key=key, placeholder="Tous")


def saved(message: str, *, open_id: str | None = None, tab: str | None = None) -> None:
    """After a write: remember what to say, which sheet and tab to show, and redraw everything."""
    flash(PAGE, message)
    st.session_state[SHOW_SHEET] = True
    if open_id is not None:
        st.session_state[CURRENT] = open_id
    if tab is not None:
        st.session_state[PENDING_TAB] = tab
    st.rerun()


def pick_row(table_key: str) -> None:
    rows = st.session_state[table_key]["selection"]["rows"]
    ids = st.session_state.get(TABLE_IDS, [])
    st.session_state[CURRENT] = ids[rows[0]] if rows and rows[0] < len(ids) else None


# ------------------------------------------------------------------------------ catalogue


def draw_catalogue() -> None:
    frame = catalogue.catalogue_frame(portfolio, result, open_questions)
    row1 = st.columns([3, 3, 2, 2])
    query = row1[0].text_input(
        "Rechercher", key="ops_search", placeholder="Identifiant ou mot de l'intitulé", icon=":material/search:"
    )
    neighbourhoods = row1[1].multiselect(
        "Quartier", list(names), format_func=label_of(names), key="ops_f_neighbourhood", placeholder="Tous"
    )
    directorates = row1[2].multiselect(
        "Direction", sorted(frame["directorate"].unique()), key="ops_f_directorate", placeholder="Toutes"
    )
    sort = row1[3].selectbox(
        "Trier par", list(catalogue.SORTS), format_func=label_of(catalogue.SORTS), key="ops_sort", placeholder="Choisir"
    )
    row2 = st.columns(3)
    types = _coded_filter(row2[0], "Type d'équipement", FACILITY_TYPE, "ops_f_type", set(frame["facility_type"]))
    owners = _coded_filter(row2[1], "Maître d'ouvrage", OWNER, "ops_f_owner", set(frame["owner"]))
    statuses = _coded_filter(row2[2], f"Statut dans « {md(working.name)} »", STATUS, "ops_f_status")
    filters = catalogue.Filters(
        query, tuple(neighbourhoods), tuple(directorates), tuple(types), tuple(owners), tuple(statuses)
    )
    shown = catalogue.sort_catalogue(catalogue.filter_catalogue(frame, filters), sort)
    ids = shown["id"].tolist()
    st.session_state[TABLE_IDS] = ids
    st.caption(
        f"**{len(shown)}** opération(s) sur {len(frame)}. Cliquez une ligne (case à gauche) pour ouvrir la fiche de "
        "l'opération ; coûts en euros de l'année de prix de chaque opération."
    )
    # A new table (and selection) whenever the rows change, so a selected row never points elsewhere.
    signature = hashlib.sha1(repr((filters, sort, store.revision())).encode()).hexdigest()[:12]
    table_key = f"ops_table_{signature}"
    current = st.session_state.get(CURRENT)
    row_height = 44 if projector else 35
    selected: DataframeStateInput = {"selection": {"rows": [ids.index(current)] if current in ids else []}}
    st.dataframe(
        shown[catalogue.PROJECTOR_COLUMNS if projector else catalogue.DISPLAY_COLUMNS],
        hide_index=True,
        width="stretch",
        height=min(len(shown) + 1, 12) * row_height + 3,
        row_height=row_height,
        key=table_key,
        on_select=functools.partial(pick_row, table_key),
        selection_mode="single-row",
        selection_default=selected,
        column_config={
            name: st.column_config.TextColumn(
                width=(catalogue.PROJECTOR_WIDTHS if projector else catalogue.DESK_WIDTHS).get(name),
                help="Coût hors taxes, en euros de l'année de prix" if name == "Coût HT" else None,
            )
            for name in catalogue.DISPLAY_COLUMNS
        },
    )
    if not projector:
        tables.escaped_csv_button(
            shown[catalogue.DISPLAY_COLUMNS], "catalogue_operations.csv", "ops_dl_catalogue", "Catalogue affiché (CSV)"
        )
    op_id = st.session_state.get(CURRENT)
    if op_id not in portfolio.by_id:
        st.info("Cliquez une ligne du tableau pour afficher la fiche de l'opération.", icon=":material/touch_app:")
        return
    op = portfolio.by_id[op_id]
    st.subheader(f"{md(op.id)} — {md(op.title)}", divider="gray")
    mode = st.segmented_control(
        "Affichage de l'opération",
        ["sheet", "edit"],
        format_func=label_of({"sheet": ":material/description: Fiche", "edit": ":material/edit: Modifier"}),
        default="sheet",
        key=MODE,
        label_visibility="collapsed",
    )
    if mode == "edit":
        draw_edit(op)
    else:
        st.session_state.get(EDIT_VERSION, {}).pop(op.id, None)  # the next edit starts from the current version
        draw_sheet(op)


def draw_sheet(op) -> None:
    row = catalogue.result_row(result, op.id)
    depends = f" · attend **{md(op.depends_on)}**" if op.depends_on else ""
    st.markdown(
        f"**{md(names[op.neighbourhood])}** · {FACILITY_TYPE[op.facility_type.value]} · {NATURE[op.nature.value]} · "
        f"maître d'ouvrage **{OWNER[op.owner.value]}** · direction {md(op.directorate)} · "
        f"maturité **{MATURITY[op.maturity.value]}** · priorité {op.priority}{depends}"
    )
    programme, cost, financing = st.columns([1, 1, 1.3])
    with programme:
        st.markdown("##### Programme")
        area = f"{fr.number(op.area_m2)} m²" if op.area_m2 is not None else "—"
        capacity = fr.number(op.capacity) if op.capacity is not None else "—"
        st.markdown(f"Surface : **{area}**  \nCapacité : **{capacity}** (classes ou places)")
        st.markdown(md(op.programme) if op.programme else "_Pas de description du programme._")
    with cost:
        st.markdown("##### Coût")
        st.markdown("  \n".join(f"{label} : **{value}**" for label, value in catalogue.cost_lines(op)))
    with financing:
        st.markdown("##### Plan de financement")
        st.table(catalogue.financing_table(op).set_index("Financeur"))
        for warning in funding_warnings(op):
            st.warning(warning, icon=":material/warning:")
    ready = operation_readiness(op)
    st.caption(
        "Comité d'engagement : "
        + ("prête à présenter" if ready.ready else "à compléter — " + " ; ".join(ready.missing))
    )

    st.markdown(f"##### Calendrier — prévu, et dans le scénario « {md(working.name)} »")
    st.table(catalogue.calendar_table(op, row).set_index("Phase"))

    status = row["status"]
    colour = {"on_time": "blue", "late": "orange", "dropped": "gray"}.get(status, "gray")
    st.markdown(
        f"##### Ses chiffres dans le scénario « {md(working.name)} » — "
        f":{colour}[{STATUS_ICON.get(status, '')} **{STATUS.get(status, status)}**]"
    )
    figures = [
        ("Crédits de paiement TTC", row["spending_ttc"]),
        ("Subventions reçues", row["subsidies"]),
        (KPI["fctva"], row["fctva"]),
        ("Coût net pour le maître d'ouvrage", row["net_cost"]),
        *[(KPI[key], row[key]) for key in ("anru_planned", "anru_secured", "anru_lost")],
        ("ANRU renoncée (abandon)", row["anru_forgone"]),
    ]
    for start in (0, 4):
        for column, (label, value) in zip(st.columns(4), figures[start : start + 4], strict=True):
            column.metric(label, fr.meuros(value, 2), border=True)
    years, how = st.columns([1, 1.4])
    with years:
        st.markdown("##### Par année")
        table = catalogue.yearly_table(result, op.id)
        if len(table):
            st.table(table.set_index("Année"))
        else:
            st.markdown("_Aucune dépense dans ce scénario._")
    with how:
        st.markdown("##### Comment ces chiffres sont calculés")
        st.markdown("\n".join(f"- {md(line)}" for line in explain_operation(portfolio, result, op.id)))
    with st.expander(f"Historique de {op.id}", icon=":material/history:"):
        entries = store.history(operation=op.id)
        if entries:
            st.dataframe(history_frame(entries), hide_index=True, width="stretch", key=f"ops_history_{op.id}")
        else:
            st.caption("Aucune modification depuis l'état initial.")
    questions = open_questions.get(op.id, 0)
    st.markdown("##### Fil de l'opération" + (f" — {questions} question(s) ouverte(s)" if questions else ""))
    thread.thread(store, op.id)


def draw_edit(op) -> None:
    st.caption(
        ":material/warning: Les données d'une opération sont communes à tous les scénarios et à tous les "
        "utilisateurs : l'enregistrement les modifie pour tout le monde."
    )
    # The form holds the version it was opened at: a save is checked against what changed since
    # (someone else's fields kept, a clash refused naming who changed what), never a silent overwrite.
    held: dict[str, int] = st.session_state.setdefault(EDIT_VERSION, {})
    version = held.setdefault(op.id, store.operation_version(op.id))
    values = operation_form.render_form(
        portfolio, op, f"ops_edit_{op.id}_{version}", submit_label="Enregistrer les modifications"
    )
    if values is not None:
        outcome = operation_form.save_from_form(store, values, new=False, expected_version=version)
        if outcome.ok:
            held.pop(op.id, None)
            saved(f"Opération {op.id} enregistrée : toutes les pages utilisent désormais ces données.", open_id=op.id)
        operation_form.show_problems(outcome.problems)


# ------------------------------------------------------------------------------ add


def draw_add() -> None:
    st.markdown(
        "Une nouvelle opération, avec un identifiant qui n'existe pas encore. Les champs marqués comme "
        "facultatifs dans le modèle d'import (surface, capacité, programme, financements) peuvent rester vides."
    )
    round_ = st.session_state.get(ADD_ROUND, 0)
    values = operation_form.render_form(portfolio, None, f"ops_add_{round_}", submit_label="Ajouter l'opération")
    if values is not None:
        outcome = operation_form.save_from_form(store, values, new=True)
        if outcome.ok and outcome.saved is not None:
            st.session_state[ADD_ROUND] = round_ + 1  # an empty form next time
            saved(f"Opération {outcome.saved.id} ajoutée.", open_id=outcome.saved.id, tab=TABS[0])
        operation_form.show_problems(outcome.problems)


# ------------------------------------------------------------------------------ files


def forget_import_outcome() -> None:
    st.session_state.pop(IMPORT_OUTCOME, None)


def draw_files() -> None:
    upload, download = st.columns([3, 2], gap="large")
    with upload:
        st.subheader("Importer un fichier")
        st.markdown(
            "Un fichier CSV ou Excel au format du modèle, une ligne par opération. Les identifiants nouveaux "
            "sont **ajoutés**, les identifiants existants **mis à jour** : seules les colonnes présentes dans le "
            "fichier changent (une cellule vide d'une colonne présente efface ce champ). L'import est **tout ou "
            "rien** : au moindre problème, rien n'est modifié et chaque problème est listé. Un import forme un "
            "seul lot de modifications, annulable en entier (page Historique)."
        )
        refusal = operation_form.may_import(store)
        if refusal is not None:  # no upload widget: the server never receives a file to parse
            st.info(md(str(refusal)), icon=":material/lock:")
        else:
            draw_upload()
    with download:
        draw_downloads()


def draw_upload() -> None:
    uploaded = st.file_uploader(
        "Fichier à importer (.csv ou .xlsx)",
        type=["csv", "xlsx"],
        max_upload_size=operation_form.upload_limit_mb(),
        help=f"{operation_form.upload_limit_mb()} Mo au plus ; CSV en UTF-8 ou Windows-1252 (Excel), « ; » ou « , ».",
        key="ops_upload",
        on_change=forget_import_outcome,
    )
    replace = st.checkbox(
        "Remplacer tout le portefeuille",
        key="ops_replace",
        help="Les opérations absentes du fichier sont alors supprimées (refusé si un scénario les utilise).",
        on_change=forget_import_outcome,
    )
    if st.button("Importer le fichier", type="primary", icon=":material/upload:", key="ops_import"):
        if uploaded is None:
            st.warning("Choisissez d'abord un fichier à importer.", icon=":material/upload_file:")
        else:
            outcome = operation_form.import_upload(store, uploaded.name, uploaded.getvalue(), replace=replace)
            if outcome.ok:
                forget_import_outcome()
                saved(f"Import de {outcome.source} réussi : {outcome.summary}")
            st.session_state[IMPORT_OUTCOME] = outcome
    refused: operation_form.ImportOutcome | None = st.session_state.get(IMPORT_OUTCOME)
    if refused is not None:
        st.error(
            f"**Import refusé** : {fr.number(refused.problem_count, 0)} problème(s) dans {md(refused.source)}. "
            "**Aucune donnée n'a été modifiée.** Corrigez le fichier et importez-le à nouveau.",
            icon=":material/error:",
        )
        issues = refused.issues_frame()
        if len(issues) <= 40:  # a static table wraps long reasons
            st.table(plain_frame(issues), hide_index=True)
        else:
            st.dataframe(
                issues,
                hide_index=True,
                width="stretch",
                column_config={"Raison": st.column_config.TextColumn(width="large")},
            )
        if refused.more:
            st.caption(f"… et {fr.number(refused.more, 0)} autres problèmes, non détaillés.")


def draw_downloads() -> None:
    st.subheader("Télécharger")
    st.markdown(
        "**Modèle vierge** : les colonnes attendues (le classeur Excel les explique dans sa feuille « colonnes »)."
    )
    buttons = st.container(horizontal=True)
    buttons.download_button(
        "Modèle CSV",
        data=operations_export.blank_csv_bytes,
        file_name="modele_operations.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="ops_dl_blank_csv",
    )
    buttons.download_button(
        "Modèle Excel",
        data=functools.partial(template_xlsx, portfolio.neighbourhoods),
        file_name="modele_operations.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
        key="ops_dl_blank_xlsx",
    )
    # An immutable snapshot with each operation's version (the file's ``version`` column: re-imported,
    # rows changed since by someone else are checked, never silently overwritten).
    current, versions = store.portfolio_with_versions()
    st.markdown(
        f"**Données actuelles** : les {len(current.operations)} opérations, au format du modèle "
        "(le fichier se réimporte tel quel)."
    )
    buttons = st.container(horizontal=True)
    downloads: tuple[tuple[str, Literal["csv", "xlsx"], str], ...] = (
        ("Opérations CSV", "csv", "text/csv"),
        ("Opérations Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    for label, fmt, mime in downloads:
        buttons.download_button(
            label,
            data=functools.partial(operations_export.operations_bytes, current, fmt, versions),  # built on click
            file_name=f"operations.{fmt}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            key=f"ops_dl_data_{fmt}",
        )


ACTUALS_OUTCOME = "ops_actuals_outcome"


def draw_actuals_files() -> None:
    """The accounts' file: CP paid per operation and year (arbitre or administrateur)."""
    st.subheader("Importer le réalisé (crédits de paiement mandatés)")
    st.markdown(
        "Un fichier CSV ou Excel, une ligne par opération et par année : colonnes `id`, `annee`, "
        "`mandate_ttc` (CP mandatés TTC), puis facultatives `engage_ttc` et `recu_<financeur>`. "
        "**Tout ou rien** ; une année déjà présente est **remplacée en entier**, l'historique garde "
        "les valeurs remplacées. Réservé aux arbitres et administrateurs."
    )
    upload, template = st.columns([3, 2], gap="large")
    refusal = operation_form.may_import(store, actuals=True)
    with upload:
        if refusal is not None:  # who may not import never sends a file for the server to parse
            st.info(str(refusal), icon=":material/lock:")
        else:
            uploaded = st.file_uploader(
                "Fichier de réalisé (.csv ou .xlsx)",
                type=["csv", "xlsx"],
                max_upload_size=operation_form.upload_limit_mb(),
                key="ops_actuals_upload",
                on_change=lambda: st.session_state.pop(ACTUALS_OUTCOME, None),
            )
            if st.button("Importer le réalisé", icon=":material/upload:", key="ops_actuals_import"):
                if uploaded is None:
                    st.warning("Choisissez d'abord un fichier de réalisé.", icon=":material/upload_file:")
                else:
                    outcome = operation_form.import_upload(
                        store, uploaded.name, uploaded.getvalue(), replace=False, actuals=True
                    )
                    if outcome.ok:
                        st.session_state.pop(ACTUALS_OUTCOME, None)
                        saved(f"Import de {outcome.source} réussi : {outcome.summary}")
                    st.session_state[ACTUALS_OUTCOME] = outcome
            refused: operation_form.ImportOutcome | None = st.session_state.get(ACTUALS_OUTCOME)
            if refused is not None and not refused.ok:
                st.error(
                    f"**Import du réalisé refusé** : {len(refused.issues)} problème(s) dans {md(refused.source)}. "
                    "**Aucune donnée n'a été modifiée.**",
                    icon=":material/error:",
                )
                st.table(plain_frame(refused.issues_frame()), hide_index=True)
    with template:
        st.download_button(
            "Modèle de réalisé (Excel)",
            data=actuals_xlsx_bytes,
            file_name="realise.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            on_click="ignore",
            key="ops_dl_actuals_template",
        )


tab_catalogue, tab_add, tab_files = st.tabs(TABS, key=TAB, on_change="rerun")
if tab_catalogue.open:
    with tab_catalogue:
        draw_catalogue()
if tab_add.open:
    with tab_add:
        draw_add()
if tab_files.open:
    with tab_files:
        draw_files()
        draw_actuals_files()
