"""The operations catalogue and an operation's sheet, as display tables (French text cells).

Plain functions from the portfolio and a ``Result`` to small DataFrames: the Opérations page
draws them, tests check them. No Streamlit here, and nothing computed that the engine does not
already say: this only picks, labels and formats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from simulation import fr
from simulation.labels import FACILITY_TYPE, FUNDER, MATURITY, OWNER, PHASE, STATUS
from simulation.model import PHASES, Operation, Portfolio
from simulation.months import format_month, parse_month
from simulation.result import Result
from simulation.tolerances import EURO_NIL

DISPLAY_COLUMNS = [
    "Identifiant",
    "Intitulé",
    "Quartier",
    "Type",
    "Maître d'ouvrage",
    "Maturité",
    "Coût HT",
    "Début prévu",
    "Statut (scénario)",
    "Questions",
]

PROJECTOR_COLUMNS = [c for c in DISPLAY_COLUMNS if c not in ("Maturité", "Début prévu")]
"""On a projector the type is larger: the catalogue keeps what a workshop discusses."""

ColumnWidth = Literal["small", "medium", "large"] | int
"""A column width as ``st.column_config`` takes it: a size name or pixels."""

DESK_WIDTHS: dict[str, ColumnWidth] = {"Identifiant": "small", "Intitulé": "large", "Quartier": "medium"}
PROJECTOR_WIDTHS: dict[str, ColumnWidth] = {
    "Identifiant": 105,
    "Intitulé": 470,
    "Quartier": 220,
    "Type": 185,
    "Maître d'ouvrage": 150,
    "Coût HT": 105,
    "Statut (scénario)": 165,
    "Questions": 110,
}

SORTS = {
    "id": "Identifiant",
    "cost": "Coût HT décroissant",
    "start": "Début prévu",
    "neighbourhood": "Quartier",
}


@dataclass(frozen=True)
class Filters:
    """What the user asked the catalogue to show; empty means "no restriction"."""

    query: str = ""
    neighbourhoods: tuple[str, ...] = ()
    directorates: tuple[str, ...] = ()
    facility_types: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()


def catalogue_frame(
    portfolio: Portfolio, result: Result, open_questions: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """One row per operation: codes and numbers to filter and sort on, and the display columns.

    ``open_questions``: open questions per operation (the threads), shown as « Questions »."""
    status = dict(zip(result.operations["operation_id"], result.operations["status"], strict=True))
    names = portfolio.neighbourhood_names
    ops = portfolio.operations
    frame = pd.DataFrame(
        {
            "id": [op.id for op in ops],
            "title": [op.title for op in ops],
            "neighbourhood": [op.neighbourhood for op in ops],
            "directorate": [op.directorate for op in ops],
            "facility_type": [op.facility_type.value for op in ops],
            "owner": [op.owner.value for op in ops],
            "status": [status.get(op.id, "") for op in ops],
            "cost_ht": [op.cost_ht for op in ops],
            "start_index": [parse_month(op.start) for op in ops],
        }
    )
    frame["Identifiant"] = frame["id"]
    frame["Intitulé"] = frame["title"]
    frame["Quartier"] = frame["neighbourhood"].map(names)
    frame["Type"] = frame["facility_type"].map(FACILITY_TYPE)
    frame["Maître d'ouvrage"] = frame["owner"].map(OWNER)
    frame["Maturité"] = [MATURITY[op.maturity.value] for op in ops]
    frame["Coût HT"] = [fr.meuros(op.cost_ht) for op in ops]
    frame["Début prévu"] = [fr.month(op.start) for op in ops]
    frame["Statut (scénario)"] = frame["status"].map(STATUS).fillna("")
    counts = open_questions or {}
    frame["open_questions"] = [counts.get(op.id, 0) for op in ops]
    frame["Questions"] = [f"{n} ouverte(s)" if n else "" for n in frame["open_questions"]]
    return frame


def filter_catalogue(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows matching every filter; the search looks in identifiers and titles, ignoring case."""
    keep = pd.Series(True, index=frame.index)
    query = filters.query.strip().casefold()
    if query:
        keep &= frame["id"].str.casefold().str.contains(query, regex=False) | frame[
            "title"
        ].str.casefold().str.contains(query, regex=False)
    for column, wanted in (
        ("neighbourhood", filters.neighbourhoods),
        ("directorate", filters.directorates),
        ("facility_type", filters.facility_types),
        ("owner", filters.owners),
        ("status", filters.statuses),
    ):
        if wanted:
            keep &= frame[column].isin(wanted)
    return frame[keep]


