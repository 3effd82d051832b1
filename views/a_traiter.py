"""À traiter: what awaits the person acting — questions to their directorates, actions assigned to
them or to their directorates — overdue first, each with a way to its operation or meeting."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from ui import identity, layout, state
from ui.frames.plain import md
from ui.thread import comment_markdown, forget_threads
from ui.widgets import show_flash, store_action

OPERATIONS_CURRENT = "ops_current"  # views/operations.py: the operation whose sheet is open
MEETING_CURRENT = "meeting_current"  # views/reunions.py: the meeting shown

layout.header("À traiter", "Les questions adressées à vos directions et les actions qui vous reviennent.")
store = state.store()
acting = identity.acting_person()
PAGE = "inbox"
show_flash(PAGE)
if acting is None:
    st.info("Choisissez votre nom dans la barre latérale pour voir ce qui vous attend.", icon=":material/person:")
    st.stop()

today = date.today()
box = store.inbox(today)
overdue = [a for a in box.actions if a.overdue(today)]
where = ", ".join(acting.directorates) if acting.directorates else "aucune direction"
st.markdown(
    f"Pour **{md(acting.name)}** ({md(where)}) : **{len(box.questions)}** question(s) ouverte(s), "
    f"**{len(box.actions)}** action(s) ouverte(s)"
    + (f", dont :orange[**{len(overdue)} en retard**]" if overdue else "")
    + "."
)


def open_operation(operation: str) -> None:
    st.session_state[OPERATIONS_CURRENT] = operation
    st.switch_page("views/operations.py")


def open_meeting(meeting: str) -> None:
    st.session_state[MEETING_CURRENT] = meeting
    st.switch_page("views/reunions.py")


st.subheader("Actions")
if not box.actions:
    st.caption("Aucune action ouverte ne vous revient.")
for a in box.actions:  # overdue first
    with st.container(border=True):
        late = " · :orange[**en retard**]" if a.overdue(today) else ""
        text, go = st.columns([4, 1.2], vertical_alignment="center")
        text.markdown(
            f"**Action n° {a.id}** · pour le {a.due:%d/%m/%Y}{late} · responsable {md(a.owner)}  \n{md(a.text)}"
        )
        if go.button("Réunion", key=f"inbox_meeting_{a.id}", icon=":material/groups_3:", help=a.meeting):
            open_meeting(a.meeting)
        if a.operation and go.button(a.operation, key=f"inbox_op_{a.id}", icon=":material/domain:"):
            open_operation(a.operation)
        with st.form(f"inbox_done_{a.id}", border=False):
            note = st.text_input("Note (facultative)", key=f"inbox_note_{a.id}", max_chars=5000)
            if st.form_submit_button("Marquer faite", icon=":material/task_alt:"):
                store_action(PAGE, partial(store.mark_action_done, a.id, note=note or None), f"Action n° {a.id} faite.")

st.subheader("Questions à vos directions")
if not box.questions:
    st.caption("Aucune question ouverte n'attend vos directions.")
for q in box.questions:
    with st.container(border=True):
        text, go = st.columns([4, 1.2], vertical_alignment="center")
        text.markdown(comment_markdown(q))
        if go.button(q.operation, key=f"inbox_q_op_{q.id}", icon=":material/domain:", help="Ouvrir sa fiche"):
            open_operation(q.operation)
        with st.form(f"inbox_answer_{q.id}", clear_on_submit=True, border=False):
            answer = st.text_area("Votre réponse", key=f"inbox_answer_text_{q.id}", max_chars=5000, height=80)
            if st.form_submit_button("Répondre", icon=":material/reply:"):
                store_action(
                    PAGE,
                    partial(store.reply, q.id, answer),
                    f"Réponse à la question n° {q.id} publiée.",
                    then=forget_threads,
                )
