"""Drawing the demonstration operations from the catalogue: calendars that meet each operation's
maturity and fate, sizes and costs in Marseille's orders of magnitude, programme texts, price
years, priorities and financing plans; ``build_operations`` assembles the import-format table.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root

from demo_catalogue import (
    AU,
    BI,
    COMMITMENT_DEADLINE,
    COMPLETION_DEADLINE,
    CON,
    CR,
    CS,
    DIRECTION_OF_TYPE,
    ETU,
    EXT,
    FAI,
    GS,
    GY,
    HORIZON_END,
    INT,
    LIV,
    MQ,
    PA,
    PRO,
    QUARTIERS,
    REC,
    REFERENCE,
    REH,
    SEED,
    SP,
    SPECS,
    TRA,
    VAT_PERCENT,
    Spec,
    month_index,
    month_text,
    price_level,
)

from simulation import import_columns


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
# The AP voted are not in operations.csv: data/generate_actuals.py writes them to ap_demo.csv.
COLUMNS = [c for c in import_columns.COLUMNS if c != "ap_votee"]
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
