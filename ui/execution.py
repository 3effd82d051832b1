"""The « Exécution » tab of Capacité: planned at the milestone against paid, the execution rate
of each closed year, and the coverage of the AP stock. Figures come from ``simulation.actuals``;
this module only lays them out the French way (names are user text: grids, never Markdown)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from simulation import fr
from simulation.actuals import ap_by_owner, total_execution
from simulation.labels import OWNER
from simulation.result import Result
from ui import state, tables


def _rates_frame(rates: pd.DataFrame, milestones: dict[int, str], name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: rates["name"].map(lambda o: OWNER.get(o, o)) if name == "Maître d'ouvrage" else rates["name"],
            "Année": rates["year"].astype(int).astype(str),
            "Jalon": rates["year"].map(lambda y: milestones.get(int(y), "—")),
            "Prévu au jalon": rates["planned_ttc"].map(fr.meuros),
            "Payé": rates["paid_ttc"].map(fr.meuros),
            "Taux d'exécution": rates["rate"].map(fr.percent),
        }
    )


def draw(result: Result) -> None:
    rates, milestones = state.execution(result.scenario)
    reference_year = int(result.scenario.reference_month[:4])
    st.subheader("Exécution des exercices clos, face au jalon pris avant chacun")
    if rates.empty:
        st.info(
            "Aucun exercice clos à mesurer : il faut le réalisé d'une année antérieure à "
            f"{reference_year} (Opérations › import du réalisé, ou « actuals import ») et un jalon "
            "figé avant le début de cette année (Stabilisation)."
        )
    else:
        totals = total_execution(rates)
        cards = st.columns(max(len(totals), 1))
        for column, record in zip(cards, totals.to_dict("records"), strict=False):
            year, rate = int(record["year"]), float(record["rate"])
            paid, planned = float(record["paid_ttc"]), float(record["planned_ttc"])
            column.metric(
                f"Taux d'exécution {year}",
                fr.percent(rate),
                help=f"Payé {fr.meuros(paid)} sur {fr.meuros(planned)} prévus au jalon « {milestones.get(year, '—')} »",
                border=True,
            )
        st.caption(
            "Taux = crédits de paiement mandatés dans l'année ÷ crédits que le jalon pris avant cette "
            "année prévoyait pour elle (réglages du scénario, sans ses choix). La Ville paie "
            "historiquement 65 à 75 % de ce qu'elle prévoit."
        )
        owners = _rates_frame(rates[rates["level"] == "owner"], milestones, "Maître d'ouvrage")
        tables.grid(owners, slot="execution_owner_grid", height=tables.grid_height(len(owners)))
        directorates = _rates_frame(rates[rates["level"] == "directorate"], milestones, "Direction")
        tables.grid(directorates, slot="execution_directorate_grid", height=tables.grid_height(len(directorates)))

    st.subheader("Autorisations de programme : stock à payer et couverture")
    ap = ap_by_owner(result)
    if ap.empty:
        st.info("Aucune opération ne porte d'AP votée (colonne « ap_votee » du fichier des opérations).")
        return
    frame = pd.DataFrame(
        {
            "Maître d'ouvrage": ap["owner"].map(lambda o: OWNER.get(o, o)),
            "AP votées": ap["ap_voted"].map(fr.meuros),
            "Déjà payé sur ces AP": ap["paid"].map(fr.meuros),
            "Stock d'AP à payer": ap["ap_remaining"].map(fr.meuros),
            f"Enveloppe {int(ap['next_year'].iloc[0])}": ap["next_envelope"].map(fr.meuros),
            "Couverture (années)": ap["coverage_years"].map(lambda v: fr.number(v, 1)),
            "Révisions d'AP nécessaires": ap["ap_revision_needed"].map(fr.meuros),
        }
    )
    tables.grid(frame, slot="execution_ap_grid", height=tables.grid_height(len(frame)))
    st.caption(
        "Couverture = stock d'AP restant à payer ÷ enveloppe de crédits de paiement de l'année "
        "suivant l'année de référence, en années. Révision = coût total TTC du plan − AP votée, si positif."
    )
