"""Co-funders' rules checked on an operation's financing plan: warnings, never refusals.

Each rule is one that public sources state; the warning says what to check, since local
agreements and derogations exist (the finance directorate and the funders have the last word).

- CAF: its investment aid goes to early-childhood facilities (établissements d'accueil du jeune
  enfant: crèches) and to social-life facilities (centres sociaux); elsewhere, check.
- Minimum contribution of the owner: a public owner finances at least 20 % of the public
  funding of its investment (CGCT, article L1111-10), with derogations, among others for
  urban-renewal operations funded by the ANRU.
- Métropole *fonds de concours*: paid by the Métropole to a member commune's project; a line on an
  operation the Métropole owns itself is unexpected.
"""

from __future__ import annotations

from simulation import fr
from simulation.model import FacilityType, Funder, Operation, Owner

CAF_TYPES = frozenset({FacilityType.CRECHE, FacilityType.SOCIAL_CENTRE})
MIN_OWNER_SHARE = 0.20
_PUBLIC_OWNERS = frozenset({Owner.VILLE, Owner.METROPOLE})


def funding_warnings(op: Operation) -> list[str]:
    """French warnings about the operation's financing plan (empty when nothing to check)."""
    out = []
    caf = op.funding.get(Funder.CAF, 0.0)
    if caf > 0 and op.facility_type not in CAF_TYPES:
        out.append(
            f"Financement CAF ({fr.euros(caf)}) sur un équipement qui n'est ni une crèche ni un centre social : "
            "la CAF finance l'investissement des établissements d'accueil du jeune enfant et des structures "
            "d'animation de la vie sociale ; à vérifier avec la CAF."
        )
    if op.owner in _PUBLIC_OWNERS and op.cost_ht > 0 and op.total_funding > (1 - MIN_OWNER_SHARE) * op.cost_ht + 0.5:
        share = op.total_funding / op.cost_ht
        out.append(
            f"Les financements couvrent {fr.percent(share, 0)} du coût HT : la participation minimale du maître "
            "d'ouvrage est en principe de 20 % (article L1111-10 du CGCT), sauf dérogation (notamment en "
            "rénovation urbaine) ; à confirmer avec la direction des finances."
        )
    if op.owner == Owner.METROPOLE and op.funding.get(Funder.METROPOLE, 0.0) > 0:
        out.append(
            "Ligne « Métropole » (fonds de concours) sur une opération dont la Métropole est maître d'ouvrage : "
            "un fonds de concours finance le projet d'une commune ; à vérifier."
        )
    return out
