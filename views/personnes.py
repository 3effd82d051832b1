"""Personnes et droits (administrateurs): who may do what, and a backup of the whole database."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import streamlit as st

from store import Role, StoreError
from store.access import ROLE_HELP, Action, may
from ui import identity, layout, state, tables
from ui.frames.plain import md
from ui.widgets import flash, show_flash

PAGE = "personnes"  # its flash message

layout.header("Personnes et droits")
store = state.store()
acting = identity.acting_person()
if acting is None or not may(acting, Action.MANAGE_PEOPLE):
    st.warning("Cette page est réservée aux administrateurs.", icon=":material/lock:")
    st.stop()
show_flash(PAGE)
if acting.implicit:
    st.info(
        "Aucune personne n'est encore définie : ce poste agit en administrateur. Déclarez d'abord un "
        "administrateur, puis les autres personnes.",
        icon=":material/info:",
    )

people = store.people()
if people:  # an empty grid draws Streamlit's English « empty » on its canvas
    tables.grid(  # a grid: names are user text (never Markdown), enlarged on a projector
        {
            "Nom": [p.name for p in people],
            "Rôle": [p.role.value for p in people],
            "Directions": [", ".join(p.directorates) for p in people],
            "Adresse (connexion)": [p.email or "" for p in people],
            "Peut": [ROLE_HELP[p.role] for p in people],
        },
        slot="people_grid",
        height=tables.grid_height(len(people)),
    )
else:
    st.caption("Aucune personne déclarée.")

directorates = sorted({op.directorate for op in state.portfolio().operations})
roles = [r.value for r in Role]


def done(message: str) -> None:
    flash(PAGE, message)
    st.rerun()


add_col, edit_col = st.columns(2, gap="large")
with add_col, st.form("person_add", border=True):
    st.markdown("**Ajouter une personne**")
    name = st.text_input("Nom", key="person_add_name", max_chars=120)
    email = st.text_input(
        "Adresse de l'annuaire",
        key="person_add_email",
        max_chars=254,
        help="Avec la connexion OpenID Connect, l'adresse que l'annuaire donne, vérifiée, doit être exactement celle-ci.",
    )
    role = st.selectbox(
        "Rôle",
        roles,
        index=0 if people else roles.index("administrateur"),
        key="person_add_role",
        placeholder="Choisir",
    )
    dirs = st.multiselect(
        "Directions (contributeur)",
        directorates,
        key="person_add_dirs",
        placeholder="Choisir une ou plusieurs directions",
    )
    if st.form_submit_button("Ajouter", type="primary"):
        try:
            store.add_person(name, role, tuple(dirs), email=email)
        except StoreError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            done(f"{name.strip()} ajouté(e) : {role}.")

with edit_col:
    if people:
        st.markdown("**Modifier ou retirer**")
        who = st.selectbox("Personne", [p.name for p in people], key="person_edit_name", placeholder="Choisir")
        current = next(p for p in people if p.name == who)
        with st.form(f"person_edit_{who}", border=True):  # its fields start from the person picked
            new_role = st.selectbox(
                "Rôle",
                roles,
                index=roles.index(current.role.value),
                key=f"person_edit_role_{who}",
                placeholder="Choisir",
            )
            new_dirs = st.multiselect(
                "Directions",
                sorted(set(directorates) | set(current.directorates)),
                default=list(current.directorates),
                key=f"person_edit_dirs_{who}",
                placeholder="Choisir une ou plusieurs directions",
            )
            new_email = st.text_input(
                "Adresse de l'annuaire", value=current.email or "", key=f"person_edit_email_{who}", max_chars=254
            )
            save, remove = st.columns(2)
            if save.form_submit_button("Enregistrer"):
                try:
                    store.set_person(who, role=new_role, directorates=tuple(new_dirs), email=new_email)
                except StoreError as exc:
                    st.error(md(str(exc)), icon=":material/error:")
                else:
                    done(f"Droits de {who} modifiés.")
            if remove.form_submit_button("Retirer"):
                try:
                    store.remove_person(who)
                except StoreError as exc:
                    st.error(md(str(exc)), icon=":material/error:")
                else:
                    done(f"{who} retiré(e).")

st.subheader("Sauvegarde")
st.caption(
    "Une copie cohérente de toute la base (opérations, scénarios, personnes, historique, jalons), "
    "que l'application et la ligne de commande (--db FICHIER) ouvrent. Une copie quotidienne est aussi "
    "gardée automatiquement à côté de la base (dossier « sauvegardes »)."
)
if st.button("Préparer une sauvegarde", icon=":material/backup:", key="backup_prepare"):
    with tempfile.TemporaryDirectory() as folder:
        copy = store.backup(Path(folder) / "sauvegarde.duckdb")
        st.session_state["backup_bytes"] = copy.read_bytes()
        st.session_state["backup_name"] = f"simulateur-{datetime.now():%Y-%m-%d-%H%M}.duckdb"
if "backup_bytes" in st.session_state:
    st.download_button(
        "Télécharger la sauvegarde",
        st.session_state["backup_bytes"],
        file_name=st.session_state["backup_name"],
        mime="application/octet-stream",
        icon=":material/download:",
        key="backup_download",
    )
