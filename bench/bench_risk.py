"""Risk draws speed and memory (issue 10), each figure against a floor measured in the same run.

Run: ``.venv/bin/python bench/bench_risk.py`` (or ``./dev bench``). Prints what it measured.
Targets: 1 000 draws on the demo <= 1 s and <= 0,2x the time of 1 000 sequential ``simulate``
calls; 3 000 operations x 1 000 draws in chunks, peak memory under 2 GB (peak resident size, VmHWM, of
a child process, against the same child's size after loading the portfolio and running one
``simulate``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds

from formats.files import load_neighbourhoods, load_portfolio, load_scenario_file
from simulation import simulate
from simulation.fr import number
from simulation.risk import commitment_odds, simulate_risk
from store.paths import DEMO_OPERATIONS_CSV, DEMO_SCENARIO_JSON

ROOT = Path(__file__).resolve().parent.parent
GIB = 1024**3


def _peak_resident_bytes() -> int:
    """This process's peak resident size (VmHWM; ``ru_maxrss`` would carry the parent's over fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("VmHWM introuvable dans /proc/self/status")


def _big_run() -> None:
    """In a child process: peak RSS before and after 3 000 operations x 1 000 draws (JSON on stdout)."""
    from simulation.synthetic import synthetic_portfolio

    neighbourhoods = load_neighbourhoods()
    big = synthetic_portfolio(neighbourhoods, 3000, years=15)
    scenario = load_scenario_file(DEMO_SCENARIO_JSON).model_copy(update={"horizon_year": 2040})
    simulate(big, scenario)
    floor = _peak_resident_bytes()
    started = time.perf_counter()
    result = simulate_risk(big, scenario, draws=1000, seed=1)
    seconds = time.perf_counter() - started
    peak = _peak_resident_bytes()
    print(json.dumps({"floor": floor, "peak": peak, "seconds": seconds, "rows": len(result.operations)}))


def main() -> None:
    if sys.argv[1:] == ["--big-child"]:
        _big_run()
        return
    print(f"Commande : {Path(sys.executable).name} bench/bench_risk.py")
    demo = load_portfolio(DEMO_OPERATIONS_CSV, load_neighbourhoods())
    reference = load_scenario_file(DEMO_SCENARIO_JSON)
    simulate(demo, reference)  # warm the per-portfolio column cache, as the app does
    simulate_risk(demo, reference, draws=10)
    sequential = median_seconds(lambda: [simulate(demo, reference) for _ in range(1000)], 1)
    risk = median_seconds(lambda: simulate_risk(demo, reference, draws=1000), 5)
    print(
        f"démo, {len(demo.operations)} op., 1 000 tirages : médiane {number(risk, 3)} s (cible <= 1 s : "
        f"{'tenue' if risk <= 1 else 'MANQUÉE'}) ; 1 000 appels de simulate à la suite : {number(sequential, 3)} s ; "
        f"rapport {number(risk / sequential, 3)} (cible <= 0,2 : {'tenue' if risk / sequential <= 0.2 else 'MANQUÉE'})"
    )
    odds = median_seconds(lambda: commitment_odds(demo, reference, draws=1000), 5)
    print(
        f"carte « probabilité de tenir l'engagement » (Synthèse), mêmes 1 000 tirages, dates seules : médiane "
        f"{number(odds * 1000, 1)} ms, soit {number(odds / risk, 2)} fois le Monte Carlo complet "
        f"({number(risk * 1000, 1)} ms)"
    )
    child = subprocess.run(
        [sys.executable, __file__, "--big-child"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    big = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"synthétique 3 000 op. x 1 000 tirages : {number(big['seconds'], 1)} s ; mémoire de pointe "
        f"{number(big['peak'] / GIB, 2)} Gio (plancher du même processus après un simulate : "
        f"{number(big['floor'] / GIB, 2)} Gio, rapport x{number(big['peak'] / big['floor'], 1)}) ; "
        f"cible < 2 Gio : {'tenue' if big['peak'] < 2 * GIB else 'MANQUÉE'}"
    )


if __name__ == "__main__":
    main()
