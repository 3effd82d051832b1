"""Risques: how likely the plan is to hold when costs and durations are uncertain (issue 10)."""

import streamlit as st

import charts
from simulation import Owner, fr
from simulation.labels import COMMITMENT_ON_TIME
from simulation.risk import DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, where_to_act
from ui import chart_cache, layout, state, tables
from ui import risk as risk_ui
from ui.tables import read_only_table
from ui.widgets import owner_picker

_PROBLEMS = "risk_problems"
_DRAWS = "risk_draws"
_SEED = "risk_seed"

projector = state.projector()
# On a projector, words an elected official uses: « 1 chance sur 10 », no seed, no number of draws,
# no distribution's name (the desk keeps them, for the experts who set them).
layout.header(
    "Risques",
    "Les coûts et les durées de chaque opération peuvent déraper, d'autant plus qu'elle est peu avancée : "
    "voici les chances de tenir le plan, qui reste la référence."
    if projector
    else "Tirages de Monte-Carlo des coûts et des durées selon la maturité de chaque opération "
    "(lois triangulaires, corrélées). Le plan déterministe reste la référence : ces chiffres s'y ajoutent.",
)
scenario = state.working()
plan = state.run(scenario)

if projector:  # the values chosen at a desk, if any, without their inputs
    draws, seed = st.session_state.get(_DRAWS, DEFAULT_DRAWS), st.session_state.get(_SEED, DEFAULT_SEED)
else:
    left, middle, right = st.columns([1, 1, 2])
    draws = left.number_input(
        "Nombre de tirages", min_value=1, max_value=MAX_DRAWS, value=DEFAULT_DRAWS, step=100, key=_DRAWS
    )
    seed = middle.number_input("Graine", min_value=0, max_value=2**31 - 1, value=DEFAULT_SEED, step=1, key=_SEED)
risk = risk_ui.run_risk(scenario, int(draws), int(seed))
one_in_ten = "1 chance sur 10 d'atteindre ou dépasser" if projector else "9e décile :"

k = plan.kpis
cards = st.columns(4)
cards[0].metric(
    "Probabilité de tenir l'échéance d'engagement",
    fr.percent(risk.p_commitment_mean),
    help="Moyenne, sur les opérations retenues, de la probabilité que leur jalon d'engagement tienne l'échéance.",
    border=True,
)
cards[1].metric(
    "Toutes les opérations engagées à temps",
    fr.percent(risk.p_all_committed),
    help="Part des tirages où aucune opération retenue ne manque l'échéance d'engagement.",
    border=True,
)
cards[2].metric(
    "ANRU perdue attendue",
    fr.meuros(risk.anru_lost["mean"]),
    help=f"Moyenne des tirages ; {one_in_ten} {fr.meuros(risk.anru_lost['p90'])}. Plan : {fr.meuros(k['anru_lost'])}.",
    border=True,
)
cards[3].metric(
    "Opérations en retard attendues",
    fr.number(risk.late_operations["mean"], 1),
    help=f"Moyenne des tirages ; {one_in_ten} {fr.number(risk.late_operations['p90'], 0)}. Plan : {k['n_late']}.",
    border=True,
)
if projector:
    st.caption(
        f"1 chance sur 10 de perdre {fr.meuros(risk.anru_lost['p90'])} d'ANRU ou plus, et d'avoir "
        f"{fr.count(risk.late_operations['p90'], 'opération')} en retard ou plus. Plan sans aléa : "
        f"{fr.count(k['n_late'], 'opération')} en retard, {fr.meuros(k['anru_lost'])} d'ANRU perdue."
    )
else:
    st.caption(
        f"9e décile : {fr.meuros(risk.anru_lost['p90'])} d'ANRU perdue, {fr.number(risk.late_operations['p90'], 0)} "
        f"opération(s) en retard. Plan déterministe : {k['n_late']} opération(s) en retard, "
        f"{fr.meuros(k['anru_lost'])} d'ANRU perdue. {fr.number(risk.draws)} tirages, graine {risk.seed}."
    )

st.subheader("Crédits de paiement face à l'enveloppe : éventail des tirages")
owners = [o.value for o in Owner if o.value in set(risk.yearly["owner"])]
owner = owner_picker("risk_owner", options=owners, default=owners[0] if owners else None)
if owner:
    fan_owner: str = owner
    chart_cache.chart(
        "risk_fan",
        plan,
        lambda: charts.cp_fan(risk, fan_owner, projector, height=520 if projector else 380),
        owner=owner,
        draws=risk.draws,
        seed=risk.seed,
    )
    st.caption(charts.fan_caption(plain=projector))

st.subheader("Opérations dont l'engagement à temps est incertain")
p_commit = risk.operations["p_commitment_on_time"]
sure, lost = int((p_commit >= 1.0).sum()), int((p_commit <= 0.0).sum())
if ((p_commit > 0.0) & (p_commit < 1.0)).any():
    chart_cache.chart(
        "risk_odds",
        plan,
        lambda: charts.commitment_odds(risk, projector),
        draws=risk.draws,
        seed=risk.seed,
    )
    st.caption(
        f"Les 40 moins probables au plus. Dans tous les cas, {fr.count(sure, 'opération')} "
        f"{'tient' if sure < 2 else 'tiennent'} l'échéance d'engagement et {lost} la {'manque' if lost < 2 else 'manquent'}."
    )
