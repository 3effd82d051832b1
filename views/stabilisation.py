"""Stabilisation: the portfolio's drift since a milestone (cost, works start, commitment, programme)."""

from __future__ import annotations

import streamlit as st

from simulation import fr
from simulation.drift import STATUSES
from simulation.scenario import ScenarioError
from store import StoreError
from store.access import Action, may, reserved_to
from ui import identity, layout, state, tables
from ui.frames.history_table import drift_frame
from ui.frames.plain import md, plain_frame
from ui.widgets import flash, show_flash

PAGE = "stabilisation"  # its flash message
MILESTONE_KPIS = ["spending_ttc", "anru_secured", "n_late", "net_cost"]

layout.header(
    "Stabilisation",
    "Ce qui a bougé depuis un jalon figé : coût, calendrier, programme. Stabiliser, c'est voir cette dérive.",
)
store = state.store()
show_flash(PAGE)

acting = identity.acting_person()
can_freeze = may(acting, Action.FREEZE_MILESTONE)
popover = st.popover(
    "Figer un jalon…",
    icon=":material/flag:",
    disabled=not can_freeze,
    help=None if can_freeze else reserved_to(Action.FREEZE_MILESTONE),
)
with popover, st.form("milestone_create", border=False):
    name = st.text_input("Nom du jalon", placeholder="Comité d'engagement – mars 2027", max_chars=120)
    if st.form_submit_button("Figer le portefeuille d'aujourd'hui", type="primary"):
        try:
            info = store.create_milestone(name)
        except StoreError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            st.session_state["stab_milestone"] = info.name
            flash(PAGE, f"Jalon « {info.name} » figé : {info.n_operations} opérations.")
            st.rerun()

milestones = store.milestones()
if not milestones:
    st.info(
        "Aucun jalon n'a encore été figé. Un arbitre fige le portefeuille avant un comité, puis on suit sa dérive ici."
    )
    st.stop()
names = [m.name for m in milestones]
if st.session_state.get("stab_milestone") not in names:
    st.session_state["stab_milestone"] = names[-1]
chosen = st.selectbox(
    "Comparer aujourd'hui au jalon",
    names,
    key="stab_milestone",
    format_func=lambda n: next(
        f"{m.name} (figé le {m.created_at:%d/%m/%Y} par {m.created_by})" for m in milestones if m.name == n
    ),
    placeholder="Choisir",
)
result = store.drift(chosen)
t = result.totals
c1, c2, c3, c4 = st.columns(4)
for column, label, cost in ((c1, "Coût HT", "cost_ht"), (c2, "Coût TTC", "cost_ttc")):
    column.metric(
        label,
        fr.meuros(t[f"{cost}_after"]),
        fr.meuros(t[f"{cost}_drift"], signed=True),
        delta_color="inverse",  # a cost that grows is bad news: red
        border=True,
    )
c3.metric(
    "Travaux retardés",
    str(t["n_slipped"]),
    f"jusqu'à {t['max_slippage_months']} mois" if t["n_slipped"] else None,
    delta_color="off",
    delta_arrow="off",
    border=True,
)
c4.metric("Programme modifié", str(t["n_programme_changed"]), border=True)
st.markdown(
    f"Opérations **inchangées : {t['n_unchanged']}**, modifiées : {t['n_modified']}, "
    f"ajoutées : {t['n_added']}, retirées : {t['n_removed']}."
)
shown = st.pills(
    "Statut", list(STATUSES), default=["modifiée", "ajoutée", "retirée"], selection_mode="multi", key="stab_status"
)
table = drift_frame(result, list(shown))
if table.empty:
    st.caption("Aucune opération avec ces statuts.")
elif len(table) <= 60:  # a static table wraps titles and stays readable on a projector
    st.table(plain_frame(table), hide_index=True, border="horizontal")  # st.table reads Markdown: user text
else:
    tables.grid(table, slot="drift_grid", height=tables.grid_height(len(table), 14), key="stab_table")

st.subheader("Le scénario en cours sur ce jalon")
st.caption(
    f"« {md(state.working().name)} » simulé sur le portefeuille figé au jalon, comparé au même scénario "
    "sur le portefeuille d'aujourd'hui (les écarts sont ceux d'aujourd'hui par rapport au jalon)."
)
try:
    on_milestone = state.run_on_milestone(chosen, state.working())
except (ScenarioError, StoreError) as exc:
    st.warning(md(str(exc)), icon=":material/warning:")
else:
    layout.kpi_cards(state.run(state.working()), on_milestone, MILESTONE_KPIS)
