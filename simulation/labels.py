"""French labels of the model's codes, for every user-facing text (pages, CLI, exports)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

STATUS = {"on_time": "Dans les délais", "late": "En retard", "dropped": "Abandonnée"}

FACILITY_TYPE = {
    "groupe_scolaire": "Groupe scolaire",
    "creche": "Crèche",
    "gymnase": "Gymnase",
    "equipement_sportif": "Équipement sportif",
    "centre_social": "Centre social",
    "bibliotheque": "Bibliothèque",
    "maison_de_quartier": "Maison de quartier",
    "parc": "Parc",
    "autre": "Autre",
}

NATURE = {
    "construction": "Construction neuve",
    "reconstruction": "Démolition-reconstruction",
    "rehabilitation": "Réhabilitation",
    "extension": "Extension",
}

OWNER = {"Ville": "Ville", "Metropole": "Métropole", "SPEM": "SPEM", "Bailleur": "Bailleur social", "Autre": "Autre"}

MATURITY = {
    "intention": "Intention",
    "faisabilite": "Faisabilité",
    "programme": "Programme validé",
    "etudes": "Études de conception",
    "travaux": "Travaux",
    "livre": "Livrée",
}

FUNDER = {
    "anru": "ANRU",
    "etat": "État",
    "region": "Région",
    "departement": "Département",
    "caf": "CAF",
    "metropole": "Métropole",
    "autres": "Autres",
}

PHASE = {"programming": "Programmation", "design": "Conception", "tendering": "Consultation", "works": "Travaux"}

MILESTONE = {"works_start": "début des travaux", "design_start": "début de la conception"}

KPI = {
    "n_operations": "Opérations",
    "n_kept": "Opérations retenues",
    "n_dropped": "Opérations abandonnées",
    "n_on_time": "Dans les délais",
    "n_late": "En retard",
    "n_commitment_missed": "Engagement hors délai",
    "n_completion_missed": "Achèvement hors délai",
    "n_pushed": "Repoussées par une dépendance",
    "cost_ht": "Coût HT (prix de base)",
    "spending_ttc": "Crédits de paiement TTC",
    "subsidies": "Subventions",
    "anru_planned": "ANRU prévue",
    "anru_secured": "ANRU sécurisée",
    "anru_lost": "ANRU perdue (hors délai)",
    "anru_forgone": "ANRU renoncée (abandons)",
    "fctva": "FCTVA",
    "net_cost": "Coût net des maîtres d'ouvrage",
    "years_over_envelope": "Années-maître d'ouvrage hors enveloppe",
    "calendar_years_over_envelope": "Années hors enveloppe",
    "total_overrun": "Dépassement cumulé des enveloppes",
    "peak_staff_load": "Charge maximale d'une direction",
    "peak_staff_overload": "Surcharge maximale",
    "staff_overload_months": "Mois-direction en surcharge",
    "paid_ttc": "Payé à ce jour (exercices clos)",
    "paid_this_year_ttc": "Payé depuis janvier",
    "remaining_ttc": "Reste à payer",
    "incurred_overrun_ttc": "Dépassement déjà constaté",
    "ap_voted": "AP votées",
    "ap_revision_needed": "Révisions d'AP nécessaires",
}

ACCOUNTS_KPIS = ("paid_ttc", "paid_this_year_ttc", "remaining_ttc", "incurred_overrun_ttc", "ap_revision_needed")
"""What the accounts say (issue 19): paid, still to pay, and the AP to revise."""

SHORT_KPI = {
    "spending_ttc": "CP TTC",
    "anru_secured": "ANRU sécurisée",
    "anru_lost": "ANRU perdue",
    "anru_forgone": "ANRU renoncée",
    "net_cost": "Coût net",
    "n_on_time": "Dans les délais",
    "n_late": "En retard",
    "n_dropped": "Abandonnées",
    "years_over_envelope": "Années-MO hors env.",
    "calendar_years_over_envelope": "Années hors env.",
    "total_overrun": "Dépassement cumulé",
    "peak_staff_overload": "Surcharge max.",
    "staff_overload_months": "Mois en surcharge",
}
"""A KPI card's label on a projector, on one line (the full ``KPI`` label is its tooltip)."""

