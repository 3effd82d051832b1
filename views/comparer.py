"""Comparer: two to four scenarios side by side — KPIs, spending against envelopes, and which
operations differ from the first scenario, and why."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import charts
from simulation import ScenarioError, compare, fr
from simulation.labels import HEADLINE_KPIS, STATUS, chart_owner
from store import StoreError
from ui import layout, state
from ui.frames.plain import md, plain_frame
from ui.tables import read_only_table
from ui.widgets import owner_picker

WORKING = "\x00working"  # option standing for the session's unsaved working scenario
WORKING_LABEL = "Scénario en cours (non enregistré)"
SELECTION = "compare_selection"
REMEMBERED = "compare_last_selection"  # survives page switches (widget state does not)
MAIN_KPIS = list(HEADLINE_KPIS)
# Okabe–Ito vermilion darkened for text (5,5:1 on white, WCAG AA) and blue. Cell text takes its
# cell's colour and tables follow the projector's type size: ui/layout.py's CSS.
WORSE, BETTER = "#B34700", "#0072B2"

layout.header("Comparer", "Deux à quatre scénarios côte à côte ; les écarts se lisent par rapport au premier.")
projector = state.projector()
store = state.store()
infos = store.list_scenarios()
reference_name = store.reference_name()
current = state.status()

options = [info.name for info in infos]
if current.modified:
    options.append(WORKING)


def label(option: str) -> str:
    """The scenario's name in tables and charts."""
    return WORKING_LABEL if option == WORKING else option


def option_label(option: str) -> str:
    """The name in the picker, with the reference marked."""
    marked = option == reference_name and "référence" not in option.lower()
    return f"{option} (référence)" if marked else label(option)


def default_selection() -> list[str]:
    chosen = [reference_name]
    if current.base_name in options and current.base_name not in chosen:
        chosen.append(current.base_name)
    if current.modified:
        chosen.append(WORKING)
    if len(chosen) < 2:
        chosen += [name for name in options if name not in chosen and name != WORKING][:1]
    return chosen[:4]


if len(options) < 2:
    st.info(
        "Un seul scénario est enregistré : créez une variante (page Arbitrage, « Enregistrer comme "
        "scénario », ou page Scénarios, « Dupliquer ») pour la comparer à la référence.",
        icon=":material/info:",
    )
    st.stop()

if SELECTION in st.session_state:
    st.session_state[SELECTION] = [o for o in st.session_state[SELECTION] if o in options]
else:
    remembered = st.session_state.get(REMEMBERED)
    kept = [o for o in remembered if o in options] if remembered else []
    st.session_state[SELECTION] = kept if len(kept) >= 2 else default_selection()

selected = st.multiselect(
    "Scénarios comparés (le premier sert de base aux écarts)",
    options,
    format_func=option_label,
    key=SELECTION,
    max_selections=4,
    placeholder="Choisissez des scénarios",
    help="Le scénario en cours apparaît dans la liste quand il a des modifications non enregistrées.",
)
st.session_state[REMEMBERED] = list(selected)

if len(selected) < 2:
    st.info("Choisissez au moins deux scénarios à comparer.", icon=":material/info:")
    st.stop()

# ---------------------------------------------------------------------- results of the chosen scenarios
scenarios, results = {}, {}
for option in selected:
    name = label(option)
    try:
        scenario = state.working() if option == WORKING else store.load_scenario(option).scenario
        results[name] = state.run(scenario)
        scenarios[name] = scenario
    except (StoreError, ScenarioError) as exc:
        st.error(md(f"« {name} » ne peut pas être calculé : {exc}"), icon=":material/error:")
if len(results) < 2:
    st.stop()
names = list(results)
base = names[0]


def signed(key: str, delta: float) -> str:
    shown = layout.format_kpi_delta(key, delta)
    return "=" if shown is None else shown


def tone(key: str, delta: float) -> str:
    judgement = fr.kpi_judgement(key, delta)
    if judgement == 0:
        return ""
    return f"color: {BETTER if judgement > 0 else WORSE}; font-weight: 700"


# ---------------------------------------------------------------------- KPI table
st.subheader("Indicateurs")
all_kpis = st.toggle("Tous les indicateurs", key="compare_all_kpis")
table = compare.kpi_table(results, None if all_kpis else MAIN_KPIS)
rows, styles = [], []
for kpi, group in table.groupby("kpi", sort=False):
    key = str(kpi)
    row = {"Indicateur": str(group["label"].iloc[0])}
    style = {"Indicateur": ""}
    for scenario_name, value, difference in zip(group["scenario"], group["value"], group["difference"], strict=True):
        row[scenario_name] = layout.format_kpi(key, value)
        style[scenario_name] = ""
        if scenario_name != base:
            column = f"Écart {scenario_name}"
            row[column] = signed(key, difference)
            style[column] = tone(key, difference)
    rows.append(row)
    styles.append(style)
