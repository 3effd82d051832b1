"""Scénarios: the saved scenarios — list, open, duplicate, rename, delete — and what the selected
one sets and changes against the reference."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulation import compare, fr
from simulation.levers import envelope_table
from simulation.model import RATIONALE_MAX
from simulation.settings_text import settings_summary
from store import StoreError
from ui import identity, layout, save_form, state
from ui.envelope_editor import envelope_editor
from ui.frames.plain import md, plain_frame
from ui.widgets import flash, show_flash

SELECTED = "scenarios_selected"
PENDING_SELECT = "scenarios_pending_select"
PAGE = "scenarios"  # its flash message
CONFIRM_DELETE = "scenarios_confirm_delete"


def table(frame: pd.DataFrame) -> None:
    """A read-only table whose long texts wrap (rationales, settings) and that follows the type size."""
    st.table(plain_frame(frame), border="horizontal", hide_index=True)  # names and rationales are user text


def done(message: str, select: str | None = None, forget: tuple[str, ...] = ()) -> None:
    """After a successful action: say so on the next run, select a scenario, clear used inputs."""
    flash(PAGE, message)
    if select is not None:
        st.session_state[PENDING_SELECT] = select
    for key in forget:
        st.session_state.pop(key, None)
    st.session_state.pop(CONFIRM_DELETE, None)
    st.rerun()


layout.header("Scénarios", "Les scénarios enregistrés, partagés par tous les utilisateurs de l'application.")
store = state.store()
infos = store.list_scenarios()
names = [info.name for info in infos]
by_name = {info.name: info for info in infos}
reference_name = store.reference_name()
current = state.status()

show_flash(PAGE)
save_form.confirmation("scenarios_save")

# ---------------------------------------------------------------------- the list


def role(name: str) -> str:
    parts = []
    if by_name[name].is_reference:
        parts.append("référence")
    if name == current.base_name:
        parts.append("ouvert" + (", modifié" if current.modified else ""))
    return " ; ".join(parts)


def parent(name: str | None) -> str:
    if not name:
        return "—"
    return name if name in by_name else f"{name} (supprimé)"


st.subheader(f"Scénarios enregistrés : {len(infos)}")
table(
    pd.DataFrame(
        {
            "Nom": names,
            "Rôle": [role(n) for n in names],
            "Auteur": [info.author or "—" for info in infos],
            "Dernière modification": [f"{info.updated_at:%d/%m/%Y %H:%M}" for info in infos],
            "Parent": [parent(info.parent if info.parent != info.name else None) for info in infos],
            "Justification": [info.rationale or "—" for info in infos],
        }
    ),
)

# ---------------------------------------------------------------------- actions on one scenario
if PENDING_SELECT in st.session_state:
    st.session_state[SELECTED] = st.session_state.pop(PENDING_SELECT)
if st.session_state.get(SELECTED) not in names:
    st.session_state[SELECTED] = current.base_name if current.base_name in names else reference_name

selected = st.selectbox(
    "Scénario sélectionné",
    names,
    key=SELECTED,
    format_func=lambda n: f"{n} (référence)" if by_name[n].is_reference and "référence" not in n.lower() else n,
    placeholder="Choisir",
)
info = by_name[selected]

open_column, duplicate_column, rename_column, delete_column = st.columns(4, border=True)

with open_column:
    st.markdown("**Ouvrir**")
    is_open = selected == current.base_name
    if is_open and not current.modified:
        st.caption("Ce scénario est déjà celui en cours sur toutes les pages.")
    else:
        if current.modified:
            st.caption(
                ":orange[Le scénario en cours a des modifications non enregistrées] : ouvrir les remplace "
                "(« Annuler » sur la page Arbitrage permet d'y revenir)."
            )
        else:
            st.caption("Le rend scénario en cours sur toutes les pages.")
        if st.button(
            "Rouvrir la version enregistrée" if is_open else "Ouvrir",
            key="scenario_open",
            icon=":material/folder_open:",
        ):
            try:
                state.open_scenario(selected)
            except StoreError as exc:
                st.error(md(str(exc)), icon=":material/error:")
            else:
                layout.select_scenario_next_run(selected)
                done(f"Scénario « {selected} » ouvert : c'est désormais le scénario en cours sur toutes les pages.")

with duplicate_column, st.form(f"duplicate_{selected}", border=False):
    st.markdown("**Dupliquer**")
    new_name = st.text_input("Nom de la copie", value=f"Copie de {selected}", key=f"dup_name_{selected}")
    identity.author_caption()
    rationale = st.text_area(
        "Justification",
        key=f"dup_rationale_{selected}",
        placeholder="Vide : reprend celle d'origine",
        height=80,
        max_chars=RATIONALE_MAX,
    )
    if st.form_submit_button("Dupliquer", icon=":material/content_copy:"):
        try:
            copy = store.duplicate_scenario(
                selected, new_name, author=identity.author_name(), rationale=rationale or None
            )
        except StoreError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            done(
                f"Scénario « {copy.name} » créé, copie de « {selected} ».",
                select=copy.name,
                forget=(f"dup_name_{selected}", f"dup_rationale_{selected}"),
            )

with rename_column, st.form(f"rename_{selected}", border=False):
    st.markdown("**Renommer**")
    renamed = st.text_input("Nouveau nom", value=selected, key=f"rename_name_{selected}")
    if st.form_submit_button("Renommer", icon=":material/edit:"):
        try:
            store.rename_scenario(selected, renamed)
            renamed = renamed.strip()
            if selected == current.base_name:
                # The scenario in use was renamed: follow it, keeping unsaved changes.
                working = state.working()
                state.open_scenario(renamed, record_undo=False)
                if current.modified:
                    state.set_working(working.model_copy(update={"name": renamed}))
                layout.select_scenario_next_run(renamed)
        except StoreError as exc:
            st.error(md(str(exc)), icon=":material/error:")
        else:
            done(
                f"Scénario « {selected} » renommé en « {renamed} ».",
                select=renamed,
                forget=(f"rename_name_{selected}",),
            )

with delete_column:
    st.markdown("**Supprimer**")
    if st.session_state.get(CONFIRM_DELETE) == selected:
        st.warning(f"Mettre « {md(selected)} » à la corbeille ?", icon=":material/warning:")
        confirm, cancel = st.columns(2)
        if confirm.button("Confirmer", key="scenario_delete_confirm", type="primary", icon=":material/delete:"):
            try:
                store.delete_scenario(selected)
            except StoreError as exc:
                st.session_state.pop(CONFIRM_DELETE, None)
                st.error(md(str(exc)), icon=":material/error:")
            else:
                was_open = selected == current.base_name
                state.forget_deleted(selected)
                if was_open:
                    layout.select_scenario_next_run(reference_name)
                done(
                    f"Scénario « {selected} » mis à la corbeille (Historique → Corbeille pour le restaurer)."
                    + (f" Le scénario en cours est désormais « {reference_name} »." if was_open else ""),
                    select=reference_name if was_open else None,
                )
        if cancel.button("Annuler", key="scenario_delete_cancel"):
            st.session_state.pop(CONFIRM_DELETE, None)
            st.rerun()
    else:
        st.caption(
            "À la corbeille, après confirmation : son auteur ou un administrateur peut le restaurer. "
            "Le scénario de référence ne peut pas être supprimé."
        )
        if st.button("Supprimer…", key="scenario_delete", icon=":material/delete:"):
            if info.is_reference:
                try:
                    store.delete_scenario(selected)  # refused by the store, with its own message
                except StoreError as exc:
                    st.error(md(str(exc)), icon=":material/error:")
            else:
                st.session_state[CONFIRM_DELETE] = selected
                st.rerun()

# ---------------------------------------------------------------------- what the selected scenario sets
try:
    scenario = store.load_scenario(selected).scenario
except StoreError as exc:
    st.error(md(str(exc)), icon=":material/error:")
    st.stop()
reference = state.reference()
portfolio = state.portfolio()

st.subheader(f"Réglages de « {md(selected)} »")
st.markdown(
    f"Par **{md(info.author or 'auteur inconnu')}**, modifié le {info.updated_at:%d/%m/%Y à %H:%M}"
    + (f", à partir de « {md(parent(info.parent))} »" if info.parent and info.parent != info.name else "")
    + "."
    + (f"  \n*{md(info.rationale)}*" if info.rationale else "")
)
settings_column, headcount_column = st.columns([3, 2])
with settings_column:
    table(pd.DataFrame(settings_summary(scenario), columns=["Réglage", "Valeur"]))
with headcount_column:
    headcount = pd.DataFrame(
        {"Direction": list(scenario.headcount), "Effectif": [fr.fte(v) for v in scenario.headcount.values()]}
    )
    if headcount.empty:
        st.caption("Aucun effectif fixé : la charge des directions n'est pas comparée à un effectif.")
    else:
        table(headcount)

st.markdown("**Enveloppes de crédits de paiement (M€ TTC par an)**")
envelopes = envelope_table(scenario)
if envelopes.empty:
    st.caption("Aucune enveloppe fixée : les dépenses ne sont comparées à aucun plafond.")
else:
    table(envelopes)
if selected == current.base_name:
    with st.expander("Modifier les enveloppes du scénario en cours", icon=":material/edit:"):
        st.caption(
            "Les changements s'appliquent au scénario en cours, sur toutes les pages (le tableau ci-dessus reste "
            "la version enregistrée) ; enregistrez-les ici ou depuis la page Arbitrage."
        )
        envelope_editor("scenarios_envelopes")
        save_form.save_working_popover("scenarios_save")
else:
    st.caption("Pour modifier ses enveloppes, ouvrez ce scénario : il devient le scénario en cours.")

st.subheader("Ce qu'il change par rapport à la référence")
if info.is_reference:
    st.caption("C'est le scénario de référence : les autres scénarios se comparent à lui.")
    against = reference.model_copy(update={"choices": {}})
    settings = []
else:
    against = reference
    settings = compare.settings_changes(scenario, reference)
    st.markdown("**Réglages généraux**")
    if settings:
        st.markdown("\n".join(f"- {md(line)}" for line in settings))
    else:
        st.caption("Mêmes réglages généraux que la référence.")
choices = compare.choice_differences(scenario, against, portfolio)
st.markdown(
    f"**Choix par opération{' propres à ce scénario' if info.is_reference else ' différents de la référence'} : "
    f"{len(choices)}**"
)
if choices.empty:
    st.caption("Aucun.")
else:
    table(
        pd.DataFrame(
            {
                "Opération": choices["operation_id"] + " – " + choices["title"],
                "Choix": choices["changes"],
            }
        ),
    )
