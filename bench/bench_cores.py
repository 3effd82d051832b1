"""Every core used: the workshop load through nginx, on 1 app process, then on 2, same run.

Run: ``.venv/bin/python bench/bench_cores.py`` (or ``./dev bench``). ``--sessions N`` (20),
``--moves N`` lever moves per session (5), ``--processes 1,2``.

What it does, for each number of processes: a fresh demo database, N ``streamlit run`` processes
sharing it (``SIMULATEUR_DB_LINGER_S=0`` and ``SIMULATEUR_READ_CACHE=1`` as in
``deploy/simulateur.env`` when there are several; one process alone keeps its defaults), Debian's nginx in front with the recipe's own files
(``deploy/nginx/``: sticky route cookie, websocket, trusted header from the proxy's sign-in),
then ``--sessions`` Chromium sessions at once, each signed in as a different declared
contributeur: its own envelope level, ``--moves`` escalation moves timed from the key press to
the chart redrawn, then all sessions save a scenario of their own at the same moment (a
barrier). Afterwards the history is read back: a save the page confirmed but the history does
not hold is a lost write. Printed: median, p90 and max of a move, errors, saves confirmed and
lost, how the sessions spread over the processes (nginx's log), and the ratio of the medians
(1 process / N processes: above 1, the extra processes help).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation.fr import number
from store import Store
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, IDLE, streamlit_server
from tests.nginx_support import nginx_proxy

LEVER = "Actualisation des prix"
CHART_SVG = "[data-testid=stVegaLiteChart] svg"
CHANGED = (
    "before => { const s = document.querySelector('[data-testid=stVegaLiteChart] svg');"
    " return s && s.innerHTML !== before; }"
)


@dataclass
class Outcome:
    processes: int
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    confirmed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    spread: Counter[str] = field(default_factory=Counter)
    unsticky: int = 0
    elapsed: float = 0.0
    server_cpu: list[float] = field(default_factory=list)
    """CPU seconds each app process used during the load."""
    machine_busy: float = 0.0
    """Share of all the machine's cores busy during the load (everything: browsers, servers, others)."""


def login(index: int) -> str:
    return f"atelier{index + 1:02d}"


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


async def session(browser, url: str, index: int, moves: int, barrier: asyncio.Barrier, out: Outcome) -> None:
    """One participant: signed in by the proxy, its own scenario, lever moves, then a save."""
    name = login(index)
    context = await browser.new_context(
        viewport={"width": 1920, "height": 1080}, http_credentials={"username": name, "password": name}
    )
    page = await context.new_page()
    try:
        try:
            await page.goto(f"{url}/arbitrage", timeout=180_000)
            await page.wait_for_selector(IDLE, timeout=180_000)
            await page.locator(CHART_SVG).first.wait_for(timeout=180_000)
            level = page.locator('[data-testid="stSlider"]').filter(has_text="Niveau des enveloppes")
            await level.get_by_role("slider").focus()
            for _ in range(index % 10 + 1):  # 95 %, 90 %…: each session works on its own scenarios
                await page.keyboard.press("ArrowLeft")
            await page.wait_for_selector(IDLE, timeout=180_000)
            for _ in range(moves):
                before = await page.locator(CHART_SVG).first.inner_html()
                await page.locator('[data-testid="stSlider"]').filter(has_text=LEVER).get_by_role("slider").focus()
                started = time.perf_counter()
                await page.keyboard.press("ArrowRight")
                try:
                    await page.wait_for_function(CHANGED, arg=before, timeout=120_000, polling="raf")
                except Exception as exc:  # a move never drawn is an error of the load, not a crash of the bench
                    out.errors.append(f"{name} : mouvement non redessiné ({type(exc).__name__})")
                    continue
                out.times.append(time.perf_counter() - started)
                await page.wait_for_selector(IDLE, timeout=180_000)
        except Exception as exc:
            out.errors.append(f"{name} : page non chargée ({type(exc).__name__})")
        await barrier.wait()  # every session saves at the same moment
        await save(page, name, out)
        out.errors.extend(
            f"{name} : exception affichée" for _ in await page.locator('[data-testid="stException"]').all()
        )
    finally:
        await context.close()


async def save(page, name: str, out: Outcome) -> None:
    scenario = f"Atelier {name}"
    try:
        await page.get_by_role("button", name="Enregistrer sous…").click(timeout=60_000)
        await page.get_by_label("Nom du scénario").fill(scenario, timeout=60_000)
        await page.get_by_role("button", name="Enregistrer", exact=True).click(timeout=60_000)
        done = page.get_by_text(f"Scénario « {scenario} » enregistré").first
        refusal = page.locator('[data-testid="stAlertContentError"]').first
        await done.or_(refusal).wait_for(timeout=180_000)
        if await done.is_visible():
            out.confirmed.append(scenario)
        else:
            out.refused.append(f"{name} : {await refusal.inner_text()}")
    except Exception as exc:
        out.errors.append(f"{name} : enregistrement sans réponse ({type(exc).__name__})")


async def load(url: str, sessions: int, moves: int, out: Outcome) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        barrier = asyncio.Barrier(sessions)
        started = time.perf_counter()
        await asyncio.gather(*(session(browser, url, i, moves, barrier, out) for i in range(sessions)))
        out.elapsed = time.perf_counter() - started
        await browser.close()


def team_database(path: Path, sessions: int) -> None:
    store = Store.open(path, linger=0)
    store.add_person("Admin", "administrateur")
    admin = store.as_user("Admin")
    for index in range(sessions):
        admin.add_person(login(index), "contributeur")


