"""Réunions: prepare a meeting (agenda, participants, scenario), hold it — the agenda on the left,
the current item's figures, one field and one button per decision kind — close it, and take
away its relevé de décisions (Word) and the actions (XLSX). Once closed, the minutes only
change by a correction with its reason (arbitre)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from exports.minutes import actions_xlsx, decision_figures, minutes_docx, minutes_file_name
from simulation import fr
from simulation.dialogue import DECISION_KINDS, MEETING_KINDS, MEETING_STATE, AgendaItem, Meeting
from simulation.labels import KPI
from store.access import Action as Guard
from store.access import may
from ui import identity, layout, state
from ui.frames.plain import md
from ui.widgets import show_flash, store_action

CURRENT = "meeting_current"
PAGE = "meeting"
ROOM_KPIS = ("spending_ttc", "anru_secured", "anru_lost", "n_late")
DECISION_ICONS = {
    "validee": ":material/check_circle:",
    "reportee": ":material/schedule:",
    "reduite": ":material/compress:",
    "abandonnee": ":material/cancel:",
    "a_instruire": ":material/search:",
    "information": ":material/info:",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

layout.header("Réunions", "Ordre du jour, séance, relevé de décisions et actions.")
store = state.store()
projector = state.projector()
acting = identity.acting_person()
may_hold = may(acting, Guard.HOLD_MEETING)
may_decide = may(acting, Guard.RECORD_DECISION)
show_flash(PAGE)


def item_label(item: AgendaItem) -> str:
    """« 2. CNSM-02 »: fixed for the item (a radio whose label changes forgets the point chosen)."""
    return f"{item.position}. {item.operation or item.topic}"


meetings = store.meetings()
names = [m.name for m in meetings]
if "meeting_pending" in st.session_state:  # a meeting just created: selected before its selectbox is drawn
    st.session_state[CURRENT] = st.session_state.pop("meeting_pending")
if st.session_state.get(CURRENT) not in names:
    st.session_state.pop(CURRENT, None)
picked, new = st.columns([3, 1], vertical_alignment="bottom")
chosen = picked.selectbox(
    "Réunion",
    names,
    index=None,
    key=CURRENT,
    placeholder="Choisir une réunion",
    # The label must not change with the meeting's state: Streamlit would forget the choice.
    format_func=lambda n: next(
        f"{m.date:%d/%m/%Y} — {m.name} ({MEETING_KINDS[m.kind]})" for m in meetings if m.name == n
    ),
)
with new.popover("Nouvelle réunion", icon=":material/add:", width="stretch"), st.form("meeting_new", border=False):
    name = st.text_input("Nom", max_chars=200, key="meeting_new_name")
    when = st.date_input("Date", value=date.today(), format="DD/MM/YYYY", key="meeting_new_date")
    kind = st.selectbox("Type", list(MEETING_KINDS), format_func=MEETING_KINDS.__getitem__, key="meeting_new_kind")
    scenario = st.selectbox(
        "Scénario discuté",
        [s.name for s in store.list_scenarios()],
        index=None,
        placeholder="La référence",
        key="meeting_new_scenario",
    )
    guests = st.text_area("Participants, un par ligne : « Nom (organisation) »", key="meeting_new_guests")
    if st.form_submit_button("Créer", icon=":material/add:"):
        lines = [g for g in guests.splitlines() if g.strip()]
        store_action(
            PAGE,
            lambda: store.create_meeting(name, when, kind, scenario=scenario, participants=lines),
            f"Réunion « {name.strip()} » créée.",
            then=lambda: st.session_state.update(meeting_pending=name.strip()),
        )

if chosen is None:
    if not meetings:
        st.info("Aucune réunion : créez la première avec « Nouvelle réunion ».", icon=":material/groups_3:")
    else:
        today = date.today()
        st.caption("Réunions à venir et récentes :")
        for m in meetings[:20]:
            ahead = "à venir" if m.date >= today else "passée"
            st.markdown(
                f"- {m.date:%d/%m/%Y} — **{md(m.name)}** — {MEETING_KINDS[m.kind]}, {MEETING_STATE[m.state]} ({ahead})"
            )
    st.stop()

meeting: Meeting = store.meeting(chosen)
guests_text = ", ".join(
    md(p["name"]) + (f" ({md(p['organisation'])})" if p["organisation"] else "") for p in meeting.participants
)
st.markdown(
    f"**{MEETING_KINDS[meeting.kind]}** du {meeting.date:%d/%m/%Y} · **{MEETING_STATE[meeting.state]}** · "
    f"scénario « {md(meeting.scenario or 'la référence')} »"
    + (f"  \nParticipants : {guests_text}" if guests_text and not projector else "")
)


def agenda_form(m: Meeting) -> None:
    portfolio = state.portfolio()
    with st.form(f"agenda_{m.name}", clear_on_submit=True, border=False):
        operation = st.selectbox(
            "Opération",
            portfolio.ids,
            index=None,
            placeholder="Choisir",
            key=f"agenda_op_{m.name}",
            format_func=lambda i: f"{i} – {portfolio.by_id[i].title}",
        )
        topic = st.text_input("ou sujet libre", max_chars=500, key=f"agenda_topic_{m.name}")
        if st.form_submit_button("Ajouter à l'ordre du jour", icon=":material/playlist_add:"):
            if topic.strip() and operation is None:
                store_action(PAGE, lambda: store.add_agenda_item(m.name, topic=topic), "Point ajouté.")
            else:
                store_action(PAGE, lambda: store.add_agenda_item(m.name, operation=operation), "Point ajouté.")


def figures(m: Meeting, item: AgendaItem | None) -> None:
    """The current item's figures: the scenario on the screen, the operation's own line."""
    scenario = store.load_scenario(m.scenario).scenario if m.scenario else state.reference()
    result = state.run(scenario)
    cards = st.columns(len(ROOM_KPIS))
    for column, key in zip(cards, ROOM_KPIS, strict=True):
        column.metric(KPI[key], fr.kpi_value(key, result.kpis[key]), border=True)
    if item is not None and item.operation:
        ops = result.operations
        rows = ops[ops["operation_id"] == item.operation]
        if len(rows):
            row = rows.iloc[0]
            title = state.portfolio().by_id[item.operation].title
            st.markdown(
                f"**{md(item.operation)} — {md(title)}** : travaux {fr.month(row['works_start'])} → "
                f"{fr.month(row['completion'])} · CP TTC {fr.meuros(row['spending_ttc'])} · "
                f"ANRU sécurisée {fr.meuros(row['anru_secured'], 2)}"
            )


def decisions_list(item: AgendaItem, in_session: bool = False) -> None:
    """The item's decisions with their actions; ``in_session``, an arbitre may add an action to one."""
    for d in item.decisions:
        fix = f" (corrige n° {d.corrects} — {md(d.reason)})" if d.corrects else ""
        actions = "".join(f"  \n→ {md(a.text)} — {md(a.owner)} — pour le {a.due:%d/%m/%Y}" for a in d.actions)
        st.markdown(f"**n° {d.id} · {DECISION_KINDS[d.kind]}**{fix} : {md(d.text)}{actions}")
        if not projector:
            st.caption(f"Scénario « {md(d.scenario)} » version {d.scenario_version} — {decision_figures(d)}")
        if in_session and may_decide:
            more_action_form(d.id)


