"""Synthèse: the headline figures of the scenario in use, against the reference."""

import streamlit as st

import charts
from simulation.labels import ACCOUNTS_KPIS, HEADLINE_KPIS, chart_owner, label_of
from ui import chart_cache, layout, state
from ui import risk as risk_ui
from ui.widgets import owner_picker

layout.header("Synthèse")
projector = state.projector()
portfolio = state.portfolio()
result = state.run(state.working())
reference = state.run(state.reference())

# At a desk, the headline KPIs less the count of overloaded months (Capacité shows it) leave room
# for the odds of the risk page: twelve cards in two rows of six, and the chart starts on screen.
DESK_KPIS = [k for k in HEADLINE_KPIS if k != "staff_overload_months"]
# On a projector the room must see the chart without scrolling: the eight that decide.
PROJECTOR_KPIS = [
    "spending_ttc",
    "anru_secured",
    "anru_lost",
    "net_cost",
    "n_on_time",
    "n_late",
    "calendar_years_over_envelope",
    "peak_staff_overload",
]
# At a desk, twelve in two rows of six: the chart starts within a 1280×720 screen.
# Two rows of cards, the odds of the risk page included: at a desk 6 + 6, on a projector 5 + 4.
layout.kpi_cards(
    result,
    reference,
    PROJECTOR_KPIS if projector else DESK_KPIS,
    columns=5 if projector else 6,
    extra=lambda: risk_ui.commitment_odds_card(state.working(), state.reference()),
)


def overdue_line() -> None:
    """Overdue meeting actions, counted here so that a steering committee sees them first."""
    overdue = state.store().overdue_count()
    if overdue:
        left, right = st.columns([3, 1], vertical_alignment="center")
        plural = "s" if overdue > 1 else ""
        left.markdown(
            f":orange[:material/schedule: **{overdue} action{plural} en retard**], décidée{plural} en réunion."
        )
        right.page_link("views/a_traiter.py", label="À traiter", icon=":material/inbox:")
    elif not projector:
        st.caption("Aucune action de réunion en retard.")


if projector:  # no heading, the chart first, its options under it: its top shows at 1280×720
    chart_slot, controls = st.container(), st.container()
else:
    st.subheader("Crédits de paiement par année, face à l'enveloppe")
    controls, chart_slot = st.container(), st.container()
left, right = controls.columns(2)
owner = owner_picker("synthese_owner", where=left)
group_by = right.segmented_control(
    "Empiler par",
    list(charts.GROUPINGS),
    format_func=label_of(charts.GROUPINGS),
    default="neighbourhood",
    key="synthese_group",
)
chosen_owner = chart_owner(owner)
with chart_slot:
    chart_cache.chart(
        "spending_vs_envelope",
        result,
        lambda: charts.spending_vs_envelope(
            result, portfolio, group_by or "neighbourhood", chosen_owner, projector, height=340 if projector else 360
        ),
        group_by=group_by,
        owner=chosen_owner,
    )
st.caption(
    f"Barres : crédits de paiement TTC actualisés ; tirets {charts.colour_word(charts.ENVELOPE_COLOUR)}s : enveloppe "
    f"du scénario ; en {charts.colour_word(charts.OVERRUN_COLOUR)} au-dessus d'une barre : dépassement de "
    "l'enveloppe ; « Autres » (gris) : les plus petits groupes réunis."
)

overdue_line()  # under the chart: its top shows at 1280×720 in both modes
# The accounts (issue 19), under the chart so that the chart keeps its place on screen.
st.subheader("Ce que disent les comptes : payé, reste à payer, AP à réviser")
layout.kpi_cards(result, None, list(ACCOUNTS_KPIS), columns=5)
note = st.markdown if projector else st.caption
note(
    "Payé : crédits de paiement mandatés des exercices clos (le réalisé importé) ; reste à payer : coût "
    "total TTC du plan moins ce qui est payé, réparti sur les mois du plan à partir du mois de référence ; "
    "« payé depuis janvier » est montré sans modifier le plan. Détail : Capacité › Exécution."
)

st.subheader("Statut des opérations par quartier")
chart_cache.chart(
    "status_by_neighbourhood", result, lambda: charts.status_by_neighbourhood(result, portfolio, projector)
)
