"""The optimiser of "Proposer un phasage", run in the background after the greedy plan is shown.

The page shows the greedy proposal at once (a few hundredths of a second); this job then
explains it (deadline analyses take CP-SAT calls) and runs the optimiser from it, while the page
polls ``status()`` to show a timer and offers a stop button (``stop_now``). The thread only
computes (pure ``simulation.fit`` calls) and never touches Streamlit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from simulation.fit import FitRun, Proposal, explain_proposal, optimised_proposal


@dataclass
class OptimiserJob:
    run: FitRun
    time_limit_s: float
    stop: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)
    text: str = "Explication du plan glouton"
    greedy_explained: threading.Event = field(default_factory=threading.Event)
    proposal: Proposal | None = None
    error: str | None = None
    finished_at: float | None = None
    thread: threading.Thread | None = None

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    def elapsed(self) -> float:
        return (self.finished_at or time.perf_counter()) - self.started

    def stop_now(self) -> None:
        self.stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job ends (tests, benchmarks); ``True`` if it has."""
        if self.thread is not None:
            self.thread.join(timeout)
        return self.done

    def _work(self) -> None:
        try:
            greedy = self.run.proposals.get("greedy")
            if greedy is not None and greedy.ok:
                explain_proposal(self.run.problem, greedy)
            self.greedy_explained.set()
            self.text = "Optimiseur : démarrage à partir du plan glouton"

            def say(_fraction: float, text: str) -> None:
                self.text = f"Optimiseur — {text}"

            assert self.run.hint is not None
            proposal = optimised_proposal(self.run.problem, self.run.hint, say, explain=False, stop=self.stop)
            self.text = "Explication des décalages et abandons du plan optimisé"
            self.proposal = explain_proposal(self.run.problem, proposal)
        except Exception as exc:  # the page says it in French; nothing reaches a person as a traceback
            self.error = f"L'optimiseur s'est interrompu sur une erreur inattendue ({type(exc).__name__})."
        finally:
            self.greedy_explained.set()
            self.finished_at = time.perf_counter()


def start(run: FitRun, time_limit_s: float) -> OptimiserJob:
    """Start explaining the greedy plan, then optimising from it, in a background thread."""
    job = OptimiserJob(run, time_limit_s)
    job.thread = threading.Thread(target=job._work, daemon=True, name="phasage-optimiser")
    job.thread.start()
    return job