def more_action_form(decision_id: int) -> None:
    """One more action on a decision already recorded (a decision carries any number of them)."""
    with (
        st.popover(f"Ajouter une action à la décision n° {decision_id}", icon=":material/add_task:"),
        st.form(f"more_action_{decision_id}", clear_on_submit=True, border=False),
    ):
        text = st.text_input("Action", max_chars=5000, key=f"more_action_text_{decision_id}")
        owner = st.text_input("Responsable", max_chars=200, key=f"more_action_owner_{decision_id}")
        due = st.date_input("Échéance", value=None, format="DD/MM/YYYY", key=f"more_action_due_{decision_id}")
        if st.form_submit_button("Ajouter l'action", icon=":material/add_task:"):
            store_action(
                PAGE,
                lambda: store.add_action(decision_id, text, owner, due or ""),
                f"Action ajoutée à la décision n° {decision_id}.",
            )


def decision_form(m: Meeting, item: AgendaItem) -> None:
    with st.form(f"decide_{m.name}_{item.position}", clear_on_submit=True, border=True):
        text = st.text_area("Décision", max_chars=5000, height=68, key=f"decide_text_{m.name}_{item.position}")
        what, who, when = st.columns([2.2, 1.2, 1])
        action = what.text_input("Action (facultative)", max_chars=5000, key=f"decide_action_{m.name}_{item.position}")
        owner = who.text_input("Responsable", max_chars=200, key=f"decide_owner_{m.name}_{item.position}")
        due = when.date_input("Échéance", value=None, format="DD/MM/YYYY", key=f"decide_due_{m.name}_{item.position}")
        pressed = None
        kinds = list(DECISION_KINDS.items())
        for row in (kinds[:3], kinds[3:]):  # two rows of three: each label whole on a projector
            for column, (kind, label) in zip(st.columns(3), row, strict=True):
                if column.form_submit_button(
                    label, icon=DECISION_ICONS[kind], key=f"decide_{kind}_{item.position}", width="stretch"
                ):
                    pressed = kind
    if pressed is None:
        return
    follow_up = []
    if action.strip() or owner.strip() or due is not None:
        if not (action.strip() and owner.strip() and due is not None):
            st.error("Une action demande son texte, son responsable et son échéance : rien n'a été enregistré.")
            return
        follow_up.append((action, owner, due))
    target = {"operation": item.operation} if item.operation else {"topic": item.topic}
    store_action(
        PAGE,
        lambda: store.add_decision(m.name, pressed, text, actions=follow_up, **target),
        f"Décision « {DECISION_KINDS[pressed]} » enregistrée.",
    )