KPI_DEFINITION = {
    "n_operations": "Nombre d'opérations du portefeuille, retenues ou non.",
    "n_kept": "Nombre d'opérations que le scénario garde.",
    "n_dropped": "Nombre d'opérations que le scénario abandonne (leur ANRU est renoncée).",
    "n_on_time": "Nombre d'opérations retenues qui tiennent, dans le plan du scénario, l'échéance d'engagement "
    "et celle d'achèvement : un décompte certain, sans tenir compte des aléas.",
    "n_late": "Nombre d'opérations retenues qui manquent, dans le plan du scénario, l'échéance d'engagement "
    "ou celle d'achèvement.",
    "n_commitment_missed": "Nombre d'opérations retenues engagées après l'échéance d'engagement.",
    "n_completion_missed": "Nombre d'opérations retenues achevées après l'échéance d'achèvement.",
    "n_pushed": "Nombre d'opérations repoussées parce qu'elles attendent une autre opération.",
    "cost_ht": "Coût hors taxes des opérations retenues, en euros de leur année de prix.",
    "spending_ttc": "Total des crédits de paiement TTC des opérations retenues, actualisés année par année.",
    "subsidies": "Total des subventions reçues, tous financeurs, au rythme des dépenses.",
    "anru_planned": "Subventions ANRU inscrites pour toutes les opérations, après les réductions de programme.",
    "anru_secured": "Subventions ANRU reçues par les opérations engagées avant l'échéance d'engagement.",
    "anru_lost": "Subventions ANRU des opérations retenues mais engagées après l'échéance : elles sont perdues.",
    "anru_forgone": "Subventions ANRU des opérations abandonnées, auxquelles le scénario renonce.",
    "fctva": "FCTVA remboursé aux maîtres d'ouvrage éligibles sur leurs dépenses TTC.",
    "net_cost": "Ce que paient les maîtres d'ouvrage : crédits de paiement TTC moins subventions et FCTVA.",
    "years_over_envelope": "Nombre de couples maître d'ouvrage-année où la dépense dépasse l'enveloppe "
    "(Ville 2027 et SPEM 2027 comptent pour deux).",
    "calendar_years_over_envelope": "Nombre d'années civiles où au moins un maître d'ouvrage dépense plus que "
    "son enveloppe.",
    "total_overrun": "Somme, sur tous les maîtres d'ouvrage et toutes les années, des dépenses au-dessus "
    "de l'enveloppe.",
    "peak_staff_load": "Charge mensuelle la plus forte d'une direction, en ETP, à partir du mois de référence.",
    "peak_staff_overload": "Plus fort dépassement mensuel de l'effectif d'une direction ou de l'équipe de "
    "coordination, en ETP, à partir du mois de référence.",
    "staff_overload_months": "Nombre de mois où une direction (ou l'équipe de coordination) dépasse son "
    "effectif, une direction et un mois comptant pour un.",
    "paid_ttc": "Crédits de paiement mandatés des exercices clos (le réalisé importé), toutes opérations.",
    "paid_this_year_ttc": "Crédits de paiement mandatés depuis janvier de l'année de référence : montrés, "
    "sans modifier le plan.",
    "remaining_ttc": "Coût total TTC du plan moins ce qui est payé (au moins zéro), réparti sur les mois du "
    "plan à partir du mois de référence.",
    "incurred_overrun_ttc": "Ce qui a été payé au-delà du coût total TTC du plan : un dépassement déjà constaté.",
    "ap_voted": "Total des autorisations de programme votées des opérations qui en portent une.",
    "ap_revision_needed": "Somme, par opération, du coût total TTC du plan moins l'AP votée, quand il la dépasse.",
}
"""Each KPI in one sentence: the hover text of its card and the note's glossary say the same."""

COMMITMENT_ODDS_LABEL = "Probabilité de tenir l'échéance d'engagement"
COMMITMENT_ODDS_DEFINITION = (
    "Chance moyenne, pour une opération retenue, d'être engagée à temps quand ses coûts et ses durées "
    "varient selon sa maturité : une probabilité, quand « Dans les délais » compte les opérations à l'heure "
    "dans le plan, sans aléa."
)