else:
    st.info(
        f"Aucune opération n'est incertaine : dans tous les tirages, {sure} opération(s) tiennent l'échéance "
        f"d'engagement et {lost} la manquent."
    )

st.subheader("Où agir d'abord")
first = where_to_act(risk, limit=15)
if len(first):
    read_only_table(
        {
            "Opération": first["operation_id"].tolist(),
            "Intitulé": first["title"].tolist(),
            "ANRU perdue attendue": [fr.meuros(v) for v in first["anru_lost_mean"]],
            ("Part du dépassement (1 cas sur 10)" if projector else "Part du dépassement P90"): [
                fr.percent(v) for v in first["overrun_share"]
            ],
            ("Chance d'engager à temps" if projector else COMMITMENT_ON_TIME): [
                fr.percent(v) for v in first["p_commitment_on_time"]
            ],
            ("Coût TTC : plan ; 1 cas sur 10" if projector else "Coût TTC : plan ; P90"): [
                f"{fr.meuros(a)} ; {fr.meuros(b)}"
                for a, b in zip(first["cost_ttc_plan"], first["cost_ttc_p90"], strict=True)
            ],
        }
    )
    st.caption(
        "Classées par ANRU perdue attendue, puis par part du dépassement de coût dans le cas le plus cher sur dix."
        if projector
        else "Classées par ANRU perdue attendue, puis par part du dépassement de coût au 9e décile (moyenne, dans "
        "les 10 % de tirages les plus chers, de l'écart au plan de l'opération, rapportée à celui du portefeuille)."
    )
else:
    st.info("Aucune opération n'expose de subvention ANRU ni de dépassement de coût dans ces tirages.")

overload = risk.staff[risk.staff["p_overload"] > 0]
if len(overload):
    st.subheader("Directions au risque de surcharge")
    worst = (
        overload.sort_values(["p_overload", "month"], ascending=[False, True])
        .groupby("directorate", sort=False)
        .head(1)
    )
    read_only_table(
        {
            "Direction": worst["directorate"].tolist(),
            "Probabilité maximale de surcharge": [fr.percent(v) for v in worst["p_overload"]],
            "Mois": [fr.month(m) for m in worst["month"]],
            "Mois à risque": [int((overload["directorate"] == d).sum()) for d in worst["directorate"]],
        }
    )

st.subheader("Incertitudes par maturité")
st.caption(
    "Écart possible, en % du coût HT et de la durée des phases non commencées : le plus bas, le plus probable, le "
    "plus haut. Par défaut, les retours d'expérience publiés par le Trésor britannique. Modifiez-les : les chances "
    "sont recalculées aussitôt."
    if projector
    else "Lois triangulaires [bas, mode, haut] en % du coût HT et de la durée des phases non commencées. Valeurs par "
    "défaut : table du biais d'optimisme du Green Book (HM Treasury, Mott MacDonald 2002), de la borne haute au "
    "stade « intention » à la borne basse au stade « travaux » ; mode = bâtiments standard, haut = bâtiments non "
    "standard. Modifiez-les : les tirages sont relancés aussitôt."
)
gen = state.generation()
table_key = f"risk_uncertainty@{gen}"
table = risk_ui.uncertainty_table(scenario)


def _apply_table() -> None:
    edits = st.session_state[table_key].get("edited_rows", {})
    updated, problems = risk_ui.with_table_edits(state.working(), edits)
    if problems or updated is None:
        st.session_state[_PROBLEMS] = problems
    else:
        st.session_state.pop(_PROBLEMS, None)
        state.set_working(updated)


tables.grid(
    table,
    slot="risk_ranges_grid",
    height=tables.grid_height(len(table)),
    editable=True,
    key=table_key,
    on_change=_apply_table,
    disabled=[risk_ui.MATURITY_COLUMN],
    column_config={
        column: st.column_config.NumberColumn(column, min_value=-50.0, max_value=300.0, step=0.01, format="localized")
        for column in risk_ui.TABLE_COLUMNS
    },
)


def _apply_correlation() -> None:
    updated, problems = risk_ui.with_correlation(state.working(), float(st.session_state[f"risk_rho@{gen}"]))
    if problems or updated is None:
        st.session_state[_PROBLEMS] = problems
    else:
        st.session_state.pop(_PROBLEMS, None)
        state.set_working(updated)


RHO_STEPS = [round(0.05 * i, 2) for i in range(21)]
current_rho = float(scenario.uncertainty_correlation)
st.select_slider(
    "Corrélation entre opérations (ρ)",
    options=sorted({*RHO_STEPS, current_rho}),
    value=current_rho,
    format_func=lambda v: fr.number(v, 2),
    key=f"risk_rho@{gen}",
    on_change=_apply_correlation,
    help="0 : chaque opération dérape seule ; 1 : toutes dérapent ensemble (facteur commun des coûts, et des durées).",
)
for problem in st.session_state.get(_PROBLEMS, []):
    st.error(problem, icon=":material/block:")
