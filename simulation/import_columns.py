"""The operations file format: its columns, in file order, which are optional, what each means.

Pure vocabulary shared by the reader (``formats.rows``), the writers (``formats.write``,
the blank template of ``exports``) and the operation form; no file is touched here.
"""

from __future__ import annotations

from simulation.model import FUNDERS, FacilityType, Maturity, Nature, Owner

FUNDER_COLUMNS: tuple[str, ...] = tuple(f.value for f in FUNDERS)

COLUMNS: tuple[str, ...] = (
    "id",
    "quartier",
    "intitule",
    "type",
    "nature",
    "maitre_ouvrage",
    "direction",
    "maturite",
    "surface_m2",
    "capacite",
    "cout_ht",
    "annee_prix",
    "taux_tva",
    "debut",
    "duree_programmation",
    "duree_conception",
    "duree_consultation",
    "duree_travaux",
    "priorite",
    "depend_de",
    *FUNDER_COLUMNS,
    "programme",
    "ap_votee",
)
"""Template columns, in file order."""

OPTIONAL_COLUMNS = frozenset(
    {"surface_m2", "capacite", "taux_tva", "priorite", "depend_de", "programme", "ap_votee", *FUNDER_COLUMNS}
)
"""Columns that may be absent from the file or empty in a row."""

FIELD_OF_COLUMN: dict[str, str] = {
    "id": "id",
    "quartier": "neighbourhood",
    "intitule": "title",
    "type": "facility_type",
    "nature": "nature",
    "maitre_ouvrage": "owner",
    "direction": "directorate",
    "maturite": "maturity",
    "surface_m2": "area_m2",
    "capacite": "capacity",
    "cout_ht": "cost_ht",
    "annee_prix": "price_year",
    "taux_tva": "vat_rate",
    "debut": "start",
    "duree_programmation": "programming_months",
    "duree_conception": "design_months",
    "duree_consultation": "tendering_months",
    "duree_travaux": "works_months",
    "priorite": "priority",
    "depend_de": "depends_on",
    "programme": "programme",
    "ap_votee": "ap_votee",
}
COLUMN_OF_FIELD: dict[str, str] = {field: column for column, field in FIELD_OF_COLUMN.items()}

COLUMN_HELP: dict[str, str] = {
    "id": "Identifiant stable de l'opération (ex. AIRB-01). Obligatoire, unique.",
    "quartier": "Code du quartier (ex. AIRB) ou son nom officiel exact.",
    "intitule": "Intitulé de l'opération.",
    "type": "Type d'équipement : " + ", ".join(t.value for t in FacilityType) + ".",
    "nature": "Nature : " + ", ".join(n.value for n in Nature) + ".",
    "maitre_ouvrage": "Maître d'ouvrage : " + ", ".join(o.value for o in Owner) + ".",
    "direction": "Direction de la Ville qui pilote l'opération (texte libre).",
    "maturite": "Maturité : " + ", ".join(m.value for m in Maturity) + ".",
    "surface_m2": "Surface de plancher en m² (facultatif).",
    "capacite": "Capacité : nombre de classes ou de places (facultatif).",
    "cout_ht": "Coût de l'opération hors taxes, en euros de l'année de prix.",
    "annee_prix": "Année des prix du coût (ex. 2024).",
    "taux_tva": "Taux de TVA en pourcentage (20 par défaut).",
    "debut": "Mois de démarrage de la programmation, AAAA-MM.",
    "duree_programmation": "Durée de la programmation, en mois (0 possible).",
    "duree_conception": "Durée de la conception (concours, études), en mois (0 possible).",
    "duree_consultation": "Durée de la consultation des entreprises, en mois (0 possible).",
    "duree_travaux": "Durée des travaux, en mois (au moins 1).",
    "priorite": "Priorité de 1 (la plus haute) à 5 (3 par défaut).",
    "depend_de": "Identifiant d'une opération à attendre (démolition, libération foncière), ou vide.",
    "anru": "Subvention ANRU, en euros.",
    "etat": "Subvention de l'État (DSIL…), en euros.",
    "region": "Subvention de la Région, en euros.",
    "departement": "Subvention du Département, en euros.",
    "caf": "Subvention de la CAF (crèches), en euros.",
    "metropole": "Fonds de concours de la Métropole, en euros.",
    "autres": "Autres financements, en euros.",
    "ap_votee": "Autorisation de programme votée par le conseil, TTC en euros (facultatif).",
    "programme": "Description libre du programme (facultatif).",
}

INTEGER_COLUMNS = frozenset(
    {
        "capacite",
        "annee_prix",
        "duree_programmation",
        "duree_conception",
        "duree_consultation",
        "duree_travaux",
        "priorite",
    }
)
NUMBER_COLUMNS = frozenset({"surface_m2", "cout_ht", "taux_tva", "ap_votee", *FUNDER_COLUMNS}) | INTEGER_COLUMNS


VERSION_COLUMN = "version"
"""Optional last column of an export: the version each operation had when it was exported.
An import that carries it is checked against what changed since (no silent overwrite); it is
not a field of the operation, and a file without it imports as before."""