HEADLINE_KPIS = (
    "spending_ttc",
    "anru_secured",
    "anru_lost",
    "anru_forgone",
    "net_cost",
    "n_on_time",
    "n_late",
    "n_dropped",
    "calendar_years_over_envelope",
    "total_overrun",
    "peak_staff_overload",
    "staff_overload_months",
)
"""The twelve figures a workshop reads first (Synthèse, Comparer)."""

WORKSHOP_KPIS = (
    "spending_ttc",
    "anru_secured",
    "anru_lost",
    "net_cost",
    "n_late",
    "n_dropped",
    "total_overrun",
    "peak_staff_overload",
)
"""The eight cards above a page where levers move (Arbitrage, Phasage): one row on a projector."""

MONEY_KPIS = frozenset(
    {
        "cost_ht",
        "spending_ttc",
        "subsidies",
        "anru_planned",
        "anru_secured",
        "anru_lost",
        "anru_forgone",
        "fctva",
        "net_cost",
        "total_overrun",
        "paid_ttc",
        "paid_this_year_ttc",
        "remaining_ttc",
        "incurred_overrun_ttc",
        "ap_voted",
        "ap_revision_needed",
    }
)
FTE_KPIS = frozenset({"peak_staff_load", "peak_staff_overload"})
LOWER_IS_BETTER = frozenset(
    {
        "n_dropped",
        "n_late",
        "n_commitment_missed",
        "n_completion_missed",
        "n_pushed",
        "anru_lost",
        "anru_forgone",
        "net_cost",
        "years_over_envelope",
        "calendar_years_over_envelope",
        "total_overrun",
        "peak_staff_overload",
        "staff_overload_months",
        "spending_ttc",
        "cost_ht",
        "incurred_overrun_ttc",
        "ap_revision_needed",
    }
)

FIELD = {
    "id": "Identifiant",
    "title": "Intitulé",
    "neighbourhood": "Quartier",
    "facility_type": "Type d'équipement",
    "nature": "Nature",
    "owner": "Maître d'ouvrage",
    "directorate": "Direction pilote",
    "maturity": "Maturité",
    "priority": "Priorité",
    "depends_on": "Attend l'opération",
    "area_m2": "Surface (m²)",
    "capacity": "Capacité (classes ou places)",
    "programme": "Programme",
    "cost_ht": "Coût HT (€)",
    "price_year": "Année de prix",
    "vat_rate": "Taux de TVA (%)",
    "start": "Début (AAAA-MM)",
    "programming_months": "Programmation (mois)",
    "design_months": "Conception (mois)",
    "tendering_months": "Consultation (mois)",
    "works_months": "Travaux (mois)",
    "funding": "Financements",
    "ap_votee": "AP votée TTC (€)",
}
"""An operation's fields (``simulation.model.Operation``): the form's labels and the history's."""

PROGRAMME_FIELD = {
    "facility_type": "type",
    "nature": "nature",
    "area_m2": "surface",
    "capacity": "capacité",
    "programme": "programme",
}
"""Fields that make an operation's programme, as a drift sentence names them (lower case)."""

SHIFT_MONTHS = "Décalage (mois)"
"""A scenario's shift of one operation: the lever, the table column, the workbook column."""

COMMITMENT_ON_TIME = "P(engagement à temps)"
"""One operation's odds of being committed in time under uncertainty (Risques, CLI, workbook, chart)."""

DEMO_SOURCE = "jeu de démonstration (quartiers réels, opérations et montants illustratifs)"
DEMO_MARK = "Jeu de démonstration : opérations et montants illustratifs, pas des données officielles"

ALL_OWNERS = "Tous"
OWNER_FILTER = ("Ville", "SPEM", "Metropole", ALL_OWNERS)
"""The owner choices of the yearly spending charts (Synthèse, Arbitrage, Comparer, Phasage): the
three owners with envelopes, then all of them together (shown ``OWNER.get(code, code)``)."""


def chart_owner(choice: str | None) -> str | None:
    """The owner code a chart is drawn for; ``None`` for all owners (``Tous``, or nothing chosen)."""
    return None if choice in (None, ALL_OWNERS) else choice


def label_of(mapping: Mapping[str, str]) -> Callable[[Any], str]:
    """A widget's ``format_func`` over codes: the French label of ``mapping``, or the code itself."""
    return lambda code: mapping.get(code, str(code))
