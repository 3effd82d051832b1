"""Run the assistant: problem, greedy plan, optimised plan, each turned into a scenario that
``simulate`` evaluates, checked against the hard rules, and explained.

Every figure a page or the command line shows about a proposal comes from the ``Result`` of
``simulate`` on the proposed scenario, never from the solver's own bookkeeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from simulation import fr
from simulation.engine import simulate
from simulation.fit.conflicts import Conflict, find_conflict
from simulation.fit.explain import Change, explain_changes
from simulation.fit.greedy import greedy
from simulation.fit.optimal import StageReport, optimise
from simulation.fit.problem import COMMITTED, EXCLUDED, VARIABLE, FitProblem, Objective, Plan, build_problem, evaluate
from simulation.fit.problem import plan_to_scenario as _plan_to_scenario
from simulation.fit.settings import FitSettings
from simulation.fit.verify import check_proposal, committed_overruns, unchecked_overloads, verified_text
from simulation.labels import KPI
from simulation.model import Portfolio
from simulation.result import Result
from simulation.scenario import Scenario
from simulation.tolerances import MONEY_DELTA_NIL

ENGINES = ("greedy", "optimal")
ENGINE_LABEL = {"greedy": "Glouton (par priorité)", "optimal": "Optimiseur CP-SAT"}
_ENGINE_SUFFIX = {"greedy": "phasage glouton", "optimal": "phasage optimisé"}
STATUS_WORDING: dict[str, tuple[str, str]] = {  # a status at the desk, then in projector mode (plain words)
    "heuristic": ("heuristique (sans preuve d'optimalité)", "proposition rapide, sans garantie d'être la meilleure"),
    "optimal": ("optimal (prouvé)", "la meilleure possible"),
    "feasible": ("réalisable, optimalité non prouvée", "possible, peut-être pas la meilleure"),
    "infeasible": ("impossible", "impossible"),
    "undecided": ("indéterminé (temps écoulé)", "pas de réponse dans le temps donné"),
    "stopped": (
        "arrêté à la demande (meilleur plan trouvé jusque-là)",
        "arrêtée à la demande (la meilleure trouvée jusque-là)",
    ),
}
STATUS_LABEL = {status: desk for status, (desk, _plain) in STATUS_WORDING.items()}
SUMMARY_KPIS = (
    "anru_secured",
    "anru_lost",
    "anru_forgone",
    "n_on_time",
    "n_late",
    "n_dropped",
    "spending_ttc",
    "net_cost",
    "calendar_years_over_envelope",
    "years_over_envelope",
    "total_overrun",
    "peak_staff_overload",
    "staff_overload_months",
)

Progress = Callable[[float, str], None]


@dataclass
class Proposal:
    engine: str
    status: str  # heuristic | optimal | feasible | infeasible | undecided
    scenario: Scenario | None = None
    result: Result | None = None
    objective: Objective | None = None
    gap: float | None = None
    seconds: float = 0.0
    first_solution_s: float | None = None
    stages: list[StageReport] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    conflict: Conflict | None = None
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None

    @property
    def moved(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "moved"]

    @property
    def dropped(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "dropped"]

    def status_text(self, plain: bool = False) -> str:
        """The status in words; ``plain`` for a projector (an elected official's words, no gap)."""
        if plain:
            return STATUS_WORDING[self.status][1] if self.status in STATUS_WORDING else self.status
        text = STATUS_LABEL.get(self.status, self.status)
        if self.gap is not None and not math.isnan(self.gap) and self.engine == "optimal" and self.ok:
            text += f", écart {fr.percent(self.gap, 2)}"
        return text


@dataclass
class FitRun:
    problem: FitProblem
    before: Result  # the scenario as given
    proposals: dict[str, Proposal]
    hint: Plan | None = None  # the greedy plan, from which the optimiser starts

    def counts(self) -> dict[str, int]:
        role = self.problem.role
        return {
            "committed": int((role == COMMITTED).sum()),
            "variable": int((role == VARIABLE).sum()),
            "excluded": int((role == EXCLUDED).sum()),
        }


def propose(
    portfolio: Portfolio,
    scenario: Scenario,
    settings: FitSettings,
    engines: Iterable[str] = ENGINES,
    progress: Progress | None = None,
    explain: bool = True,
) -> FitRun:
    """Proposals of the requested engines (the greedy plan is always computed: it warm-starts
    the optimiser). Raises ``FitError`` / ``ScenarioError`` for settings that cannot apply."""
    engines = [e for e in ENGINES if e in set(engines)]
    say = progress or (lambda _f, _t: None)
    say(0.0, "Préparation : calendriers possibles et dépenses de chaque opération")
    problem = build_problem(portfolio, scenario, settings)
    before = simulate(portfolio, scenario)
    say(0.1, "Glouton : placement par ordre de priorité")
    started = time.perf_counter()
    outcome = greedy(problem)
    if outcome.failed:
        check = find_conflict(problem, time_limit=min(10.0, settings.time_limit_s))
        if check.conflict is not None or not check.decided:
            status = "infeasible" if check.conflict is not None else "undecided"
            refused = {e: Proposal(e, status, conflict=check.conflict) for e in engines}
            return FitRun(problem, before, refused)
        outcome = greedy(problem, pinned=check.placement)
    greedy_failed = bool(outcome.failed)  # only if the pinned placement could not be completed
    greedy_seconds = time.perf_counter() - started
    proposals: dict[str, Proposal] = {}
    if "greedy" in engines:
        proposal = Proposal("greedy", "undecided" if greedy_failed else "heuristic", seconds=greedy_seconds)
        proposals["greedy"] = proposal if greedy_failed else _complete(problem, proposal, outcome.plan, explain)
    if "optimal" in engines:
        say(0.2, "Optimiseur : démarrage à partir du plan glouton")

        def stage_progress(fraction: float, text: str) -> None:
            say(0.2 + 0.7 * fraction, f"Optimiseur — {text}")

        proposals["optimal"] = optimised_proposal(problem, outcome.plan, stage_progress, explain=explain)
    say(1.0, "Terminé")
    return FitRun(problem, before, proposals, hint=outcome.plan)


def optimised_proposal(
    problem: FitProblem,
    hint: Plan,
    progress: Progress | None = None,
    explain: bool = True,
    stop: threading.Event | None = None,
) -> Proposal:
    """The optimiser's proposal, warm-started from ``hint`` (the greedy plan); ``stop`` ends the
    search early with the best plan found so far (see ``optimise``)."""
    solved = optimise(problem, hint, progress, stop=stop)
    proposal = Proposal(
        "optimal",
        solved.status,
        gap=solved.gap,
        seconds=solved.seconds,
        first_solution_s=solved.first_solution_s,
        stages=solved.stages,
    )
    if solved.plan is None and solved.status == "infeasible":
        check = find_conflict(problem, time_limit=min(10.0, problem.settings.time_limit_s))
        proposal.conflict = check.conflict
    elif solved.plan is not None:
        proposal = _complete(problem, proposal, solved.plan, explain)
    # else: no plan within the time limit ("undecided"); the summary says so, nothing is proposed.
    return proposal


def explain_proposal(problem: FitProblem, proposal: Proposal) -> Proposal:
    """``proposal`` with its moves and drops explained (when it was made with ``explain=False``)."""
    if proposal.result is not None and not proposal.changes:
        proposal.changes = explain_changes(problem, proposal.result)
    return proposal


def _complete(problem: FitProblem, proposal: Proposal, plan: Plan, explain: bool) -> Proposal:
    proposal.objective = evaluate(problem, plan)
    moved = sum(1 for i in problem.tables if plan.keep[i] and plan.start[i] != problem.base_start[i])
    dropped = sum(1 for i in problem.tables if not plan.keep[i])
    rationale = (
        f"Proposition de l'assistant de phasage ({ENGINE_LABEL[proposal.engine].lower()}, "
        f"{proposal.status_text()}) à partir du scénario « {problem.scenario.name} » : "
        f"{moved} opération(s) décalée(s), {dropped} abandonnée(s). {problem.settings.describe()}."
    )
    name = f"{problem.scenario.name} — {_ENGINE_SUFFIX[proposal.engine]}"
    proposal.scenario = _plan_to_scenario(problem, plan, name, rationale)
    proposal.result = simulate(problem.portfolio, proposal.scenario)
    proposal.violations = check_proposal(problem, proposal.result)
    if explain:
        proposal.changes = explain_changes(problem, proposal.result)
    return proposal


def plan_to_scenario(problem: FitProblem, plan: Plan, name: str = "Proposition", rationale: str = "") -> Scenario:
    return _plan_to_scenario(problem, plan, name, rationale)


# ------------------------------------------------------------------------------ summary


def kpi_comparison(run: FitRun) -> pd.DataFrame:
    """Headline KPIs of the scenario as given and of each proposal, as French text."""
    columns = {"Indicateur": [KPI[key] for key in SUMMARY_KPIS]}
    columns["Scénario de départ"] = [fr.kpi_value(key, run.before.kpis[key]) for key in SUMMARY_KPIS]
    for engine, proposal in run.proposals.items():
        if proposal.result is None:
            columns[ENGINE_LABEL[engine]] = ["—"] * len(SUMMARY_KPIS)
        else:
            columns[ENGINE_LABEL[engine]] = [fr.kpi_value(key, proposal.result.kpis[key]) for key in SUMMARY_KPIS]
    return pd.DataFrame(columns)


def summary_lines(run: FitRun) -> list[str]:
    """The French summary the command line prints."""
    problem = run.problem
    counts = run.counts()
    lines = [
        f"Phasage proposé à partir du scénario « {problem.scenario.name} »",
        problem.settings.describe() + ".",
        f"Opérations : {problem.n}, dont {counts['committed']} engagées (démarrées avant "
        f"{fr.month(problem.locked.reference_month)}, ou figées et imposées), {counts['variable']} ajustables, "
        f"{counts['excluded']} exclues ou abandonnées dans le scénario.",
    ]
    overruns = committed_overruns(problem)
    if overruns:
        lines.append("Déjà au-dessus des limites du seul fait des opérations engagées : " + " ; ".join(overruns) + ".")
    for engine, proposal in run.proposals.items():
        lines += ["", f"== {ENGINE_LABEL[engine]} — statut : {proposal.status_text()} ({_seconds(proposal.seconds)})"]
        if not proposal.ok:
            if proposal.conflict is not None:
                lines.append("Aucun phasage ne respecte toutes les contraintes :")
                lines.append(f"  {proposal.conflict.text}.")
                lines.append(f"  {proposal.conflict.context}")
            else:
                lines.append("Aucun phasage trouvé dans le temps imparti.")
            continue
        for stage in proposal.stages:
            gap = "—" if math.isnan(stage.gap) else fr.percent(stage.gap, 2)
            lines.append(f"  étape « {stage.label} » : {STATUS_LABEL.get(stage.status, stage.status)}, écart {gap}")
        lines.append(f"  {'Indicateur':<38} {'Avant':>14} {'Après':>14}")
        result = proposal.result
        if result is None:  # a proposal with a scenario always has its simulation result
            raise RuntimeError(f"proposition « {engine} » sans résultat de simulation")
        for key in SUMMARY_KPIS:
            before, after = run.before.kpis[key], result.kpis[key]
            lines.append(f"  {KPI[key]:<38} {fr.kpi_value(key, before):>14} {fr.kpi_value(key, after):>14}")
        if problem.settings.envelope_mode == "carry_forward":
            lines.append(
                "  (crédits reportés : une année au-dessus de son enveloppe peut être couverte par les reports)"
            )
        lines += _change_lines("Opérations décalées", proposal.moved)
        lines += _change_lines("Opérations abandonnées", proposal.dropped)
        if proposal.violations:
            lines.append("ATTENTION — règles non tenues d'après le moteur :")
            lines += [f"  - {v}" for v in proposal.violations]
        else:
            lines.append(f"Vérifié par le moteur : {verified_text(problem, result)}.")
        for line in unchecked_overloads(problem, result):
            lines.append(f"  Hors des effectifs tenus — {line}.")
    return lines


def _change_lines(title: str, changes: list[Change]) -> list[str]:
    if not changes:
        return [f"{title} : aucune."]
    lines = [f"{title} ({len(changes)}) :"]
    for c in changes:
        if c.kind == "moved":
            when = f"{fr.month(c.requested_start)} → {fr.month(c.proposed_start)} (+{c.shift_months} mois)"
        else:
            when = f"prévue en {fr.month(c.requested_start)}"
        lost = f" ; ANRU perdue {fr.meuros(c.anru_lost)}" if c.anru_lost >= MONEY_DELTA_NIL else ""
        lines.append(f"  - {c.operation_id} « {c.title} » (priorité {c.priority}) : {when}{lost}")
        lines.append(f"      cause : {c.reason_text}")
        if c.deadline:
            lines.append(f"      échéance : {c.deadline}")
    return lines


def _seconds(value: float) -> str:
    return f"{fr.number(value * 1000)} ms" if value < 1 else f"{fr.number(value, 1)} s"
