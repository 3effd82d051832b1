"""Calendrier: the kept operations of the scenario in use, phase by phase, against the NPNRU deadlines."""

import pandas as pd
import streamlit as st

import charts
from simulation import fr
from simulation.deadlines import late_operations
from simulation.labels import MILESTONE, label_of
from ui import chart_cache, layout, state
from ui.frames.plain import plain_frame

layout.header("Calendrier")
projector = state.projector()
portfolio = state.portfolio()
result = state.run(state.working())
scenario = result.scenario
operations = result.operations
kept = operations[operations["kept"]]
names = portfolio.neighbourhood_names

STATUS_FILTER = {"all": "Toutes", "late": "En retard"}
PROJECTOR_ROWS = 10  # a view and its year axis fit a 1280×720 screen (15 rows did not)
VIEW = "calendrier_vue"
if projector:  # larger type: one row of controls, the filters folded (the chart gets the height)
    group_col, status_col = st.columns(2)
    area_col, directorate_col = st.expander("Filtrer par quartier ou par direction").columns(2)
else:
    group_col, area_col, directorate_col, status_col = st.columns([1.2, 2, 2, 1.2])
group_by = (
    group_col.segmented_control(
        "Regrouper par",
        ["neighbourhood", "directorate"],
        format_func=label_of(charts.GROUPINGS),
        default="neighbourhood",
        key="calendrier_group",
    )
    or "neighbourhood"
)
chosen_areas = area_col.multiselect(
    "Quartiers",
    sorted(kept["neighbourhood"].unique(), key=lambda code: names.get(code, code)),
    format_func=lambda code: names.get(code, code),
    placeholder="Tous les quartiers",
    key="calendrier_quartiers",
)
chosen_directorates = directorate_col.multiselect(
    "Directions",
    sorted(kept["directorate"].unique()),
    placeholder="Toutes les directions",
    key="calendrier_directions",
)
status = (
    status_col.segmented_control(
        "Opérations", list(STATUS_FILTER), format_func=label_of(STATUS_FILTER), default="all", key="calendrier_statut"
    )
    or "all"
)

shown = kept
if chosen_areas:
    shown = shown[shown["neighbourhood"].isin(chosen_areas)]
if chosen_directorates:
    shown = shown[shown["directorate"].isin(chosen_directorates)]
late_shown = shown[shown["status"] == "late"]
if status == "late":
    shown = late_shown

milestone = MILESTONE[scenario.commitment_milestone]
commitment_deadline = fr.month(scenario.commitment_deadline)
completion_deadline = fr.month(scenario.completion_deadline)
n_dropped = int((~operations["kept"]).sum())
summary = (
    f"**{len(shown)}** opération{'s' if len(shown) > 1 else ''} affichée{'s' if len(shown) > 1 else ''} "
    f"sur {len(kept)} retenues, dont **{len(late_shown)} en retard**"
)
if n_dropped:
    summary += (
        f" ; {n_dropped} abandonnée{'s' if n_dropped > 1 else ''} (non représentée{'s' if n_dropped > 1 else ''})"
    )
st.markdown(summary + ".")
chart_area = st.container()  # on a projector the legend goes under the chart, which then starts higher
(st.markdown if projector else st.caption)(  # the chart's legend: readable on a projector
    f"Barres : phases de chaque opération (programmation, conception, consultation, travaux), du premier au "
    f"dernier mois. **Tirets orange** : échéance d'engagement (le {milestone} doit avoir lieu au plus tard en "
    f"{commitment_deadline}) et échéance d'achèvement (travaux terminés au plus tard en {completion_deadline}). "
    f"Pointillés gris : mois de référence du scénario ({fr.month(scenario.reference_month)}). "
    "**En orange, précédée de « ● »** (intitulé, contour des barres) : opération qui manque une échéance ; "
    "si c'est l'engagement, sa subvention ANRU est perdue. Survoler une barre donne ses dates."
)

with chart_area if projector else st.container():
    if shown.empty:
        st.info("Aucune opération ne correspond à ces filtres.", icon=":material/filter_alt_off:")
    else:
        shown_ids = shown["operation_id"].tolist()
        if projector:  # readable from the back of the room: one group at a time, at most 15 rows
            views = charts.calendar_pages(result, portfolio, group_by, max_rows=PROJECTOR_ROWS, operation_ids=shown_ids)
            titles = [title for title, _ in views]
            if st.session_state.get(VIEW) not in titles:
                st.session_state[VIEW] = titles[0]
            position = titles.index(st.session_state[VIEW])
            back, pick, forward = st.columns([1, 4, 1], vertical_alignment="bottom")
            back.button(
                "Précédent",
                icon=":material/chevron_left:",
                disabled=position == 0,
                width="stretch",
                on_click=lambda: st.session_state.update({VIEW: titles[position - 1]}),
            )
            pick.selectbox(
                f"Vue ({len(titles)} au total, {PROJECTOR_ROWS} opérations au plus)",
                titles,
                key=VIEW,
                placeholder="Choisir",
            )
            forward.button(
                "Suivant",
                icon=":material/chevron_right:",
                disabled=position == len(titles) - 1,
                width="stretch",
                on_click=lambda: st.session_state.update({VIEW: titles[position + 1]}),
            )
            shown_ids = views[titles.index(st.session_state[VIEW])][1]
        chart_cache.chart(
            "gantt",
            result,
            lambda: charts.gantt(result, portfolio, group_by, projector, operation_ids=shown_ids),
            group_by=group_by,
            operations=shown_ids,
        )

st.subheader("Opérations en retard")
late = late_operations(result, portfolio)
late = late[late["operation_id"].isin(late_shown["operation_id"])]
if late.empty:
    st.success("Aucune opération affichée ne manque d'échéance.", icon=":material/check_circle:")
else:
    st.caption(
        f"{len(late)} opération{'s' if len(late) > 1 else ''} ; ANRU perdue au total : "
        f"**{fr.meuros(late['anru_lost'].sum())}** (engagement hors délai)."
    )
    table = pd.DataFrame(
        {
            "Opération": late["operation_id"],
            "Intitulé": late["title"],
            "Quartier": late["neighbourhood"],
            f"Engagement ({milestone})": late["commitment_month"].map(fr.month),
            "Achèvement": late["completion"].map(fr.month),
            "Échéance manquée": late["missed"],
            "ANRU perdue": late["anru_lost"].map(fr.euros),
        }
    )
    if projector:  # a static table follows the projector's large type (the grid does not)
        st.table(plain_frame(table), hide_index=True)
    else:
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height="content",
            column_config={
                "Intitulé": st.column_config.TextColumn(width="large"),
                "ANRU perdue": st.column_config.TextColumn(
                    help="Subvention ANRU perdue : engagement après l'échéance.", alignment="right"
                ),
            },
        )
