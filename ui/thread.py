"""An operation's thread on screen: its comments and questions, and the forms to comment, ask,
answer and close. Shown whole on the operation's sheet and short in Arbitrage's focus panel.

Every text people typed goes through ``ui.plain.md`` (shown as typed, never as Markdown); every
write goes through the store, which checks the role and refuses in French.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from simulation.dialogue import QUESTION_ANSWERED, QUESTION_OPEN, QUESTION_STATUS, Comment
from store.access import Action as Guard
from store.access import may
from store.bounds import same_name
from store.database import Store
from ui import identity
from ui.frames.plain import md
from ui.widgets import show_flash, store_action

PAGE = "thread"  # its flash messages (a thread is drawn on several pages)
SHORT_COUNT = 3


def comment_markdown(c: Comment) -> str:
    """One comment as Markdown whose user parts are escaped."""
    head = f"**{md(c.user)}** ({md(c.organisation)}) · n° {c.id} · {c.at:%d/%m/%Y %H:%M}"
    if c.question:
        colour = {QUESTION_OPEN: "orange", QUESTION_ANSWERED: "blue"}.get(c.status or "", "gray")
        head += f" · question à **{md(c.to)}** · :{colour}[{QUESTION_STATUS.get(c.status or '', '')}]"
    if c.reply_to is not None:
        head += f" · en réponse au n° {c.reply_to}"
    return f"{head}  \n{md(c.text)}"


@st.cache_data(ttl=30, show_spinner=False, max_entries=1000)
def _short_thread(_store: Store, path: str, operation: str) -> list[Comment]:
    """The thread as the focus panel shows it, kept 30 s so that a lever move opens the database
    once; a comment written in this process clears it at once (``_write``)."""
    return _store.comments(operation)


def forget_threads() -> None:
    """After a write in a thread: the focus panels show it at their next run."""
    _short_thread.clear()


def thread_summary(store: Store, operation: str) -> None:
    """The short thread (Arbitrage's focus panel): open questions and the last comments."""
    comments = _short_thread(store, str(store.path), operation)
    if not comments:
        st.caption("Aucun commentaire sur cette opération.")
        return
    open_questions = sum(1 for c in comments if c.question and c.status == QUESTION_OPEN)
    st.caption(
        f"Fil de l'opération : {len(comments)} message(s), {open_questions} question(s) ouverte(s) — "
        "le fil complet est sur sa fiche (page Opérations)."
    )
    for c in comments[-SHORT_COUNT:]:
        st.markdown(comment_markdown(c))


def thread(store: Store, operation: str) -> None:
    """The whole thread of ``operation``, with the forms to write in it."""
    show_flash(PAGE)
    comments = store.comments(operation)
    if not comments:
        st.caption("Aucun commentaire : soyez le premier à écrire sur cette opération.")
    for c in comments:
        with st.container(border=True):
            st.markdown(comment_markdown(c))
    acting = identity.acting_person()
    with st.form(f"thread_new_{operation}", clear_on_submit=True, border=False):
        text = st.text_area("Votre message", key=f"thread_text_{operation}", max_chars=5000, height=90)
        left, right = st.columns([1, 2])
        question = left.checkbox("C'est une question", key=f"thread_question_{operation}")
        to = right.selectbox(
            "Adressée à (direction ou maître d'ouvrage)",
            store.addressees(),
            index=None,
            placeholder="Choisir",
            key=f"thread_to_{operation}",
        )
        if st.form_submit_button("Publier", icon=":material/send:"):
            store_action(
                PAGE,
                lambda: store.add_comment(operation, text, question=question, to=to if question else None),
                "Publié.",
                then=forget_threads,
            )
    questions = [c for c in comments if c.question and c.status != "close"]
    if questions:
        with st.form(f"thread_reply_{operation}", clear_on_submit=True, border=False):
            target = st.selectbox(
                "Répondre à la question",
                [c.id for c in questions],
                format_func=lambda i: f"n° {i} — {next(c.text for c in questions if c.id == i)[:80]}",
                key=f"thread_reply_to_{operation}",
                placeholder="Choisir",
            )
            answer = st.text_area("Votre réponse", key=f"thread_answer_{operation}", max_chars=5000, height=80)
            if st.form_submit_button("Répondre", icon=":material/reply:") and target is not None:
                store_action(PAGE, lambda: store.reply(int(target), answer), "Réponse publiée.", then=forget_threads)
    closable = [
        c
        for c in comments
        if c.question and c.status == QUESTION_ANSWERED and may(acting, Guard.CLOSE_QUESTION, author=c.user)
    ]
    for c in closable:
        if st.button(f"Clore la question n° {c.id}", key=f"thread_close_{c.id}", icon=":material/task_alt:"):
            store_action(PAGE, partial(store.close_question, c.id), f"Question n° {c.id} close.", then=forget_threads)
    own = [c for c in comments if acting is not None and same_name(c.user, acting.name)]
    if own:
        correction_form(store, operation, own)


def correction_form(store: Store, operation: str, own: list[Comment]) -> None:
    """Correct one of one's messages: a new message that quotes it (nothing is edited or deleted)."""
    with (
        st.expander("Corriger un de vos messages", icon=":material/edit_note:"),
        st.form(f"thread_correct_{operation}", clear_on_submit=True, border=False),
    ):
        target = st.selectbox(
            "Message à corriger",
            [c.id for c in own],
            format_func=lambda i: f"n° {i} — {next(c.text for c in own if c.id == i)[:80]}",
            index=None,
            placeholder="Choisir",
            key=f"thread_correct_id_{operation}",
        )
        text = st.text_area("Correction", key=f"thread_correct_text_{operation}", max_chars=5000, height=80)
        st.caption("Le message d'origine reste visible : la correction le cite.")
        if st.form_submit_button("Publier la correction", icon=":material/edit_note:") and target is not None:
            store_action(
                PAGE,
                lambda: store.add_comment(operation, text, corrects=int(target)),
                f"Correction du message n° {target} publiée.",
                then=forget_threads,
            )