kpi_frame = pd.DataFrame(rows).set_index("Indicateur")
style_frame = pd.DataFrame(styles).set_index("Indicateur")[kpi_frame.columns]
kpi_frame.columns = style_frame.columns = [md(name) for name in kpi_frame.columns]  # scenario names: user text
st.table(
    kpi_frame.style.apply(lambda _: style_frame.to_numpy(), axis=None).set_properties(
        None, **{"text-align": "right !important", "white-space": "nowrap"}
    ),
    border="horizontal",
)
st.caption(  # no raw HTML: the scenario name is user text
    f"Écarts par rapport à « {md(base)} » : :blue[**en bleu**] quand c'est mieux, :orange[**en orange**] quand "
    "c'est moins bien ; « = » : pas d'écart.",
)

# ---------------------------------------------------------------------- spending against envelopes
st.subheader("Crédits de paiement par année, face aux enveloppes")
owner = owner_picker("compare_owner")
chosen_owner = chart_owner(owner)
st.altair_chart(
    charts.finish(
        charts.compare_spending(results, chosen_owner, projector, height=440 if projector else 380), projector
    ),
    width="stretch",
)
st.caption("Trait plein : crédits de paiement TTC actualisés ; tirets : enveloppe du scénario (même couleur).")

# ---------------------------------------------------------------------- what differs, and why


def arrow(before: str, after: str) -> str:
    return after if before == after else f"{before} → {after}"


def differences_table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Opération": frame["operation_id"] + " – " + frame["title"],
            "Leviers modifiés": frame["changes"],
            "Conséquences": frame["consequences"],
            "Statut": [
                arrow(STATUS[b], STATUS[a]) for b, a in zip(frame["status_reference"], frame["status"], strict=True)
            ],
            "Début des travaux": [
                arrow(fr.month(b), fr.month(a))
                for b, a in zip(frame["works_start_reference"], frame["works_start"], strict=True)
            ],
            "ANRU sécurisée": [
                arrow(fr.meuros(b), fr.meuros(a))
                for b, a in zip(frame["anru_secured_reference"], frame["anru_secured"], strict=True)
            ],
            "Écart de dépenses TTC": [fr.meuros(v, signed=True) for v in frame["spending_difference"]],
        }
    )


st.subheader("Ce qui change, et pourquoi")
others = names[1:]
tabs = st.tabs([f"{md(name)} face à {md(base)}" for name in others]) if len(others) > 1 else [st.container()]
for name, tab in zip(others, tabs, strict=True):
    with tab:
        if len(others) == 1:
            st.markdown(f"**« {md(name)} »** face à **« {md(base)} »**")
        settings = compare.settings_changes(scenarios[name], scenarios[base])
        st.markdown("**Réglages généraux**")
        if settings:
            st.markdown("\n".join(f"- {md(line)}" for line in settings))
        else:
            st.caption("Aucun réglage général modifié.")
        overruns = compare.overrun_changes(results[name], results[base])
        st.markdown("**Dépassement des enveloppes, par maître d'ouvrage et par année**")
        if overruns:
            st.markdown("\n".join(f"- {md(line)}" for line in overruns))
        else:
            st.caption("Le dépassement ne change d'aucune année.")
        differences = compare.operation_differences(results[name], results[base])
        specific = differences[~differences["general_only"]]
        general = differences[differences["general_only"]]
        st.markdown(f"**Opérations dont les dates, le statut ou le financement changent : {len(specific)}**")
        if specific.empty:
            st.caption("Aucune opération n'a ses leviers, ses dates ou son statut modifiés.")
        else:
            st.table(plain_frame(differences_table(specific).set_index("Opération")), border="horizontal")
            st.caption(
                "Leviers modifiés : les choix du scénario pour l'opération ; conséquences : ce qui en résulte "
                "(dates, statut, subvention ANRU)."
            )
        if not general.empty:
            with st.expander(
                f"{len(general)} autre(s) opération(s) ne changent que par leurs montants, sous l'effet des "
                "réglages généraux (actualisation, répartition du coût…)"
            ):
                read_only_table(
                    differences_table(general)[["Opération", "Statut", "Début des travaux", "Écart de dépenses TTC"]],
                    height=min(460, 40 + 35 * len(general)),
                    column_config={"Opération": st.column_config.TextColumn(width="large")},
                )
