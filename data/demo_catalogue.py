"""The demonstration dataset's catalogue: the calendar of the programme, the 14 neighbourhoods,
the directorates and the specification of each illustrative operation (what it is, its fate).

Read by ``demo_operations`` (which draws sizes, costs and calendars from it) and by
``generate_demo`` (which writes the files). Everything but the neighbourhood names and status is
ILLUSTRATIVE (see README.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root


SEED = 20210422  # the ANRU commitment committee of 22 April 2021
HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------
# Calendar rules (month index = year * 12 + month - 1, as the engine counts)
# --------------------------------------------------------------------------------------


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_text(index: int) -> str:
    year, month0 = divmod(int(index), 12)
    return f"{year:04d}-{month0 + 1:02d}"


REFERENCE = month_index(2025, 1)
COMMITMENT_DEADLINE = month_index(2026, 12)
COMPLETION_DEADLINE = month_index(2030, 12)
HORIZON_YEAR = 2032
HORIZON_END = month_index(HORIZON_YEAR, 12)
ENVELOPE_YEARS = list(range(2025, HORIZON_YEAR + 1))

PHASE_SHARES = (0.02, 0.10, 0.01, 0.87)  # programming, design, tendering, works
STAFF_LOAD = (0.2, 0.3, 0.3, 0.4)  # FTE per operation in progress, by phase
ESCALATION = 0.03
VAT_PERCENT = 20

# Construction cost index BT01, yearly change (public figures): used only to express a
# 2024 cost estimate in euros of an older price year.
BT01_CHANGE = {2021: 0.054, 2022: 0.059, 2023: 0.030, 2024: 0.008}


def price_level(year: int) -> float:
    """BT01 price level of ``year`` relative to 2024 (2024 = 1)."""
    level = 1.0
    for y in range(year + 1, 2025):
        level /= 1 + BT01_CHANGE[y]
    return level


# --------------------------------------------------------------------------------------
# Neighbourhoods (real names and PRIN/PRIR status; the project grouping is illustrative)
# --------------------------------------------------------------------------------------

# fmt: off
QUARTIERS = [
    ("CNSM", "Centre Nord / Saint-Mauront", "PRIN", "Grand Centre-Ville"),
    ("AIRB", "Air Bel", "PRIN", "Air Bel"),
    ("SPMO", "Saint-Paul / Malpassé / Oliviers / Lilas / Lauriers", "PRIN",
     "Grand Saint-Barthélemy / Grand Malpassé"),
    ("FVLR", "Frais Vallon / La Rose", "PRIN", "Frais Vallon-La Rose"),
    ("FSBF", "Flamants / Saint-Barthélemy / Font Vert", "PRIN",
     "Grand Saint-Barthélemy / Grand Malpassé"),
    ("SABC", "Saint-Antoine / La Bricarde / La Castellane", "PRIN", "Castellane-Bricarde"),
    ("SOLK", "La Solidarité / Parc Kallisté", "PRIN", "Kallisté-Solidarité"),
    ("SAVI", "La Savine", "PRIN", "La Savine"),
    ("CACR", "La Cabucelle / Les Crottes", "PRIN", "Grand Centre-Ville"),
    ("CORM", "Consolat / Ruisseau Mirabeau", "PRIR", "Consolat / Ruisseau Mirabeau"),
    ("CALE", "Campagne Lévêque", "PRIR", "Campagne Lévêque"),
    ("AYGA", "Résidence les Aygalades", "PRIR", "Résidence les Aygalades"),
    ("MAUR", "La Maurelette", "PRIR", "La Maurelette"),
    ("BAAR", "Bassens / Les Arnavaux", "PRIR", "Bassens / Les Arnavaux"),
]

# fmt: on

DIRECTION_OF_TYPE = {
    "groupe_scolaire": "Éducation",
    "creche": "Petite enfance",
    "gymnase": "Sports",
    "equipement_sportif": "Sports",
    "centre_social": "Action sociale",
    "maison_de_quartier": "Action sociale",
    "bibliotheque": "Culture",
    "parc": "Parcs et jardins",
}
DIRECTIONS = ["Éducation", "Petite enfance", "Sports", "Action sociale", "Culture", "Parcs et jardins"]

# --------------------------------------------------------------------------------------
# The operations, written by hand: what, where, who, how mature, and the calendar fate the
# arbitration needs ("ok": works start by the commitment deadline; "late": misses it but is
# completed by the completion deadline; "very_late": misses both). Sizes, costs, dates,
# durations and funding are drawn below.
# --------------------------------------------------------------------------------------


@dataclass
class Spec:
    code: str
    type: str
    nature: str
    title: str  # may contain {cap} and {add}
    owner: str
    maturity: str
    fate: str = "ok"
    cap: int | None = None  # classes (schools), places (crèches)
    add: int | None = None  # classes added by an extension
    dep: int | None = None  # number of the operation (same neighbourhood) it waits for
    direction: str | None = None
    programme: str | None = None  # overrides the generated sentence
    size: str | None = None  # "small" / "large" for outdoor sports and temporary premises
    end_by: str | None = None  # latest completion month (YYYY-MM) of an operation waited for
    extra: dict = field(default_factory=dict)


# fmt: off
GS, CR, GY, SP, CS, MQ, BI, PA, AU = (
    "groupe_scolaire", "creche", "gymnase", "equipement_sportif", "centre_social",
    "maison_de_quartier", "bibliotheque", "parc", "autre",
)
CON, REC, REH, EXT = "construction", "reconstruction", "rehabilitation", "extension"
INT, FAI, PRO, ETU, TRA, LIV = "intention", "faisabilite", "programme", "etudes", "travaux", "livre"

TEMP_SCHOOL = ("Installation d'une école provisoire en bâtiments modulaires de {cap} classes "
               "pour accueillir les élèves pendant la reconstruction du groupe scolaire")

SPECS: list[Spec] = [
    # --- Centre Nord / Saint-Mauront (Grand Centre-Ville) ---
    Spec("CNSM", AU, CON, "École provisoire Saint-Mauront (modulaires, {cap} classes)", "Ville", LIV,
         cap=10, end_by="2022-06", direction="Éducation", programme=TEMP_SCHOOL),
    Spec("CNSM", GS, REC, "Groupe scolaire Saint-Mauront – reconstruction ({cap} classes)", "Ville", TRA,
         cap=16, dep=1),
    Spec("CNSM", GS, CON, "Groupe scolaire Belle de Mai – construction ({cap} classes)", "SPEM", PRO, cap=20),
    Spec("CNSM", GS, REH, "Groupe scolaire National – réhabilitation", "Ville", FAI, fate="late", cap=12),
    Spec("CNSM", GS, EXT, "Groupe scolaire Félix Pyat – extension (+{add} classes)", "Ville", INT, cap=14, add=4),
    Spec("CNSM", GS, REC, "Groupe scolaire Cadenat – reconstruction ({cap} classes)", "SPEM", INT,
         fate="very_late", cap=18),
    Spec("CNSM", GS, REH, "Groupe scolaire Korsec – réhabilitation", "Ville", TRA, cap=10),
    Spec("CNSM", CR, CON, "Crèche Saint-Mauront ({cap} places)", "Ville", PRO, cap=60),
    Spec("CNSM", CR, REH, "Crèche de la Belle de Mai – réhabilitation ({cap} places)", "Ville", PRO, cap=45),
    Spec("CNSM", CR, CON, "Crèche Clovis Hugues ({cap} places)", "Ville", INT, cap=40),
    Spec("CNSM", GY, REH, "Gymnase de la Belle de Mai – réhabilitation", "Ville", ETU),
    Spec("CNSM", SP, REH, "Plateau sportif Saint-Lazare – réhabilitation", "Ville", PRO, size="small"),
    Spec("CNSM", CS, REC, "Centre social Saint-Mauront – reconstruction", "Ville", PRO),
    Spec("CNSM", BI, CON, "Médiathèque de la Belle de Mai – construction", "Ville", INT, fate="late"),
    Spec("CNSM", PA, CON, "Jardin de la Butte Saint-Mauront – création", "Metropole", ETU),
    # --- La Cabucelle / Les Crottes (Grand Centre-Ville) ---
    Spec("CACR", GS, CON, "Groupe scolaire des Crottes – construction ({cap} classes)", "SPEM", PRO, cap=18),
    Spec("CACR", GS, REH, "Groupe scolaire de la Cabucelle – réhabilitation", "Ville", ETU, cap=12),
    Spec("CACR", GS, EXT, "Groupe scolaire Capitaine Gèze – extension (+{add} classes)", "Ville", ETU, cap=12, add=4),
    Spec("CACR", CR, CON, "Crèche des Crottes ({cap} places)", "Ville", INT, cap=60),
    Spec("CACR", GY, CON, "Gymnase des Crottes – construction", "Ville", INT),
    Spec("CACR", SP, REH, "Terrain de football de la Cabucelle – gazon synthétique et vestiaires", "Ville", ETU,
         size="large"),
    Spec("CACR", PA, REH, "Square de la Cabucelle – requalification", "Metropole", FAI),
    # --- Saint-Antoine / La Bricarde / La Castellane ---
    Spec("SABC", AU, CON, "École provisoire de la Castellane (modulaires, {cap} classes)", "Ville", TRA,
         cap=12, end_by="2025-06", direction="Éducation", programme=TEMP_SCHOOL),
    Spec("SABC", GS, REC, "Groupe scolaire de la Castellane – reconstruction ({cap} classes)", "SPEM", FAI,
         fate="late", cap=20, dep=1),
    Spec("SABC", GS, REC, "Groupe scolaire de la Bricarde – reconstruction ({cap} classes)", "Ville", FAI,
         fate="late", cap=18),
    Spec("SABC", GS, REH, "Groupe scolaire Saint-Antoine – réhabilitation", "Ville", ETU, cap=12),
    Spec("SABC", GS, REH, "Groupe scolaire du Plan d'Aou – réhabilitation", "Ville", FAI, fate="late", cap=10),
    Spec("SABC", GS, EXT, "Groupe scolaire Bassin de Séon – extension (+{add} classes)", "Ville", PRO, cap=12, add=3),
    Spec("SABC", CR, CON, "Crèche de la Castellane ({cap} places)", "Ville", FAI, cap=60),
    Spec("SABC", CR, CON, "Crèche de la Bricarde ({cap} places)", "Ville", INT, cap=45),
    Spec("SABC", GY, REH, "Gymnase de la Castellane – réhabilitation", "Ville", PRO),
    Spec("SABC", GY, REC, "Gymnase de la Bricarde – reconstruction", "Ville", FAI),
    Spec("SABC", SP, CON, "City-stade de la Bricarde", "Ville", INT, size="small"),
    Spec("SABC", CS, REC, "Centre social de la Castellane – reconstruction", "Ville", PRO),
    Spec("SABC", MQ, CON, "Maison de quartier Saint-Antoine", "Bailleur", PRO),
    Spec("SABC", PA, CON, "Parc urbain du Plan d'Aou", "Metropole", ETU),
    # --- Saint-Paul / Malpassé / Oliviers / Lilas / Lauriers ---
    Spec("SPMO", GS, REC, "Groupe scolaire Malpassé – reconstruction ({cap} classes)", "SPEM", ETU, cap=16, dep=12),
    Spec("SPMO", GS, REH, "Groupe scolaire des Lilas – réhabilitation", "Ville", TRA, cap=10, end_by="2026-03"),
    Spec("SPMO", GS, EXT, "Groupe scolaire des Oliviers – extension (+{add} classes)", "Ville", FAI,
         fate="late", cap=14, add=4),
    Spec("SPMO", GS, REH, "Groupe scolaire Saint-Paul – réhabilitation", "Ville", PRO, fate="late", cap=12),
    Spec("SPMO", GS, REC, "Groupe scolaire des Lauriers – reconstruction ({cap} classes)", "Ville", INT,
         fate="very_late", cap=14),
    Spec("SPMO", CR, CON, "Crèche Malpassé ({cap} places)", "Ville", INT, cap=60),
    Spec("SPMO", CR, REH, "Crèche des Oliviers – réhabilitation ({cap} places)", "Ville", TRA, cap=40),
    Spec("SPMO", GY, CON, "Gymnase Malpassé – construction", "Ville", FAI, fate="late"),
    Spec("SPMO", SP, REH, "Stade Saint-Paul – gazon synthétique et vestiaires", "Metropole", ETU, size="large"),
    Spec("SPMO", CS, EXT, "Centre social Malpassé – extension", "Autre", FAI),
    Spec("SPMO", PA, REH, "Jardin public des Lilas – requalification", "Metropole", INT, fate="late", dep=2,
         programme="Requalification du jardin public des Lilas (plantations, jeux, éclairage) après "
                   "la fin du chantier du groupe scolaire voisin qui occupe une partie du jardin"),
    Spec("SPMO", AU, CON, "École provisoire Malpassé (modulaires, {cap} classes)", "Ville", LIV,
         cap=12, end_by="2022-06", direction="Éducation", programme=TEMP_SCHOOL),
    # --- Flamants / Saint-Barthélemy / Font Vert ---
    Spec("FSBF", GS, REC, "Groupe scolaire des Flamants – reconstruction ({cap} classes)", "SPEM", ETU, cap=14),
    Spec("FSBF", GS, REH, "Groupe scolaire Font Vert – réhabilitation", "Ville", PRO, cap=12),
    Spec("FSBF", GS, EXT, "Groupe scolaire Saint-Barthélemy – extension (+{add} classes)", "Ville", INT,
         fate="late", cap=12, add=3),
    Spec("FSBF", GS, REH, "Groupe scolaire Busserine – réhabilitation", "Ville", TRA, cap=10, end_by="2025-10"),
    Spec("FSBF", CR, CON, "Crèche Font Vert ({cap} places)", "Ville", FAI, cap=45),
    Spec("FSBF", GY, REH, "Gymnase Saint-Barthélemy – réhabilitation", "Ville", ETU),
    Spec("FSBF", BI, REH, "Bibliothèque du Merlan – réhabilitation", "Ville", ETU),
    Spec("FSBF", CS, REC, "Centre social Picon-Busserine – reconstruction", "Ville", FAI, fate="late", dep=4,
         programme="Reconstruction du centre social sur l'emprise des classes provisoires libérée à "
                   "la fin des travaux du groupe scolaire Busserine"),
    Spec("FSBF", PA, CON, "Parc urbain des Flamants", "Metropole", INT, fate="late"),
    # --- Air Bel ---
    Spec("AIRB", AU, CON, "École provisoire Air Bel (modulaires, {cap} classes)", "Ville", LIV,
         cap=10, end_by="2022-09", direction="Éducation", programme=TEMP_SCHOOL),
    Spec("AIRB", GS, REC, "Groupe scolaire Air Bel – reconstruction ({cap} classes)", "Ville", TRA, cap=16, dep=1),
    Spec("AIRB", GS, REH, "Groupe scolaire de la Pomme – réhabilitation", "Ville", ETU, cap=12),
    Spec("AIRB", GS, EXT, "Groupe scolaire Saint-Marcel – extension (+{add} classes)", "Ville", FAI,
         fate="late", cap=12, add=4),
    Spec("AIRB", CR, CON, "Crèche Air Bel ({cap} places)", "Ville", FAI, cap=60),
    Spec("AIRB", CR, REH, "Crèche de la Valbarelle – réhabilitation ({cap} places)", "Ville", TRA, cap=40),
    Spec("AIRB", GY, CON, "Gymnase Air Bel – construction", "Ville", INT, fate="late"),
    Spec("AIRB", SP, CON, "Plateau sportif d'Air Bel", "Ville", PRO, size="small"),
    Spec("AIRB", MQ, CON, "Maison de quartier Air Bel", "Bailleur", ETU),
    Spec("AIRB", PA, CON, "Parc d'Air Bel", "Metropole", FAI, fate="late"),
    # --- La Solidarité / Parc Kallisté ---
    Spec("SOLK", GS, REC, "Groupe scolaire de la Solidarité – reconstruction ({cap} classes)", "SPEM", FAI,
         fate="late", cap=16),
    Spec("SOLK", GS, REH, "Groupe scolaire Kallisté – réhabilitation", "Ville", ETU, cap=10),
    Spec("SOLK", GS, EXT, "Groupe scolaire Notre-Dame-Limite – extension (+{add} classes)", "Ville", PRO,
         cap=12, add=3),
    Spec("SOLK", AU, CON, "Centre social de la Solidarité – locaux provisoires", "Ville", TRA,
         direction="Action sociale", end_by="2025-03",
         programme="Aménagement de locaux provisoires pour le centre social pendant sa reconstruction"),
    Spec("SOLK", CS, REC, "Centre social de la Solidarité – reconstruction", "Ville", FAI, dep=4),
    Spec("SOLK", CR, CON, "Crèche Kallisté ({cap} places)", "Ville", FAI, cap=45),
    Spec("SOLK", GY, REC, "Gymnase de la Granière – reconstruction", "Ville", ETU),
    Spec("SOLK", BI, CON, "Médiathèque Kallisté-Solidarité – construction", "Ville", INT, fate="very_late"),
    # --- La Savine ---
    Spec("SAVI", GS, REC, "Groupe scolaire de la Savine – reconstruction ({cap} classes)", "Ville", TRA, cap=12,
         end_by="2026-03"),
    Spec("SAVI", SP, REC, "Terrain de sport de la Savine – reconstruction", "Ville", INT, fate="late", dep=1,
         size="large",
         programme="Reconstitution du terrain de sport sur l'emprise de l'ancienne école après "
                   "la livraison du nouveau groupe scolaire de la Savine"),
    Spec("SAVI", CR, CON, "Crèche de la Savine ({cap} places)", "Ville", FAI, cap=30),
    Spec("SAVI", CS, REH, "Centre social de la Savine – réhabilitation", "Ville", TRA),
    Spec("SAVI", MQ, CON, "Maison de quartier du Vallon des Tuves", "Ville", FAI),
    Spec("SAVI", PA, CON, "Parc de la Savine", "Ville", PRO),
    # --- Frais Vallon / La Rose ---
    Spec("FVLR", GS, CON, "Groupe scolaire de La Rose – construction ({cap} classes)", "SPEM", INT,
         fate="very_late", cap=16),
    Spec("FVLR", GS, REH, "Groupe scolaire Frais Vallon – réhabilitation", "Ville", ETU, cap=14),
    Spec("FVLR", CR, CON, "Crèche Frais Vallon ({cap} places)", "Ville", PRO, cap=60),
    Spec("FVLR", GY, REC, "Gymnase de Frais Vallon – reconstruction", "Ville", FAI, dep=7),
    Spec("FVLR", BI, CON, "Médiathèque de La Rose – construction", "Ville", INT, fate="late"),
    Spec("FVLR", PA, CON, "Parc urbain de Frais Vallon", "Metropole", INT),
    Spec("FVLR", AU, CON, "Salle de sport provisoire de Frais Vallon", "Ville", TRA, direction="Sports",
         size="large", end_by="2025-02",
         programme="Installation d'une salle de sport provisoire en structure légère pendant la "
                   "reconstruction du gymnase de Frais Vallon"),
    # --- PRIR ---
    Spec("CORM", GS, REH, "Groupe scolaire Consolat – réhabilitation", "Ville", ETU, cap=12),
    Spec("CORM", CR, CON, "Crèche Ruisseau Mirabeau ({cap} places)", "Ville", PRO, cap=40),
    Spec("CORM", MQ, REH, "Maison de quartier Consolat – réhabilitation", "Ville", LIV),
    Spec("CORM", SP, CON, "City-stade Ruisseau Mirabeau", "Metropole", FAI, size="small"),
    Spec("CALE", GS, EXT, "Groupe scolaire Campagne Lévêque – extension (+{add} classes)", "Ville", PRO,
         cap=10, add=3),
    Spec("CALE", CS, REH, "Centre social Campagne Lévêque – réhabilitation", "Autre", FAI),
    Spec("CALE", SP, CON, "Plateau sportif Campagne Lévêque", "Ville", FAI, size="small"),
    Spec("AYGA", GS, REH, "Groupe scolaire des Aygalades – réhabilitation", "Ville", ETU, cap=10),
    Spec("AYGA", MQ, CON, "Maison de quartier des Aygalades", "Bailleur", PRO),
    Spec("MAUR", GS, REH, "Groupe scolaire de la Maurelette – réhabilitation", "Ville", TRA, cap=8,
         end_by="2026-03"),
    Spec("MAUR", CR, REH, "Crèche de la Maurelette ({cap} places)", "Ville", INT, fate="late", cap=30, dep=1,
         programme="Aménagement d'une crèche de 30 places dans l'aile de l'école libérée par le "
                   "regroupement des classes à la fin de la réhabilitation du groupe scolaire"),
    Spec("MAUR", GY, REH, "Gymnase de la Maurelette – réhabilitation", "Ville", ETU),
    Spec("BAAR", GS, EXT, "Groupe scolaire Bassens – extension (+{add} classes)", "Ville", PRO, cap=12, add=4),
    Spec("BAAR", CS, CON, "Centre social de Bassens – construction", "Ville", INT),
    Spec("BAAR", SP, REH, "Terrain de sport des Arnavaux – gazon synthétique et vestiaires", "Metropole", ETU,
         size="large"),
]

# fmt: on

# --------------------------------------------------------------------------------------
# Drawing rules
# --------------------------------------------------------------------------------------
