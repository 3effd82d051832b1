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
    "years_over_envelope": "Années au-dessus de l'enveloppe",
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

HEADLINE_KPIS = (
    "spending_ttc",
    "anru_secured",
    "anru_lost",
    "anru_forgone",
    "net_cost",
    "n_on_time",
    "n_late",
    "n_dropped",
    "years_over_envelope",
    "total_overrun",
    "peak_staff_overload",
    "staff_overload_months",
)
"""The twelve figures a workshop reads first (Synthèse, Comparer)."""

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
        "total_overrun",
        "peak_staff_overload",
        "staff_overload_months",
        "spending_ttc",
        "cost_ht",
        "incurred_overrun_ttc",
        "ap_revision_needed",
    }
)

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