if meeting.state == "en_cours":
    agenda, current = st.columns([1, 3.2])
    with agenda:
        st.markdown("**Ordre du jour**")
        position: int | None = None
        if meeting.items:
            position = st.radio(
                "Point en cours",
                [i.position for i in meeting.items],
                format_func=lambda p: item_label(next(i for i in meeting.items if i.position == p)),
                key=f"meeting_item_{meeting.name}",
                label_visibility="collapsed",
            )
        else:
            st.caption("Ordre du jour vide.")
        with st.expander("Ajouter un point", icon=":material/playlist_add:"):
            agenda_form(meeting)
        if st.button("Clore la séance", icon=":material/lock:", disabled=not may_hold, type="primary"):
            store_action(
                PAGE, lambda: store.close_meeting(meeting.name), "Séance close : le relevé de décisions est figé."
            )
    with current:
        item = next((i for i in meeting.items if i.position == position), None)
        figures(meeting, item)
        if item is not None:
            if not projector:  # on a projector the field and the buttons come first, nearer the figures
                decisions_list(item, in_session=True)
            if may_decide:
                decision_form(meeting, item)
            else:
                st.caption("Seuls un arbitre ou un administrateur enregistrent les décisions.")
            if projector:
                decisions_list(item, in_session=True)
else:
    for item in meeting.items:
        st.markdown(f"##### {md(item_label(item))} — {len(item.decisions)} décision(s)")
        decisions_list(item)
    if not meeting.items:
        st.caption("Ordre du jour vide.")
    if meeting.state == "prevue":
        st.markdown("**Ajouter un point à l'ordre du jour**")
        agenda_form(meeting)
        if st.button("Ouvrir la séance", icon=":material/play_arrow:", disabled=not may_hold, type="primary"):
            store_action(PAGE, lambda: store.start_meeting(meeting.name), "Séance ouverte.")
    elif may_decide and meeting.decisions:
        with (
            st.expander("Corriger une décision (motif obligatoire)", icon=":material/edit_note:"),
            st.form(f"correct_{meeting.name}", clear_on_submit=True, border=False),
        ):
            target = st.selectbox(
                "Décision", [d.id for d in meeting.decisions], format_func=lambda i: f"n° {i}", key="correct_id"
            )
            text = st.text_area("Texte corrigé", max_chars=5000, key="correct_text")
            reason = st.text_input("Motif", max_chars=5000, key="correct_reason")
            if st.form_submit_button("Ajouter la correction", icon=":material/add:"):
                store_action(PAGE, lambda: store.correct_decision(int(target), text, reason), "Correction ajoutée.")

today = date.today()
left, right = st.columns(2)
left.download_button(
    "Relevé de décisions (Word)",
    minutes_docx(meeting, demo=store.is_demo()),
    file_name=minutes_file_name(meeting),
    mime=DOCX,
    icon=":material/description:",
    key="meeting_docx",
)
right.download_button(
    "Toutes les actions (XLSX)",
    actions_xlsx(store.actions(today=today), today),
    file_name=f"actions-{today.isoformat()}.xlsx",
    mime=XLSX,
    icon=":material/table:",
    key="meeting_xlsx",
)