def read_back(path: Path, out: Outcome) -> None:
    """Lost writes: confirmed on the page, absent from the scenarios or from the history."""
    store = Store.open(path, linger=0)
    saved = {i.name: i.author for i in store.list_scenarios()}
    for scenario in out.confirmed:
        author = scenario.removeprefix("Atelier ")
        history = store.history(scenario=scenario) if scenario in saved else []
        if saved.get(scenario) != author or not any(h.user == author for h in history):
            out.lost.append(scenario)


def spread(log: Path, out: Outcome) -> None:
    """Which process served each session's websocket, and whether a route ever changed process."""
    routes: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        found = re.search(r"route=(\S+) upstream=(\S+)", line)
        if found and found.group(2) != "-":
            routes.setdefault(found.group(1), set()).add(found.group(2))
        stream = re.search(r'"GET /_stcore/stream HTTP/1.1" 101 route=\S+ upstream=(\S+)', line)
        if stream:
            out.spread[stream.group(1)] += 1
    out.unsticky = sum(1 for served in routes.values() if len(served) > 1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all cores so far (``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def run(processes: int, sessions: int, moves: int) -> Outcome:
    out = Outcome(processes)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        database = Path(folder) / "charge.duckdb"
        team_database(database, sessions)
        env = {"SIMULATEUR_TRUSTED_HEADER": "X-Remote-User", "SIMULATEUR_BACKUPS_KEEP": "0"}
        if processes > 1:
            env |= {"SIMULATEUR_DB_LINGER_S": "0", "SIMULATEUR_READ_CACHE": "1"}
        pids: list[int] = []
        urls = [stack.enter_context(streamlit_server(database, pids=pids, env=env))[0] for _ in range(processes)]
        ports = [int(u.rsplit(":", 1)[1]) for u in urls]
        users = {login(i): login(i) for i in range(sessions)}
        proxy = stack.enter_context(nginx_proxy(Path(folder) / "nginx", ports, users))
        # The sync world holds no loop here, but the browser's async API gets a thread of its own.
        runner = threading.Thread(target=lambda: asyncio.run(load(proxy, sessions, moves, out)))
        cpu_before, ticks_before = [cpu_seconds(pid) for pid in pids], machine_ticks()
        runner.start()
        runner.join()
        out.server_cpu = [cpu_seconds(pid) - before for pid, before in zip(pids, cpu_before, strict=True)]
        busy, total = (now - before for now, before in zip(machine_ticks(), ticks_before, strict=True))
        out.machine_busy = busy / total if total else 0.0
        stack.close()  # servers stopped: the database is free to read back
        read_back(database, out)
        spread(Path(folder) / "nginx" / "access.log", out)
    return out


def ms(value: float) -> str:
    return f"{number(value * 1000)} ms"


def report(out: Outcome, sessions: int, moves: int) -> None:
    head = f"{out.processes} processus"
    if not out.times:
        print(f"{head} : aucun mouvement mesuré ; erreurs {len(out.errors)}")
    else:
        print(
            f"{head} : {sessions} sessions × {moves} mouvements en {number(out.elapsed, 1)} s — médiane "
            f"{ms(statistics.median(out.times))}, p90 {ms(p90(out.times))}, max {ms(max(out.times))} ; "
            f"erreurs {len(out.errors)} ; enregistrements simultanés confirmés {len(out.confirmed)}/{sessions}, "
            f"refusés {len(out.refused)}, perdus {len(out.lost)}"
        )
    if out.elapsed:
        cores = os.cpu_count() or 1
        print(
            f"  CPU : machine occupée à {number(out.machine_busy * 100)} % de ses {cores} cœurs (navigateurs, serveurs, "
            f"le reste) ; processus de l'application : "
            + ", ".join(f"{number(c, 1)} s ({number(c / out.elapsed * 100)} % d'un cœur)" for c in out.server_cpu)
            + (
                f" ; {number(sum(out.server_cpu) / len(out.times), 3)} s de CPU serveur par mouvement (chargements et enregistrements compris)"
                if out.times
                else ""
            )
        )
    shares = ", ".join(f"{n} sur {addr}" for addr, n in sorted(out.spread.items()))
    print(
        f"  sessions par processus (journal de nginx) : {shares or 'aucune'} ; routes ayant changé de processus : {out.unsticky}"
    )
    for line in (out.errors + out.refused + [f"perdu : {s}" for s in out.lost])[:10]:
        print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Charge de l'atelier à travers nginx : 1 processus, puis 2.")
    parser.add_argument("--sessions", type=int, default=20, help="sessions simultanées (20)")
    parser.add_argument("--moves", type=int, default=5, help="mouvements de levier par session (5)")
    parser.add_argument("--processes", default="1,2", help="nombres de processus à comparer (1,2)")
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    print(
        f"Commande : .venv/bin/python bench/bench_cores.py --sessions {args.sessions} --moves {args.moves} "
        f"--processes {args.processes} (nginx et Chromium de Debian, {os.cpu_count()} cœurs, données de démonstration)"
    )
    outcomes = []
    for count in counts:
        outcome = run(count, args.sessions, args.moves)
        report(outcome, args.sessions, args.moves)
        outcomes.append(outcome)
    base = outcomes[0]
    for other in outcomes[1:]:
        if base.times and other.times:
            ratio = statistics.median(base.times) / statistics.median(other.times)
            ratio_p90 = p90(base.times) / p90(other.times)
            print(
                f"Rapport {base.processes} processus / {other.processes} processus : médiane {number(ratio, 2)}×, "
                f"p90 {number(ratio_p90, 2)}× (au-dessus de 1 : les processus en plus accélèrent)"
            )


if __name__ == "__main__":
    main()