def sort_catalogue(frame: pd.DataFrame, sort: str) -> pd.DataFrame:
    if sort == "cost":
        return frame.sort_values(["cost_ht", "id"], ascending=[False, True], kind="stable")
    if sort == "start":
        return frame.sort_values(["start_index", "id"], kind="stable")
    if sort == "neighbourhood":
        return frame.sort_values(["Quartier", "id"], kind="stable")
    return frame.sort_values("id", kind="stable")


# ---------------------------------------------------------------------------- the sheet


def result_row(result: Result, operation_id: str) -> pd.Series:
    ops = result.operations
    return ops[ops["operation_id"] == operation_id].iloc[0]


def cost_lines(op: Operation) -> list[tuple[str, str]]:
    """The cost as the directorates stated it: excl. VAT, price year, VAT, incl. VAT."""
    return [
        ("Coût HT", fr.euros(op.cost_ht)),
        ("Année de prix", str(op.price_year)),
        ("TVA", fr.percent(op.vat_rate)),
        ("Coût TTC (prix de l'année de prix)", fr.euros(op.cost_ht * (1 + op.vat_rate))),
    ]


def calendar_table(op: Operation, row: pd.Series) -> pd.DataFrame:
    """Per phase: planned duration, and duration, first and last month in the scenario."""
    starts = [row["start"], row["design_start"], row["tendering_start"], row["works_start"]]
    indices = [parse_month(s) for s in starts]
    ends = [*indices[1:], parse_month(row["completion"]) + 1]
    kept = bool(row["kept"])
    records = []
    for phase, first, after in zip(PHASES, indices, ends, strict=True):
        months = after - first
        records.append(
            {
                "Phase": PHASE[phase],
                "Durée prévue": f"{op.durations[phase]} mois",
                "Durée (scénario)": f"{months} mois" if kept else "—",
                "Début (scénario)": fr.month(format_month(first)) if kept and months > 0 else "—",
                "Fin (scénario)": fr.month(format_month(after - 1)) if kept and months > 0 else "—",
            }
        )
    return pd.DataFrame(records)


def financing_table(op: Operation) -> pd.DataFrame:
    """The financing plan: each funder's amount and share of the cost excl. VAT, then the total."""

    def share(amount: float) -> str:
        return fr.percent(amount / op.cost_ht) if op.cost_ht else "—"

    records = [
        {"Financeur": FUNDER[funder.value], "Montant": fr.euros(amount), "Part du coût HT": share(amount)}
        for funder, amount in op.funding.items()
        if amount
    ]
    records.append(
        {
            "Financeur": "Total des financements",
            "Montant": fr.euros(op.total_funding),
            "Part du coût HT": share(op.total_funding),
        }
    )
    return pd.DataFrame(records)


def yearly_table(result: Result, operation_id: str) -> pd.DataFrame:
    """Planned against paid, then payment credits incl. VAT, subsidies and FCTVA of one operation,
    by year (years with money). « Prévu » is the plan before the accounts; « Payé » the CP paid in
    a closed year (the actuals); the payment credits are the scenario's (paid, then what remains)."""
    years = result.operation_years
    mine = years[years["operation_id"] == operation_id]
    money = ["spending_ttc", "subsidies", "fctva", "planned_ttc", "paid_ttc"]
    mine = mine[(mine[money].abs() > EURO_NIL).any(axis=1)]
    return pd.DataFrame(
        {
            "Année": mine["year"].astype(int).astype(str).to_numpy(),
            "Prévu (plan)": [fr.euros(v) for v in mine["planned_ttc"]],
            "Payé (réalisé)": [fr.euros(v) if v else "—" for v in mine["paid_ttc"]],
            "Crédits de paiement TTC": [fr.euros(v) for v in mine["spending_ttc"]],
            "Subventions": [fr.euros(v) for v in mine["subsidies"]],
            "FCTVA": [fr.euros(v) for v in mine["fctva"]],
        }
    )
