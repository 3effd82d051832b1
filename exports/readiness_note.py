"""Word document per neighbourhood for the engagement committee: the operations ready to present
(programme, cost, calendar, financing), then what remains to define and which directorate owns it.

Receives data (a portfolio and a neighbourhood code); the readiness levels come from
``simulation.readiness``. The edition date is an input, so the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from datetime import date, datetime

from docx import Document

from exports import word
from exports.archive import normalised_zip
from exports.text import french_date, typography
from simulation import fr
from simulation.labels import DEMO_MARK, DEMO_SOURCE, FACILITY_TYPE, FUNDER, MATURITY, NATURE, OWNER, PHASE
from simulation.model import FUNDERS, PHASES, Operation, Portfolio
from simulation.months import format_month, parse_month
from simulation.readiness import ASPECT_LABELS, ASPECTS, operation_readiness

TITLE = "Préparation du comité d'engagement"


def readiness_docx(
    portfolio: Portfolio,
    neighbourhood: str,
    edition_date: date,
    source: str = DEMO_SOURCE,
    demo: bool = True,
) -> bytes:
    """The neighbourhood's readiness note as .docx bytes. ``ValueError`` (French) for an unknown code."""
    names = portfolio.neighbourhood_names
    if neighbourhood not in names:
        raise ValueError(f"quartier inconnu {neighbourhood!r}")
    name = names[neighbourhood]
    operations = [op for op in portfolio.operations if op.neighbourhood == neighbourhood]
    rows = [(op, operation_readiness(op)) for op in operations]
    ready = [op for op, r in rows if r.ready]
    pending = [(op, r) for op, r in rows if not r.ready]
    timestamp = datetime(edition_date.year, edition_date.month, edition_date.day, 12, 0, 0)

    document = Document()
    word.a4_portrait(document)
    word.style_fonts(document, (("Normal", 10), ("Title", 20), ("Heading 1", 14), ("Heading 2", 11.5)))
    word.core_properties(document, f"{TITLE} — {name}", timestamp)

    document.add_heading(typography(f"{TITLE} — {name}"), level=0)
    word.text(document, f"Équipements publics du NPNRU de Marseille. Édité le {french_date(edition_date)}.")
    if demo:
        word.demo_mark(document, DEMO_MARK)
    word.text(
        document,
        f"{len(ready)} opération(s) sur {len(operations)} ont un programme, un coût et un calendrier définis : "
        "elles peuvent être présentées au comité. Les autres sont listées ensuite avec ce qui leur manque.",
    )

    word.heading(document, "1. Opérations prêtes à présenter")
    if not ready:
        word.text(document, "Aucune opération de ce quartier n'est encore prête.")
    for op in ready:
        word.heading(document, f"{op.id} – {op.title}", level=2)
        word.table(document, ["Rubrique", "Contenu"], _sheet(op), [4.5, 12.5], size=8.5)

    word.heading(document, "2. Ce qui reste à définir")
    if not pending:
        word.text(document, "Rien : toutes les opérations du quartier sont prêtes.")
    else:
        table_rows = [
            [
                f"{op.id} – {op.title}",
                op.directorate,
                *[getattr(r, aspect) for aspect in ASPECTS],
                " ; ".join(r.missing),
            ]
            for op, r in pending
        ]
        word.table(
            document,
            ["Opération", "Direction", *[ASPECT_LABELS[a] for a in ASPECTS], "À définir"],
            table_rows,
            [3.8, 2.4, 1.7, 1.7, 1.7, 5.7],
            size=7.5,
        )
        word.heading(document, "Par direction", level=2)
        for directorate in sorted({op.directorate for op, _ in pending}):
            mine = [op.id for op, _ in pending if op.directorate == directorate]
            word.text(
                document,
                f"{directorate} : {len(mine)} opération(s) à compléter ({', '.join(mine)}).",
                style="List Bullet",
            )
    word.text(
        document,
        "Critères : programme défini = surface, capacité (groupes scolaires et crèches) et texte du programme ; "
        "coût défini = coût HT avec son année de prix, maturité au moins « programme validé », plan de financement ; "
        "calendrier défini = mois de début, durée de chaque phase à venir, dépendance indiquée "
        "(démolition-reconstruction).",
        italic=True,
    )
    word.text(document, f"Données : {source} — quartier {name} — édité le {french_date(edition_date)}", italic=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalised_zip(buffer.getvalue(), timestamp)


def _sheet(op: Operation) -> list[list[str]]:
    """Programme, cost, calendar and financing of one operation, as label/value rows."""
    start = parse_month(op.start)
    end = start + sum(op.durations[p] for p in PHASES) - 1
    durations = " ; ".join(f"{PHASE[p].lower()} {op.durations[p]} mois" for p in PHASES)
    funding = [f"{FUNDER[f.value]} {fr.euros(op.funding[f])}" for f in FUNDERS if f in op.funding]
    capacity = f", capacité {fr.number(op.capacity)}" if op.capacity else ""
    surface = f"{fr.number(op.area_m2)} m²" if op.area_m2 else "surface non indiquée"
    return [
        ["Équipement", f"{FACILITY_TYPE[op.facility_type.value]}, {NATURE[op.nature.value].lower()}"],
        ["Maître d'ouvrage", f"{OWNER[op.owner.value]} ; direction {op.directorate}"],
        ["Programme", f"{surface}{capacity}. {op.programme}".strip()],
        ["Coût", f"{fr.euros(op.cost_ht)} HT (prix {op.price_year}), TVA {fr.percent(op.vat_rate, 1)}"],
        ["Maturité", MATURITY[op.maturity.value]],
        ["Calendrier", f"{fr.month(op.start)} → {fr.month(format_month(end))} ({durations})"],
        ["Dépendance", op.depends_on or "aucune"],
        ["Financements", " ; ".join(funding) + f" ; total {fr.euros(op.total_funding)}"],
    ]
