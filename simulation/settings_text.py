"""A scenario's global settings in French: one label and one way of writing each value.

The Scénarios page, the comparison of two scenarios, the committee note and the workbook all
say the settings from here, so a setting added to ``Scenario`` is labelled once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from simulation import fr
from simulation.labels import MILESTONE, OWNER, PHASE
from simulation.scenario import DEFAULT_UNCERTAINTY, PhaseValues, Scenario

SETTING: dict[str, str] = {
    "reference_month": "Mois de référence",
    "horizon_year": "Horizon",
    "escalation_rate": "Actualisation",
    "commitment_deadline": "Échéance d'engagement",
    "completion_deadline": "Échéance d'achèvement",
    "commitment_milestone": "Jalon d'engagement",
    "fctva_rate": "Taux de FCTVA",
    "fctva_lag_years": "Versement du FCTVA",
    "phase_shares": "Répartition du coût",
    "staff_load": "Charge par opération",
    "capacity_owner": "Capacité suivie pour",
    "fctva_eligible_owners": "Maîtres d'ouvrage éligibles au FCTVA",
    "coordination_load": "Coordination par opération",
    "recruitments": "Recrutements prévus",
    "recruitment_lead_months": "Délai de recrutement",
    "uncertainty": "Incertitudes des coûts et des durées par maturité",
    "uncertainty_correlation": "Corrélation des incertitudes",
}
"""French label of each global setting of ``Scenario``, in the order documents list them."""

CHOICES_LABEL = "Choix par opération"


def years_later(years: int) -> str:
    """When the FCTVA is paid: ``l'année même``, ``un an après``, ``2 ans après``."""
    return "l'année même" if years == 0 else ("un an après" if years == 1 else f"{years} ans après")


def _by_phase(values: PhaseValues, write: Callable[[float], str]) -> str:
    return " ; ".join(f"{PHASE[p].lower()} {write(getattr(values, p))}" for p in PHASE)


_TEXT: dict[str, Callable[[Scenario], str]] = {
    "reference_month": lambda s: fr.month(s.reference_month),
    "horizon_year": lambda s: str(s.horizon_year),
    "escalation_rate": lambda s: f"{fr.percent(s.escalation_rate)} par an",
    "commitment_deadline": lambda s: fr.month(s.commitment_deadline),
    "completion_deadline": lambda s: fr.month(s.completion_deadline),
    "commitment_milestone": lambda s: MILESTONE[s.commitment_milestone],
    "fctva_rate": lambda s: f"{fr.percent(s.fctva_rate, 3)} des dépenses TTC",
    "fctva_lag_years": lambda s: years_later(s.fctva_lag_years),
    "phase_shares": lambda s: _by_phase(s.phase_shares, lambda v: fr.percent(v, 0)),
    "staff_load": lambda s: _by_phase(s.staff_load, fr.load),
    "capacity_owner": lambda s: OWNER.get(s.capacity_owner.value, s.capacity_owner.value),
    "fctva_eligible_owners": lambda s: (
        ", ".join(OWNER.get(o.value, o.value) for o in s.fctva_eligible_owners) or "aucun"
    ),
    "coordination_load": lambda s: _by_phase(s.coordination_load, fr.load),
    "recruitments": lambda s: (
        " ; ".join(
            f"{r.direction} {fr.fte(r.fte)} {fr.of_month(r.start)}" + (f" à {fr.month(r.end)}" if r.end else "")
            for r in s.recruitments
        )
        or "aucun"
    ),
    "recruitment_lead_months": lambda s: f"{s.recruitment_lead_months} mois",
    "uncertainty": lambda s: (
        "Green Book (par défaut)" if s.uncertainty == DEFAULT_UNCERTAINTY else "propres au scénario"
    ),
    "uncertainty_correlation": lambda s: fr.number(s.uncertainty_correlation, 2),
}


def setting_text(scenario: Scenario, key: str) -> str:
    """The value of one global setting as a person reads it (``3,0 % par an``, ``décembre 2026``)."""
    return _TEXT[key](scenario)


def settings_summary(scenario: Scenario) -> list[tuple[str, str]]:
    """The scenario's global settings as (French label, French value) pairs, then its choice count."""
    rows = [(label, setting_text(scenario, key)) for key, label in SETTING.items()]
    return [*rows, (CHOICES_LABEL, fr.number(len(scenario.choices)))]


def changed_settings(scenario: Scenario, reference: Scenario, skip: Collection[str] = ()) -> list[str]:
    """Global settings that differ: ``Actualisation : 5,0 % par an (référence 3,0 % par an)``.

    ``skip`` leaves out settings the caller details otherwise (the recruitments, one by one)."""
    out = []
    for key, label in SETTING.items():
        if key not in skip and getattr(scenario, key) != getattr(reference, key):
            out.append(f"{label} : {setting_text(scenario, key)} (référence {setting_text(reference, key)})")
    return out
