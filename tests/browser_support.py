"""A real ``streamlit run app.py`` on a free port and Debian's Chromium, for browser tests and
the browser benchmark."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
PAGES = {
    "synthese": "Synthèse",
    "arbitrage": "Arbitrage",
    "comparer": "Comparer",
    "phasage": "Proposer un phasage",
    "calendrier": "Calendrier",
    "capacite": "Capacité",
    "risques": "Risques",
    "comite": "Préparation du comité d'engagement",
    "operations": "Opérations",
    "scenarios": "Scénarios",
    "exports": "Exports",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def streamlit_server(
    database: Path,
    script: Path = ROOT / "app.py",
    pids: list[int] | None = None,
    *,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Iterator[tuple[str, float]]:
    """Start the app on a fresh database; yields (base URL, seconds until it answered).

    ``script`` runs another Streamlit script (the benchmark's floor app); ``pids`` receives the
    server's process id (the benchmark reads its CPU time); ``env`` adds to the environment
    (sign-in modes), ``args`` to Streamlit's options (``--secrets.files``)."""
    port = free_port()
    env = {**os.environ, "SIMULATEUR_DB": str(database), **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if pids is not None:
        pids.append(process.pid)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return bool(response.status == 200)

    with serving(process, healthy, "streamlit did not start: ", seconds=60):
        yield url, time.perf_counter() - started


@contextmanager
def serving(
    process: subprocess.Popen[bytes], answers: Callable[[], bool], failure: str, *, seconds: float
) -> Iterator[None]:
    """Wait until the server ``process`` answers (``answers()`` returns True rather than raising
    ``OSError``), yield while it runs, and stop it at the end, killed if it will not end.

    One loop for every server the tests start (Streamlit, nginx, the OpenID provider): if the
    process dies or ``seconds`` pass first, ``RuntimeError`` says ``failure`` and its last errors."""
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if answers():
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    errors = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"{failure}{errors[-2000:]}") from None
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.1)  # ends at once if the server died; then poll again
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# The whole document is watched, not the stApp node found now: a node React draws again in its
# place would carry the next run's state changes unseen.
WATCH_RUNS = """() => {
  window.__runSeen = false;
  if (window.__runWatch) window.__runWatch.disconnect();
  window.__runWatch = new MutationObserver((records) => {
    if (records.some(r => r.target.getAttribute('data-testid') === 'stApp')) window.__runSeen = true;
  });
  window.__runWatch.observe(document.body, {attributes: true, subtree: true, attributeFilter: ['data-test-script-state']});
}"""
_RUN_OVER = """() => window.__runSeen
  && document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"""


def after_rerun(page, action, timeout: float = 60_000) -> None:
    """Do ``action`` (an upload, a click) and wait until the run it triggers has started and ended.

    ``wait_idle`` alone can pass before that run starts (the app is still idle from the last one);
    a second action sent then races the first one's run.
    """
    page.evaluate(WATCH_RUNS)
    action()
    wait_run_over(page, timeout)


def wait_run_over(page, timeout: float = 60_000) -> None:
    """After ``WATCH_RUNS`` and an action: wait until the run it started has been seen and ended.

    A run can also go unseen: when its "running" and "finished" messages reach the browser
    together, React draws the app once, still "notRunning", and the attribute never moves (two
    CI runs waited 60 s on such a run). After 20 s without one, the app idle is the state it left."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_RUN_OVER, timeout=min(timeout, 20_000))
    except PlaywrightTimeout:
        wait_idle(page, timeout=timeout)


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the script run the last action triggered is over."""
    page.wait_for_selector(IDLE, timeout=timeout)


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.locator('[data-testid="stException"]').all()]


def choose(page, selectbox, option: str, *, in_form: bool = False, attempts: int = 5) -> None:
    """Pick ``option`` in ``selectbox`` as a keyboard user does (open, type to filter, Enter), then
    wait for the states the app shows: the box shows the choice and, outside a form, the run that
    choice starts has ended. A list that closed under the typing (a run ending just after the page
    load draws the box again) is opened again; never a fixed wait."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    listed = page.get_by_role("option", name=option).first
    for attempt in range(attempts):
        last = attempt == attempts - 1
        selectbox.click()
        page.keyboard.type(option)
        try:
            listed.wait_for(timeout=10_000)
        except PlaywrightTimeout:
            if last:
                raise
            page.keyboard.press("Escape")
            continue
        page.evaluate(WATCH_RUNS)
        page.keyboard.press("Enter")
        try:
            expect(selectbox.get_by_role("combobox")).to_have_value(re.compile(re.escape(option)), timeout=10_000)
        except AssertionError:
            if last:
                raise
            continue
        if not in_form:  # a widget in a form waits for the form's button: no run
            wait_run_over(page)
        return


def pick_option(page, selectbox, name: str, attempts: int = 6) -> None:
    """Open ``selectbox`` and click its option ``name``, opening it again if the list closed
    before the option showed (a run that ends just after the page load draws the box again);
    then wait until the box shows it. Waits for the state the app shows, never a fixed time."""
    from playwright.sync_api import expect

    option = page.get_by_role("option", name=name)
    for attempt in range(attempts):
        selectbox.click()
        try:
            option.wait_for(timeout=5_000)
        except Exception:
            if attempt == attempts - 1:
                raise
            continue
        option.click()
        try:
            expect(selectbox.get_by_role("combobox")).to_have_value(re.compile(re.escape(name)), timeout=10_000)
        except AssertionError:
            if attempt == attempts - 1:
                raise
            continue
        return


def stop_optimiser(page) -> bool:
    """Click « Arrêter l'optimiseur » until the app shows the stop was heard, then wait for the
    stopped plan: ``True``. ``False`` when the search ended on its own first (the demo's takes
    about 2 s, a loaded machine may click too late): no button left, no stop heard.

    The timer's fragment redraws the button every half second, so a click can land on the copy
    being replaced; once heard the button is disabled, so a click then waits for nothing (hence
    its short timeout). A search left running would take both cores of a CI machine from the
    tests that follow."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = page.get_by_role("button", name="Arrêter l'optimiseur")
    heard = "() => /Arrêt demandé|arrêtée? à la demande/.test(document.body.innerText)"
    for _ in range(8):
        with contextlib.suppress(PlaywrightTimeout):  # replaced while clicked, or disabled: the stop was heard
            button.first.click(timeout=5_000)
        try:
            page.wait_for_function(heard, timeout=10_000)
            break
        except PlaywrightTimeout:
            wait_idle(page)
            if button.count() == 0 and not page.evaluate(heard):
                return False  # the search finished before a click reached it
    else:
        raise AssertionError("« Arrêter l'optimiseur » cliqué huit fois sans effet")
    page.wait_for_function("() => /arrêtée? à la demande/.test(document.body.innerText)", timeout=60_000)
    wait_idle(page)
    return True


def projector_on(page, attempts: int = 3) -> None:
    """Switch « Mode projecteur » on from the sidebar and wait for the states the app shows: the
    address carries ``projecteur=true`` and the run it started has ended. A click lost while the
    sidebar was being drawn again is made once more, never a second time after it took."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    on = "() => new URLSearchParams(location.search).get('projecteur') === 'true'"
    page.evaluate(WATCH_RUNS)
    for attempt in range(attempts):
        if not page.evaluate(on):
            page.get_by_text("Mode projecteur").click()
        try:
            page.wait_for_function(on, timeout=15_000)
            break
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    wait_run_over(page)
