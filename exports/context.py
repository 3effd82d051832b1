"""What every export is made from: the portfolio, the scenario's result, the comparison and
the edition date (injectable, so the same inputs give the same bytes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from exports.text import french_date, quote
from simulation import Portfolio, Result, Scenario, simulate
from simulation.deadlines import late_mask
from simulation.dialogue import Decision
from simulation.drift import Drift
from simulation.labels import DEMO_SOURCE
from simulation.risk import DEFAULT_SEED, RiskResult, simulate_risk


@dataclass(frozen=True)
class ExportContext:
    """One scenario's figures, what they are compared with, and how to sign the documents.

    ``against`` is the comparison scenario's result (the reference by default); ``None``
    when there is nothing to compare with (``build`` also drops a comparison identical to the
    scenario). ``scenario_label`` overrides the scenario name
    shown (e.g. "Référence (modifié, non enregistré)").
    """

    portfolio: Portfolio
    result: Result
    against: Result | None = None
    edition_date: date = field(default_factory=date.today)
    source: str = DEMO_SOURCE
    demo: bool = True
    scenario_label: str | None = None
    risk: RiskResult | None = None  # the scenario's risk draws, when the documents include them
    drift: Drift | None = None
    """Drift of the portfolio since ``milestone`` (a drift sheet and a note paragraph), if asked."""
    milestone: str | None = None
    decisions: tuple[Decision, ...] | None = None
    """Meeting decisions since the last milestone (``decisions_since``; ``None``: no such section)."""
    decisions_since: str | None = None

    @classmethod
    def build(
        cls,
        portfolio: Portfolio,
        scenario: Scenario,
        against: Scenario | None = None,
        risk_draws: int | None = None,
        risk_seed: int = DEFAULT_SEED,
        **options: object,
    ) -> ExportContext:
        """Simulate the scenario (and the comparison) on the portfolio; ``risk_draws`` adds the risk draws."""
        result = simulate(portfolio, scenario)
        compared = None if against is None or against == scenario else simulate(portfolio, against)
        risk = None if risk_draws is None else simulate_risk(portfolio, scenario, risk_draws, risk_seed)
        return cls(portfolio=portfolio, result=result, against=compared, risk=risk, **options)  # type: ignore[arg-type]

    @property
    def scenario(self) -> Scenario:
        return self.result.scenario

    @property
    def name(self) -> str:
        return self.scenario_label or self.scenario.name

    @property
    def against_name(self) -> str | None:
        if self.against is None:
            return None
        name = self.against.scenario.name
        return f"{name} (comparaison)" if name == self.name else name

    @property
    def date_text(self) -> str:
        return french_date(self.edition_date)

    @property
    def timestamp(self) -> datetime:
        """Edition date at noon: what documents record as created/modified."""
        return datetime(self.edition_date.year, self.edition_date.month, self.edition_date.day, 12, 0, 0)

    def source_line(self) -> str:
        """« Données : … — scénario … — édité le … »."""
        return f"Données : {self.source} — scénario {quote(self.name)} — édité le {self.date_text}"

    def subtitle(self) -> str:
        compared = f" comparé à {quote(self.against_name)}" if self.against_name else ""
        return f"Scénario {quote(self.name)}{compared} — édité le {self.date_text}"

    def operations_at_risk(self) -> list[LateOperation]:
        """Kept operations past a deadline, most ANRU at stake first (figures from the engine)."""
        ops = self.result.operations
        late = ops[late_mask(ops)]
        late = late.sort_values(["anru_lost", "operation_id"], ascending=[False, True], kind="stable")
        names = self.portfolio.neighbourhood_names
        return [
            LateOperation(
                operation_id=str(row["operation_id"]),
                title=str(row["title"]),
                neighbourhood=names.get(str(row["neighbourhood"]), str(row["neighbourhood"])),
                commitment_missed=bool(row["commitment_missed"]),
                completion_missed=bool(row["completion_missed"]),
                commitment_month=str(row["commitment_month"]),
                completion=str(row["completion"]),
                anru_planned=float(row["anru_planned"]),
                anru_lost=float(row["anru_lost"]),
            )
            for row in late.to_dict(orient="records")
        ]


@dataclass(frozen=True)
class LateOperation:
    """A kept operation past a deadline, as the summary and the note list it."""

    operation_id: str
    title: str
    neighbourhood: str
    commitment_missed: bool
    completion_missed: bool
    commitment_month: str
    completion: str
    anru_planned: float
    anru_lost: float
