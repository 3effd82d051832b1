"""The sidebar block that says who is acting, and lets a person pick their name on a "poste local".

Whether a session may write is the store's decision (``store.people.acting_person``): this
block only shows it, with the store's own reason when it refuses (not signed in, unknown,
e-mail not verified, a poste local reached from another machine), and logs sign-ins and
sign-outs to the audit log.
"""

from __future__ import annotations

import streamlit as st

from store import AccessDenied, Person, StoreError, audit
from store.people import is_group
from ui import state
from ui.frames.plain import md

ROLE_LABEL = {
    "lecteur": "lecteur",
    "contributeur": "contributeur",
    "arbitre": "arbitre",
    "administrateur": "administrateur",
}
_SIGNED_IN = "audit_signed_in"  # the identity this session last logged as signed in


def acting_person() -> Person | None:
    """The person acting in this session, or None if unknown (reads still work, writes are refused)."""
    try:
        return state.store().whoami()
    except (AccessDenied, StoreError):
        return None


def refusal() -> str | None:
    """Why this session may not write, in the store's words (None: it may)."""
    try:
        state.store().whoami()
    except (AccessDenied, StoreError) as exc:
        return str(exc)
    return None


def _role(person: Person) -> str:
    where = f", {', '.join(person.directorates)}" if person.directorates else ""
    return f"{person.role.value}{md(where)}"


def _log_sign_in(who: state.Identity) -> None:
    """One ``connexion`` line per session and identity in the audit log."""
    if who.authenticated and st.session_state.get(_SIGNED_IN) != who.name:
        st.session_state[_SIGNED_IN] = who.name
        audit.signed(who.caller(), "connexion")


def _sign_out() -> None:
    audit.signed(state.identity().caller(), "déconnexion")
    st.session_state.pop(_SIGNED_IN, None)
    st.logout()


def sidebar_identity() -> None:
    who = state.identity()
    _log_sign_in(who)
    with st.sidebar:
        if who.mode == "oidc":
            if who.authenticated:
                person = acting_person()
                shown = md(who.display or who.name or "")
                if person is not None:
                    st.caption(f"Connecté(e) : {shown} — {_role(person)}")
                else:
                    st.caption(f"Connecté(e) : {shown}. {md(refusal() or '')}")
                st.button("Se déconnecter", on_click=_sign_out, key="logout")
            else:
                st.caption("Lecture seule : connectez-vous avec votre compte de la Ville pour modifier.")
                st.button("Se connecter", on_click=st.login, key="login", type="primary")
            return
        if who.mode == "header":
            if who.name:
                person = acting_person()
                label = f" — {_role(person)}" if person else f". {md(refusal() or '')}"
                st.caption(f"Identifié(e) par le proxy de la Ville : {md(who.name)}{label}")
            else:
                st.caption("Aucune identité transmise par le proxy : lecture seule.")
            return
        people = state.store().people()
        if not people:
            st.caption(
                ":material/lock_open: **Poste local — personne n'est authentifié.** Aucune personne n'est "
                "encore définie : chacun agit en administrateur jusqu'à ce que « Personnes et droits » en déclare."
            )
            return
        names = [p.name for p in people if not is_group(p.name)]
        if st.session_state.get(state.ACTING) not in (None, *names):
            st.session_state[state.ACTING] = None
        st.selectbox(
            "Vous êtes",
            names,
            index=None,
            key=state.ACTING,
            placeholder="Choisissez votre nom",
            help="Vos modifications sont enregistrées à ce nom, avec vos droits.",
        )
        person = acting_person()
        role = f" ({_role(person)})" if person else ""
        why = refusal() if who.name else None
        st.caption(
            f":material/lock_open: **Poste local — personne n'est authentifié**{role}. "
            + (md(why) if why else "Choisissez votre nom pour modifier." if person is None else "")
        )


def author_name() -> str:
    """The author written on a save: the person acting (the store enforces it once people exist)."""
    person = acting_person()
    if person is not None:
        return person.name
    return state.identity().name or "poste local"


def author_caption() -> None:
    st.caption(f"Auteur : {md(author_name())} (la personne qui enregistre)")
