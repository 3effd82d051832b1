"""Generate the demonstration dataset of the NPNRU facilities simulator.

Writes, next to this file:
- ``quartiers.csv``: the 14 NPNRU neighbourhoods of Marseille (real names and status);
- ``operations.csv``: about a hundred illustrative public facilities (import-template format);
- ``scenario_reference.json``: the reference scenario, with budget envelopes and headcounts
  sized from the operations themselves.

Everything but the neighbourhood names and status is ILLUSTRATIVE (see README.md).

Deterministic: a fixed numpy seed, no network, stdlib + numpy + pandas only. Run from the
repository root::

    .venv/bin/python data/generate_demo.py

Running it twice writes identical bytes. It prints the checks the dataset is built to
satisfy (deadline misses, yearly needs against envelopes, staff peaks against headcount) and
stops with an error if one of the targets is not met.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root

from simulation import import_columns

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


def design_range(s: Spec) -> tuple[int, int]:
    if s.type == GS:
        return (18, 24) if s.nature in (CON, REC) else (12, 16)  # architect competition for new builds
    if s.type == GY:
        return (14, 20) if s.nature in (CON, REC) else (12, 16)
    if s.type == BI:
        return (18, 22) if s.nature in (CON, REC) else (12, 16)
    if s.type == SP:
        return (12, 14)
    if s.type == PA:
        return (12, 18)
    if s.type == AU:
        return (12, 12)
    return (12, 16)  # crèches, social centres, community houses


def tendering_range(s: Spec) -> tuple[int, int]:
    if s.type == GS and s.nature in (CON, REC):
        return (5, 8)
    if s.type in (GY, BI) and s.nature in (CON, REC):
        return (4, 7)
    return (4, 6)


def works_range(s: Spec) -> tuple[int, int]:
    if s.type == GS:
        return {CON: (24, 30), REC: (24, 30), REH: (24, 30), EXT: (20, 26)}[s.nature]
    if s.type == CR:
        return (15, 18)
    if s.type == GY:
        return (14, 20) if s.nature == REH else (18, 24)
    if s.type == SP:
        return (10, 14)
    if s.type == BI:
        return (18, 24) if s.nature in (CON, REC) else (14, 20)
    if s.type == PA:
        return (12, 18)
    if s.type == AU:
        return (10, 12)
    return (16, 24)


PROGRAMMING_RANGE = {INT: (3, 12), FAI: (3, 9), PRO: (4, 12), ETU: (3, 10), TRA: (0, 6), LIV: (0, 6)}

# Window of the start month by maturity (inclusive month indexes).
START_WINDOW = {
    LIV: (month_index(2019, 1), month_index(2023, 12)),
    TRA: (month_index(2019, 1), month_index(2023, 12)),
    ETU: (month_index(2022, 1), month_index(2024, 12)),
    PRO: (month_index(2023, 1), month_index(2025, 12)),
    FAI: (month_index(2025, 1), month_index(2025, 12)),
    INT: (month_index(2025, 1), month_index(2026, 6)),
}


def maturity_ok(maturity: str, start: int, p: int, d: int, t: int, w: int, waited_for: bool = False) -> bool:
    design_start = start + p
    works_start = design_start + d + t
    end = works_start + w - 1
    if maturity == LIV:
        return end <= REFERENCE - 1
    if maturity == TRA:
        # works under way at the reference month (well under way, unless another waits for it)
        return works_start <= REFERENCE - 1 and end >= REFERENCE + (1 if waited_for else min(14, w // 2))
    if maturity == ETU:  # design under way, works to start in 2025
        return design_start <= REFERENCE <= design_start + d - 1 and works_start <= REFERENCE + (8 if d >= 18 else 5)
    if maturity == PRO:
        return REFERENCE <= design_start <= REFERENCE + 3
    return True  # faisabilite / intention: the start window is enough


def fate_ok(fate: str, works_start: int, end: int) -> bool:
    if fate == "ok":
        return works_start <= COMMITMENT_DEADLINE
    if fate == "late":
        return works_start > COMMITMENT_DEADLINE and end <= COMPLETION_DEADLINE
    if fate == "very_late":
        return end > COMPLETION_DEADLINE and end <= HORIZON_END
    raise ValueError(fate)


def draw_calendar(rng: np.random.Generator, s: Spec, after: int | None) -> tuple[int, int, int, int, int]:
    """Start month and four durations, drawn uniformly among those meeting the spec's
    maturity and fate (and, for a dependent operation, a start after the completion of the
    operation it waits for, so that the engine has nothing to push in the reference)."""
    lo, hi = START_WINDOW[s.maturity]
    p_lo, p_hi = PROGRAMMING_RANGE[s.maturity]
    d_lo, d_hi = design_range(s)
    t_lo, t_hi = tendering_range(s)
    w_lo, w_hi = works_range(s)
    for _ in range(200_000):
        start = int(rng.integers(lo, hi + 1))
        p = int(rng.integers(p_lo, p_hi + 1))
        d = int(rng.integers(d_lo, d_hi + 1))
        t = int(rng.integers(t_lo, t_hi + 1))
        w = int(rng.integers(w_lo, w_hi + 1))
        works_start = start + p + d + t
        end = works_start + w - 1
        if not maturity_ok(s.maturity, start, p, d, t, w, waited_for=s.end_by is not None):
            continue
        if s.end_by is not None and end > month_index(*map(int, s.end_by.split("-"))):
            continue
        if not fate_ok(s.fate, works_start, end):
            continue
        if after is not None and start <= after:
            continue
        return start, p, d, t, w
    raise SystemExit(f"no calendar found for {s.code} {s.title!r} ({s.maturity}, {s.fate})")


def uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def draw_size_and_cost(rng: np.random.Generator, s: Spec) -> tuple[int, float]:
    """Floor area (m²) and cost HT in 2024 euros (works × soft costs)."""
    cap, add = s.cap or 0, s.add or 0
    soft = uniform(rng, 1.15, 1.20)  # fees, surveys, insurance, contingencies
    if s.type == GS:
        if s.nature in (CON, REC):
            area = cap * uniform(rng, 330, 390)
            unit = uniform(rng, 2200, 2500)
            if s.nature == REC:
                unit *= uniform(rng, 1.03, 1.06)  # demolition of the old building
        elif s.nature == REH:
            area = cap * uniform(rng, 270, 330)
            unit = uniform(rng, 1300, 1700)
        else:  # extension: added classes and a school restaurant
            area = add * uniform(rng, 310, 360) + uniform(rng, 300, 450)
            unit = uniform(rng, 2300, 2500)
    elif s.type == CR:
        area = cap * uniform(rng, 9.5, 11.5)
        per_place = uniform(rng, 24_000, 33_000) if s.nature != REH else uniform(rng, 11_000, 16_000)
        return round_to(area, 10), cap * per_place  # cost per place already includes soft costs
    elif s.type == GY:
        area = uniform(rng, 1400, 2200)
        unit = uniform(rng, 1100, 1600) if s.nature == REH else uniform(rng, 2000, 2400)
    elif s.type == SP:
        if s.size == "large":
            area = uniform(rng, 6000, 8000)
            unit = uniform(rng, 180, 300)
        else:
            area = uniform(rng, 800, 2000)
            unit = uniform(rng, 250, 400)
    elif s.type == CS:
        if s.nature in (CON, REC):
            area, unit = uniform(rng, 700, 1200), uniform(rng, 2100, 2500)
        elif s.nature == REH:
            area, unit = uniform(rng, 600, 1000), uniform(rng, 1100, 1600)
        else:
            area, unit = uniform(rng, 300, 500), uniform(rng, 2200, 2500)
    elif s.type == MQ:
        if s.nature == REH:
            area, unit = uniform(rng, 300, 600), uniform(rng, 1100, 1500)
        else:
            area, unit = uniform(rng, 350, 700), uniform(rng, 2000, 2400)
    elif s.type == BI:
        if s.nature in (CON, REC):
            area, unit = uniform(rng, 1000, 1800), uniform(rng, 2500, 2900)
        else:
            area, unit = uniform(rng, 800, 1200), uniform(rng, 1400, 1800)
    elif s.type == PA:
        area = uniform(rng, 15_000, 45_000)
        unit = uniform(rng, 70, 110) if s.nature != REH else uniform(rng, 45, 70)
    elif s.type == AU:
        if s.cap:  # modular temporary school
            area, unit = cap * uniform(rng, 140, 170), uniform(rng, 1000, 1300)
        elif s.size == "large":  # temporary sports hall (light structure)
            area, unit = uniform(rng, 900, 1200), uniform(rng, 900, 1200)
        else:  # temporary premises
            area, unit = uniform(rng, 350, 500), uniform(rng, 1000, 1300)
    else:
        raise ValueError(s.type)
    return round_to(area, 10), area * unit * soft


def round_to(value: float, step: int) -> int:
    return int(step * round(value / step))


def fr_int(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def programme_text(s: Spec, area: int) -> str:
    if s.programme:
        return s.programme.format(cap=s.cap, add=s.add)
    a = fr_int(area)
    if s.type == GS:
        return {
            CON: f"Construction d'un groupe scolaire de {s.cap} classes (maternelle et élémentaire) "
            f"avec restauration scolaire, environ {a} m² de surface de plancher",
            REC: f"Démolition de l'école existante et reconstruction d'un groupe scolaire de {s.cap} "
            f"classes avec restauration scolaire, environ {a} m²",
            REH: f"Réhabilitation lourde, rénovation énergétique et mise en accessibilité d'un "
            f"groupe scolaire de {s.cap} classes en site occupé, environ {a} m²",
            EXT: f"Extension de {s.add} classes et d'un restaurant scolaire portant le groupe "
            f"scolaire à {s.cap} classes, environ {a} m² créés",
        }[s.nature]
    if s.type == CR:
        if s.nature == REH:
            return f"Réhabilitation et mise aux normes d'une crèche de {s.cap} places, environ {a} m²"
        return f"Construction d'un établissement d'accueil du jeune enfant de {s.cap} places, environ {a} m²"
    if s.type == GY:
        return {
            CON: f"Construction d'un gymnase avec salle multisports et vestiaires, environ {a} m²",
            REC: f"Démolition et reconstruction d'un gymnase avec salle multisports et vestiaires, environ {a} m²",
            REH: f"Rénovation énergétique et mise en accessibilité du gymnase, environ {a} m²",
        }[s.nature]
    if s.type == SP:
        if s.size == "large":
            return f"Terrain de football en gazon synthétique avec éclairage et vestiaires, environ {a} m²"
        if s.nature == REH:
            return f"Réfection d'un plateau multisports en accès libre, environ {a} m²"
        return f"Aménagement d'un plateau multisports en accès libre, environ {a} m²"
    if s.type == CS:
        return {
            CON: f"Construction d'un centre social avec accueil, salles d'activités et bureaux, environ {a} m²",
            REC: f"Démolition et reconstruction du centre social avec accueil, salles d'activités "
            f"et bureaux, environ {a} m²",
            REH: f"Réhabilitation et mise en accessibilité du centre social, environ {a} m²",
            EXT: f"Extension du centre social (accueil et salles d'activités), environ {a} m² créés",
        }[s.nature]
    if s.type == MQ:
        if s.nature == REH:
            return f"Réhabilitation de la maison de quartier et de sa salle polyvalente, environ {a} m²"
        if s.owner == "Bailleur":
            return (
                f"Maison de quartier en rez-de-chaussée d'immeuble réalisée par le bailleur "
                f"avec salle polyvalente, environ {a} m²"
            )
        return f"Création d'une maison de quartier avec salle polyvalente, environ {a} m²"
    if s.type == BI:
        if s.nature == REH:
            return f"Réhabilitation et réaménagement de la bibliothèque, environ {a} m²"
        return f"Construction d'une médiathèque de proximité avec espace jeunesse et salle numérique, environ {a} m²"
    if s.type == PA:
        ha = f"{area / 10_000:.1f}".replace(".", ",")
        if s.nature == REH:
            return f"Requalification d'un espace vert existant (plantations, jeux, éclairage), environ {ha} ha"
        return f"Création d'un parc public avec aires de jeux, plantations et cheminements, environ {ha} ha"
    raise ValueError(s.type)


def price_year_for(rng: np.random.Generator, maturity: str) -> int:
    if maturity in (TRA, LIV):
        return int(rng.choice([2021, 2022, 2023]))
    if maturity == ETU:
        return 2023 if rng.random() < 0.35 else 2024
    return 2024


def priority_for(rng: np.random.Generator, s: Spec) -> int:
    if s.type in (GS, CR, AU):
        lo, hi = 1, 3
    elif s.type in (GY, SP, CS):
        lo, hi = 2, 4
    else:
        lo, hi = 2, 5
    return int(rng.integers(lo, hi + 1))


def draw_funding(rng: np.random.Generator, s: Spec, cost: int) -> dict[str, int]:
    lines: dict[str, float] = {}
    p_anru = {"Ville": 0.85, "SPEM": 1.0, "Metropole": 0.6, "Bailleur": 0.5, "Autre": 0.3}[s.owner]
    if s.type == GS and s.nature in (CON, REC):
        p_anru = 1.0
    if s.type == AU:
        p_anru = 0.5
    if rng.random() < p_anru:
        lines["anru"] = cost * uniform(rng, 0.10, 0.35)
    if s.type == CR:
        lines["caf"] = cost * uniform(rng, 0.30, 0.40)
    if rng.random() < 0.25:
        lines["etat"] = cost * uniform(rng, 0.05, 0.20)
    if rng.random() < 0.25:
        lines["region"] = cost * uniform(rng, 0.05, 0.20)
    if rng.random() < 0.20:
        lines["departement"] = cost * uniform(rng, 0.05, 0.20)
    if s.owner == "Ville" and rng.random() < 0.08:
        lines["metropole"] = cost * uniform(rng, 0.05, 0.15)
    if rng.random() < 0.04:
        lines["autres"] = cost * uniform(rng, 0.03, 0.10)
    total = sum(lines.values())
    if total > 0.80 * cost:  # keep the owner's share at 20 % at least
        keep = {k: v for k, v in lines.items() if k in ("anru", "caf")}
        room = 0.80 * cost - sum(keep.values())
        others = {k: v for k, v in lines.items() if k not in keep}
        scale = room / sum(others.values())
        lines = {**keep, **{k: v * scale for k, v in others.items()}}
    return {k: int(1000 * math.floor(v / 1000)) for k, v in lines.items()}


# --------------------------------------------------------------------------------------
# Build the operations
# --------------------------------------------------------------------------------------

# The import template's own columns (the generator writes that format, so it follows its one home).
COLUMNS = list(import_columns.COLUMNS)
FUNDERS = list(import_columns.FUNDER_COLUMNS)


def build_operations() -> pd.DataFrame:
    codes = [q[0] for q in QUARTIERS]
    counters: dict[str, int] = {}
    numbered = []
    for s in SPECS:
        counters[s.code] = counters.get(s.code, 0) + 1
        numbered.append((counters[s.code], s))
    ids = {f"{s.code}-{n:02d}" for n, s in numbered}
    for n, s in numbered:
        if s.dep is not None:
            target = f"{s.code}-{s.dep:02d}"
            if target not in ids or target == f"{s.code}-{n:02d}":
                raise SystemExit(f"{s.code}-{n:02d}: bad dependency {target}")
            if next(t for m, t in numbered if t.code == s.code and m == s.dep).dep is not None:
                raise SystemExit(f"{s.code}-{n:02d}: dependency chains are not supported here")
    rows = {}
    ends: dict[str, int] = {}
    # operations waited for are drawn first; output keeps the id order
    for n, s in sorted(numbered, key=lambda pair: pair[1].dep is not None):
        # one random stream per operation: editing one spec leaves the others' draws alone
        rng = np.random.default_rng([SEED, codes.index(s.code), n])
        op_id = f"{s.code}-{n:02d}"
        dep_id = f"{s.code}-{s.dep:02d}" if s.dep is not None else ""
        after = ends[dep_id] if dep_id else None
        start, p, d, t, w = draw_calendar(rng, s, after)
        ends[op_id] = start + p + d + t + w - 1
        area, cost_2024 = draw_size_and_cost(rng, s)
        price_year = price_year_for(rng, s.maturity)
        cost = round_to(cost_2024 * price_level(price_year), 10_000)
        funding = draw_funding(rng, s, cost)
        row = {
            "id": op_id,
            "quartier": s.code,
            "intitule": s.title.format(cap=s.cap, add=s.add),
            "type": s.type,
            "nature": s.nature,
            "maitre_ouvrage": s.owner,
            "direction": s.direction or DIRECTION_OF_TYPE[s.type],
            "maturite": s.maturity,
            "surface_m2": area,
            "capacite": s.cap if s.cap is not None else "",
            "cout_ht": cost,
            "annee_prix": price_year,
            "taux_tva": VAT_PERCENT,
            "debut": month_text(start),
            "duree_programmation": p,
            "duree_conception": d,
            "duree_consultation": t,
            "duree_travaux": w,
            "priorite": priority_for(rng, s),
            "depend_de": dep_id,
            **{f: funding.get(f, "") for f in FUNDERS},
            "programme": programme_text(s, area),
        }
        rows[op_id] = row
    ordered = [rows[f"{s.code}-{n:02d}"] for n, s in numbered]
    return pd.DataFrame(ordered, columns=COLUMNS)


# --------------------------------------------------------------------------------------
# Spending and staff profiles (the engine's default rules, re-implemented for sizing)
# --------------------------------------------------------------------------------------

FIRST_MONTH = month_index(2015, 1)
LAST_MONTH = month_index(2040, 12)
N_MONTHS = LAST_MONTH - FIRST_MONTH + 1
YEAR_OF_MONTH = (np.arange(FIRST_MONTH, LAST_MONTH + 1) // 12).astype(int)


def phase_months(row: pd.Series) -> list[tuple[int, int]]:
    """(first month index, duration) of the four phases."""
    y, m = (int(x) for x in row["debut"].split("-"))
    cursor = month_index(y, m)
    out = []
    for col in ("duree_programmation", "duree_conception", "duree_consultation", "duree_travaux"):
        n = int(row[col])
        out.append((cursor, n))
        cursor += n
    return out


def monthly_ttc(row: pd.Series) -> np.ndarray:
    phases = phase_months(row)
    shares = np.array([share if n > 0 else 0.0 for share, (_, n) in zip(PHASE_SHARES, phases, strict=False)])
    shares = shares / shares.sum()
    out = np.zeros(N_MONTHS)
    for share, (first, n) in zip(shares, phases, strict=False):
        if n > 0:
            out[first - FIRST_MONTH : first - FIRST_MONTH + n] += float(row["cout_ht"]) * share / n
    escalation = (1 + ESCALATION) ** (YEAR_OF_MONTH - int(row["annee_prix"]))
    return out * escalation * (1 + float(row["taux_tva"]) / 100)


def monthly_staff(row: pd.Series) -> np.ndarray:
    out = np.zeros(N_MONTHS)
    for load, (first, n) in zip(STAFF_LOAD, phase_months(row), strict=False):
        out[first - FIRST_MONTH : first - FIRST_MONTH + n] += load
    return out


def yearly_needs(ops: pd.DataFrame) -> dict[str, dict[int, float]]:
    """TTC spending per owner and calendar year."""
    needs: dict[str, dict[int, float]] = {}
    for owner in sorted(ops["maitre_ouvrage"].unique()):
        group = ops[ops["maitre_ouvrage"] == owner]
        monthly = np.zeros(N_MONTHS)
        for _, row in group.iterrows():
            monthly += monthly_ttc(row)
        years = np.unique(YEAR_OF_MONTH)
        totals = np.bincount(YEAR_OF_MONTH - years[0], weights=monthly)
        needs[str(owner)] = {int(y): float(v) for y, v in zip(years, totals, strict=True)}
    return needs


def staff_loads(ops: pd.DataFrame, owner: str = "Ville") -> pd.DataFrame:
    """Monthly FTE load per directorate (columns), Ville-owned operations, over the horizon."""
    window = slice(REFERENCE - FIRST_MONTH, HORIZON_END - FIRST_MONTH + 1)
    out = {}
    for direction in DIRECTIONS:
        group = ops[(ops["maitre_ouvrage"] == owner) & (ops["direction"] == direction)]
        monthly = np.zeros(N_MONTHS)
        for _, row in group.iterrows():
            monthly += monthly_staff(row)
        out[direction] = monthly[window]
    return pd.DataFrame(out, index=[month_text(m) for m in range(REFERENCE, HORIZON_END + 1)])


def size_envelope(needs: dict[int, float]) -> dict[int, int]:
    """A round (1 M€) flat or slightly rising envelope: 2 or 3 peak years 10–30 % over it,
    every other year under it, as close as possible to the average need."""
    values = np.array([needs.get(y, 0.0) for y in ENVELOPE_YEARS])
    mean = values.mean()
    best, best_score = np.zeros(len(values)), math.inf
    for slope in (0, 1, 2):
        for base in range(1, int(values.max() / 1e6) + 2):
            env = np.array([(base + slope * i) * 1e6 for i in range(len(values))])
            ratio = values / env
            over = ratio > 1.0
            score = 0.0
            n_over = int(over.sum())
            if n_over < 2:
                score += 10 * (2 - n_over)
            if n_over > 3:
                score += 10 * (n_over - 3)
            score += 20 * float(np.clip(1.10 - ratio[over], 0, None).sum())
            score += 20 * float(np.clip(ratio[over] - 1.30, 0, None).sum())
            score += abs(env.mean() - mean) / mean + 0.3 * slope
            if score < best_score:
                best, best_score = env, score
    return {y: int(v) for y, v in zip(ENVELOPE_YEARS, best, strict=False)}


def half_step(value: float, up: bool) -> float:
    return (math.ceil if up else math.floor)(value * 2) / 2


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def to_csv_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode("utf-8")


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"dataset target not met: {message}")


def main() -> None:
    ops = build_operations()

    # -- deadlines
    starts = ops["debut"].map(lambda s: month_index(int(s[:4]), int(s[5:])))
    works_start = starts + ops["duree_programmation"] + ops["duree_conception"] + ops["duree_consultation"]
    completion = works_start + ops["duree_travaux"] - 1
    miss_commit = works_start > COMMITMENT_DEADLINE
    miss_completion = completion > COMPLETION_DEADLINE
    anru = pd.to_numeric(ops["anru"], errors="coerce").fillna(0)
    funding_total = ops[FUNDERS].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)

    n = len(ops)
    print(f"operations: {n} in {ops['quartier'].nunique()} neighbourhoods")
    print(
        f"cost HT: {ops['cout_ht'].sum() / 1e6:.1f} M€   ANRU: {anru.sum() / 1e6:.1f} M€   "
        f"all funding: {funding_total.sum() / 1e6:.1f} M€"
    )
    print(
        f"missing commitment deadline (works start > 2026-12): {int(miss_commit.sum())} "
        f"({100 * miss_commit.mean():.0f} %), ANRU at risk {anru[miss_commit].sum() / 1e6:.1f} M€"
    )
    print(f"missing completion deadline (end > 2030-12): {int(miss_completion.sum())}")
    print("  " + ", ".join(ops.loc[miss_commit, "id"]))
    for col in ("type", "maitre_ouvrage", "maturite", "direction"):
        print(f"{col}: " + ", ".join(f"{k} {v}" for k, v in ops[col].value_counts().items()))

    # -- envelopes (TTC, per owner and year)
    needs = yearly_needs(ops)
    envelopes = {}
    print("\nyearly TTC need vs envelope (M€):")
    print("owner      " + " ".join(f"{y:>7}" for y in ENVELOPE_YEARS) + "   mean")
    for owner in ("Ville", "SPEM", "Metropole"):
        row = needs[owner]
        env = size_envelope(row)
        envelopes[owner] = env
        print(
            f"{owner:<10} "
            + " ".join(f"{row.get(y, 0) / 1e6:7.1f}" for y in ENVELOPE_YEARS)
            + f" {np.mean([row.get(y, 0) for y in ENVELOPE_YEARS]) / 1e6:6.1f}"
        )
        print(f"{'  envelope':<10} " + " ".join(f"{env[y] / 1e6:7.0f}" for y in ENVELOPE_YEARS))
        print(f"{'  ratio':<10} " + " ".join(f"{row.get(y, 0) / env[y]:7.2f}" for y in ENVELOPE_YEARS))
    for owner in sorted(set(needs) - {"Ville", "SPEM", "Metropole"}):
        row = needs[owner]
        print(f"{owner:<10} " + " ".join(f"{row.get(y, 0) / 1e6:7.1f}" for y in ENVELOPE_YEARS) + "   (no envelope)")
    outside = sum(v for years in needs.values() for y, v in years.items() if y > HORIZON_YEAR)
    print(f"spending after {HORIZON_YEAR}: {outside / 1e6:.2f} M€")

    # -- headcount (FTE per directorate, Ville-owned operations)
    loads = staff_loads(ops)
    headcount = {}
    print("\nstaff (Ville operations, FTE): peak month / peak load / headcount")
    for direction in DIRECTIONS:
        peak = float(loads[direction].max())
        if direction in ("Éducation", "Sports"):
            hc = round(peak * 0.9 * 2) / 2  # a bit under the peak: the overload shows
        else:
            hc = max(1.0, half_step(peak + 0.4, up=True))
        headcount[direction] = hc
        months_over = int((loads[direction] > hc + 1e-9).sum())
        print(f"  {direction:<17} {loads[direction].idxmax()}  {peak:5.1f}  {hc:5.1f}  ({months_over} months over)")

    # -- targets the dataset is built for
    check(95 <= n <= 105, f"{n} operations")
    check(0.15 <= miss_commit.mean() <= 0.25, f"{miss_commit.mean():.0%} missing commitment")
    check(2 <= miss_completion.sum() <= 6, f"{miss_completion.sum()} missing completion")
    check(450e6 <= ops["cout_ht"].sum() <= 650e6, f"total cost {ops['cout_ht'].sum():,}")
    check(60e6 <= anru.sum() <= 110e6, f"ANRU total {anru.sum():,}")
    check(bool((funding_total <= 0.80 * ops["cout_ht"]).all()), "funding over 80 % of cost")
    check(outside == 0, "spending beyond the horizon")
    for owner, env in envelopes.items():
        ratio = np.array([needs[owner].get(y, 0.0) / env[y] for y in ENVELOPE_YEARS])
        above = ratio > 1
        check(
            2 <= above.sum() <= 3 and bool(((ratio[above] >= 1.10) & (ratio[above] <= 1.30)).all()),
            f"envelope of {owner}: ratios {np.round(ratio, 2).tolist()}",
        )

    scenario = {
        "name": "Référence",
        "author": "Mission d'appui (démonstration)",
        "rationale": (
            "Scénario de référence du jeu de démonstration : toutes les opérations sont "
            "maintenues avec les coûts et calendriers déclarés par les directions, face à des "
            "enveloppes de crédits de paiement et des effectifs illustratifs."
        ),
        "reference_month": month_text(REFERENCE),
        "horizon_year": HORIZON_YEAR,
        "escalation_rate": ESCALATION,
        "commitment_deadline": month_text(COMMITMENT_DEADLINE),
        "completion_deadline": month_text(COMPLETION_DEADLINE),
        "commitment_milestone": "works_start",
        "phase_shares": dict(zip(("programming", "design", "tendering", "works"), PHASE_SHARES, strict=False)),
        "staff_load": dict(zip(("programming", "design", "tendering", "works"), STAFF_LOAD, strict=False)),
        "fctva_rate": 0.16404,
        "fctva_lag_years": 1,
        "capacity_owner": "Ville",
        "envelopes": {owner: {str(y): v for y, v in env.items()} for owner, env in envelopes.items()},
        "headcount": headcount,
        "choices": {},
    }

    quartiers = to_csv_bytes(["code", "nom", "statut", "projet"], [list(q) for q in QUARTIERS])
    operations = to_csv_bytes(COLUMNS, ops.astype(object).values.tolist())
    scenario_bytes = (json.dumps(scenario, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_if_changed(HERE / "quartiers.csv", quartiers)
    write_if_changed(HERE / "operations.csv", operations)
    write_if_changed(HERE / "scenario_reference.json", scenario_bytes)
    print(f"\nwrote {HERE / 'quartiers.csv'}, {HERE / 'operations.csv'}, {HERE / 'scenario_reference.json'}")


if __name__ == "__main__":
    main()
