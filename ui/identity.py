"""The sidebar block that says who is acting, and lets a person pick their name on a "poste local"."""

from __future__ import annotations

import streamlit as st

from store import AccessDenied, Person, StoreError
from ui import state

ROLE_LABEL = {
    "lecteur": "lecteur",
    "contributeur": "contributeur",
    "arbitre": "arbitre",
    "administrateur": "administrateur",
}


def acting_person() -> Person | None:
    """The person acting in this session, or None if unknown (reads still work, writes are refused)."""
    try:
        return state.store().whoami()
    except (AccessDenied, StoreError):
        return None


def sidebar_identity() -> None:
    who = state.identity()
    people = state.store().people()
    with st.sidebar:
        if who.mode == "oidc":
            if who.authenticated:
                person = acting_person()
                st.caption(
                    f"Connecté(e) : {who.name}" + (f" — {person.role.value}" if person else " (inconnu(e) de la base)")
                )
                st.button("Se déconnecter", on_click=st.logout, key="logout")
            else:
                st.button("Se connecter", on_click=st.login, key="login", type="primary")
            return
        if who.mode == "header":
            if who.name:
                person = acting_person()
                label = f" — {person.role.value}" if person else " (inconnu(e) de la base : lecture seule)"
                st.caption(f"Identifié(e) par le proxy de la Ville : {who.name}{label}")
            else:
                st.caption("Aucune identité transmise par le proxy : lecture seule.")
            return
        if not people:
            st.caption(
                ":material/lock_open: **Poste local — personne n'est authentifié.** Aucune personne n'est "
                "encore définie : chacun agit en administrateur jusqu'à ce que « Personnes et droits » en déclare."
            )
            return
        names = [p.name for p in people]
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
        role = (
            f" ({person.role.value}{', ' + ', '.join(person.directorates) if person.directorates else ''})"
            if person
            else ""
        )
        st.caption(
            f":material/lock_open: **Poste local — personne n'est authentifié**{role}. "
            + ("Choisissez votre nom pour modifier." if person is None else "")
        )


def author_name() -> str:
    """The author written on a save: the person acting (the store enforces it once people exist)."""
    person = acting_person()
    if person is not None:
        return person.name
    return state.identity().name or "poste local"


def author_caption(name: str | None = None) -> None:
    """Who a save will name as author: ``name`` when the page already read it, else ``author_name()``."""
    st.caption(f"Auteur : {name or author_name()} (la personne qui enregistre)")


def author_of(person: Person | None) -> str:
    """The author written on a save, from the person acting as the page read it (``Store.glance``)."""
    return person.name if person is not None else (state.identity().name or "poste local")
