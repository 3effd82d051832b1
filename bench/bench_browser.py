"""Workshop speed as a user sees it, in Chromium against a real ``streamlit run`` (demo data),
measured against a floor app run in the same way in the same run.

Run: ``.venv/bin/python bench/bench_browser.py`` (or ``./dev bench``). Prints what it measured.
``--sessions N`` sets the load test's concurrent sessions (10), ``--moves N`` the lever moves (20).

Targets (issue 13):
- lever moved -> KPI and chart redrawn: median <= 1,3 x the floor (``bench/floor_app.py``: one
  ``st.metric`` and one Altair bar chart of the same size, same Streamlit, same Chromium);
- page switch: median <= 500 ms, max <= 800 ms; cold start to the first page: <= 3 s;
- server CPU time per lever move: <= 0,1 s;
- 10 concurrent sessions moving levers: median, p90 and errors are printed.
It also says where a lever move's time goes: until the server's first message (request and
script start), until its last message (script end and transfer), then the browser's drawing; and
the browser's main-thread time per move (Chrome's Performance metrics; the moves are counted with
the unmeasured first one), where Streamlit redraws every element a rerun sends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulation.fr import number
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, IDLE, PAGES, launch_browser, streamlit_server, wait_idle

FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
PAGE_TOUR = ["arbitrage", "calendrier", "capacite", "synthese", "comparer", "operations", "scenarios", "arbitrage"]
LEVER = "Actualisation des prix"
CHART_SVG = "[data-testid=stVegaLiteChart] svg"
CHANGED = (
    "before => { const s = document.querySelector('[data-testid=stVegaLiteChart] svg');"
    " return s && s.innerHTML !== before; }"
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Frames:
    """Websocket messages the page receives: (time, bytes)."""

    received: list[tuple[float, int]] = field(default_factory=list)

    def attach(self, page) -> None:
        def on_socket(socket) -> None:
            socket.on("framereceived", lambda payload: self.received.append((time.perf_counter(), len(payload))))

        page.on("websocket", on_socket)

    def between(self, start: float, end: float) -> list[tuple[float, int]]:
        return [f for f in self.received if start <= f[0] <= end]


@dataclass
class Move:
    total: float
    first_message: float | None
    last_message: float | None
    kilobytes: float


def move_lever(page, frames: Frames, key: str = "ArrowRight") -> Move:
    """Press ``key`` on the escalation slider; time until the chart is redrawn and the run is over."""
    before = page.locator(CHART_SVG).first.inner_html()
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=LEVER).get_by_role("slider")
    slider.focus()
    t0 = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(CHANGED, arg=before, timeout=15_000, polling="raf")
    drawn = time.perf_counter()
    wait_idle(page)
    seen = frames.between(t0, drawn)
    return Move(
        drawn - t0,
        seen[0][0] - t0 if seen else None,
        seen[-1][0] - t0 if seen else None,
        sum(size for _, size in seen) / 1024,
    )


def lever_series(page, frames: Frames, moves: int) -> list[Move]:
    page.locator(CHART_SVG).first.wait_for()
    before = page.locator(CHART_SVG).first.inner_html()
    page.locator('[data-testid="stSlider"]').filter(has_text=LEVER).get_by_role("slider").focus()
    page.keyboard.press("Home")  # start from 0 %, not measured
    page.wait_for_function(CHANGED, arg=before, timeout=15_000, polling="raf")
    wait_idle(page)
    # 0 % -> 10 % by steps of 0,5 %: every step but 3,0 % is a scenario not yet computed
    return [move_lever(page, frames) for _ in range(moves)]


def browser_main_thread(page):
    """A reader of the browser's main-thread time so far (Chrome's Performance metrics, seconds):
    all its tasks, and the JavaScript among them (Streamlit's React rendering, Vega)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def read() -> tuple[float, float]:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return metrics["TaskDuration"], metrics["ScriptDuration"]

    return read


def measured_series(page, frames: Frames, moves: int, server_pid: int) -> tuple[list[Move], float, list[float]]:
    """``lever_series`` with what it cost: the server's CPU seconds per move and the browser main
    thread's (task, script) seconds per rerun (the ``moves`` and the first draw), measured the
    same way for the floor app and for the application."""
    cpu_before = cpu_seconds(server_pid)
    main_thread = browser_main_thread(page)
    browser_before = main_thread()
    series = lever_series(page, frames, moves)
    cpu = (cpu_seconds(server_pid) - cpu_before) / moves
    browser = [(a - b) / (moves + 1) for a, b in zip(main_thread(), browser_before, strict=True)]
    return series, cpu, browser


def ms(values: list[float]) -> str:
    return f"médiane {number(statistics.median(values) * 1000)} ms, max {number(max(values) * 1000)} ms"


def s_(value: float, decimals: int = 2) -> str:
    return f"{number(value, decimals)} s"


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "atteint" if ok else "NON ATTEINT"


async def load_session(browser, url: str, index: int, moves: int, times: list[float], errors: list[str]) -> None:
    """One workshop participant: a scenario of its own (envelope level), then escalation moves."""
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    try:
        await page.goto(f"{url}/arbitrage")
        await page.wait_for_selector(IDLE, timeout=120_000)
        await page.locator(CHART_SVG).first.wait_for(timeout=120_000)
        level = page.locator('[data-testid="stSlider"]').filter(has_text="Niveau des enveloppes").get_by_role("slider")
        await level.focus()
        for _ in range(index % 10 + 1):  # 95 %, 90 %…: each session works on its own scenarios
            await page.keyboard.press("ArrowLeft")
        await page.wait_for_selector(IDLE, timeout=120_000)
        for _ in range(moves):
            before = await page.locator(CHART_SVG).first.inner_html()
            slider = page.locator('[data-testid="stSlider"]').filter(has_text=LEVER).get_by_role("slider")
            await slider.focus()
            t0 = time.perf_counter()
            await page.keyboard.press("ArrowRight")
            try:
                await page.wait_for_function(CHANGED, arg=before, timeout=60_000, polling="raf")
            except Exception as exc:  # a move never drawn is an error of the load test, not a crash of it
                errors.append(f"session {index} : {type(exc).__name__}")
                continue
            times.append(time.perf_counter() - t0)
            await page.wait_for_selector(IDLE, timeout=120_000)
        errors.extend(
            f"session {index} : exception affichée" for _ in await page.locator('[data-testid="stException"]').all()
        )
    finally:
        await context.close()


async def load_test(url: str, sessions: int, moves: int) -> tuple[list[float], list[str], float]:
    from playwright.async_api import async_playwright

    times: list[float] = []
    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        await asyncio.gather(*(load_session(browser, url, i, moves, times, errors) for i in range(sessions)))
        elapsed = time.perf_counter() - started
        await browser.close()
    return times, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure la vitesse de l'atelier dans Chromium.")
    parser.add_argument("--moves", type=int, default=20, help="mouvements de levier mesurés (20)")
    parser.add_argument("--sessions", type=int, default=10, help="sessions simultanées du test de charge (10)")
    parser.add_argument("--load-moves", type=int, default=5, help="mouvements par session du test de charge (5)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch_browser(playwright)

        # ---- the floor: a trivial page with one metric and one bar chart of the same size
        floor_pids: list[int] = []
        with streamlit_server(Path(folder) / "floor.duckdb", FLOOR_APP, floor_pids) as (url, _):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            frames = Frames()
            frames.attach(page)
            page.goto(url)
            wait_idle(page)
            floor, floor_cpu, floor_browser = measured_series(page, frames, args.moves, floor_pids[0])
            page.close()

        # ---- the app
        pids: list[int] = []
        started = time.perf_counter()
        with streamlit_server(Path(folder) / "bench.duckdb", pids=pids) as (url, server_ready):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            frames = Frames()
            frames.attach(page)
            page.goto(url)
            wait_idle(page)
            page.locator(CHART_SVG).first.wait_for()
            cold = time.perf_counter() - started

            page.goto(f"{url}/arbitrage")
            wait_idle(page)
            lever, app_cpu, app_browser = measured_series(page, frames, args.moves, pids[0])

            switches = []
            for slug in PAGE_TOUR:
                link = page.locator('[data-testid="stSidebarNav"] a').filter(has_text=PAGES[slug]).first
                t0 = time.perf_counter()
                link.click()
                page.wait_for_function(
                    "title => { const h = document.querySelector('h1'); return h && h.innerText.startsWith(title); }",
                    arg=PAGES[slug],
                    timeout=30_000,
                )
                wait_idle(page)
                switches.append(time.perf_counter() - t0)
            page.close()
            browser.close()

            # The sync API holds an event loop in this thread: the async load test runs in its own.
            outcome: list[tuple[list[float], list[str], float]] = []
            runner = threading.Thread(
                target=lambda: outcome.append(asyncio.run(load_test(url, args.sessions, args.load_moves)))
            )
            runner.start()
            runner.join()
            load_times, load_errors, load_elapsed = outcome[0] if outcome else ([], ["test de charge interrompu"], 0.0)

    floor_median = statistics.median(m.total for m in floor)
    app_median = statistics.median(m.total for m in lever)
    ratio = app_median / floor_median
    print(
        "Commande : .venv/bin/python bench/bench_browser.py "
        f"(Chromium Debian, 1920×1080, données de démonstration, {os.cpu_count()} cœurs)"
    )
    print(
        f"Démarrage à froid → première page affichée : {s_(cold)} (serveur prêt en {s_(server_ready)}, "
        f"page en {s_(cold - server_ready)}) — cible ≤ 3 s : {verdict(cold <= 3)}"
    )
    print(f"Plancher (bench/floor_app.py) : levier → métrique et graphique redessinés, {ms([m.total for m in floor])}")
    print(
        f"Application : levier (actualisation 0 → 10 %) → indicateurs et graphique redessinés, {args.moves} "
        f"mouvements : {ms([m.total for m in lever])}"
    )
    print(f"  rapport au plancher : {number(ratio, 2)}× (cible ≤ 1,3×) : {verdict(ratio <= 1.3)}")
    print(
        f"  temps CPU du serveur par mouvement : {s_(app_cpu, 3)} (plancher {s_(floor_cpu, 3)} ; cible ≤ 0,1 s) : "
        f"{verdict(app_cpu <= 0.1)}"
    )
    for name, moves in (("plancher", floor), ("application", lever)):
        first = [m.first_message for m in moves if m.first_message is not None]
        last = [m.last_message for m in moves if m.last_message is not None]
        if first and last:
            median_last = statistics.median(last)
            print(
                f"  où va le temps ({name}, médianes) : premier message du serveur "
                f"{number(statistics.median(first) * 1000)} ms, dernier message reçu avant le dessin "
                f"{number(median_last * 1000)} ms, dessin par le navigateur "
                f"{number((statistics.median(m.total for m in moves) - median_last) * 1000)} ms ; "
                f"{number(statistics.median(m.kilobytes for m in moves))} Ko reçus par mouvement"
            )
    for name, (task, script) in (("plancher", floor_browser), ("application", app_browser)):
        print(
            f"  fil principal du navigateur par mouvement ({name}) : {number(task * 1000)} ms, "
            f"dont JavaScript {number(script * 1000)} ms (rendu React de Streamlit, Vega)"
        )
    sw = switches
    print(
        f"Changement de page ({len(sw)} pages) : {ms(sw)} "
        f"({', '.join(f'{s} {number(t * 1000)}' for s, t in zip(PAGE_TOUR, sw, strict=True))}) — cible médiane ≤ 500 ms : "
        f"{verdict(statistics.median(sw) <= 0.5)}, max ≤ 800 ms : {verdict(max(sw) <= 0.8)}"
    )
    if load_times:
        print(
            f"Charge : {args.sessions} sessions simultanées × {args.load_moves} mouvements, en {s_(load_elapsed, 1)} : "
            f"médiane {number(statistics.median(load_times) * 1000)} ms, p90 {number(p90(load_times) * 1000)} ms, "
            f"max {number(max(load_times) * 1000)} ms, erreurs {len(load_errors)}"
        )
    else:
        print(f"Charge : aucun mouvement mesuré ; erreurs {len(load_errors)}")
    for error in load_errors[:10]:
        print(f"  {error}")


if __name__ == "__main__":
    main()
