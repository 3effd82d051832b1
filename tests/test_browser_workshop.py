"""The workshop at 1280×720 in projector mode, in Chromium (issue 20): nothing typed or moved is
lost, and the consequence of a lever is on the screen while the lever is.

Screenshots go to test-output/screenshots/atelier-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser_support import CHROMIUM, ROOT, WATCH_RUNS, exceptions, stop_optimiser, wait_idle, wait_run_over
from tests.test_browser import select_grid_cell

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"
NBSP = "\u00a0"
VIEWPORT = (1280, 720)  # the workshop's small screen (the `page` fixture of conftest.py)


def slider_value(page, label: str) -> str:
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    return (slider.get_attribute("aria-valuetext") or "").replace(NBSP, " ")


def envelope_grid(page):
    return (
        page.locator('[data-testid="stExpander"]')
        .filter(has_text="Enveloppes par maître")
        .locator('[data-testid="stDataFrame"]')
    )


def open_envelopes(page) -> None:
    page.get_by_text("Enveloppes par maître d'ouvrage et par année").click()
    envelope_grid(page).wait_for(timeout=15_000)
    wait_idle(page)


def test_a_cell_typed_fast_keeps_every_digit_and_a_reload_loses_nothing(page, app_url):
    page.goto(f"{app_url}/arbitrage?projecteur=true")
    wait_idle(page)
    assert slider_value(page, "Niveau des enveloppes") == "100 %"
    open_envelopes(page)
    grid = envelope_grid(page)
    grid.scroll_into_view_if_needed()
    select_grid_cell(page, grid, "2027")  # first row: Ville, 66,0 M€
    page.keyboard.type("55", delay=0)  # as fast as keys go: no delay between them, nor before Enter
    page.keyboard.press("Enter")
    change = page.get_by_text("Enveloppes Ville :")
    change.first.wait_for(timeout=15_000)
    wait_idle(page)
    assert "(référence 528,0 M€, -11,0 M€)" in change.first.inner_text().replace(NBSP, " ")  # 66 -> 55, not 5
    assert slider_value(page, "Niveau des enveloppes") == "100 %"  # 829 / 840 M€: the level did not jump

    escalation = page.locator('[data-testid="stSlider"]').filter(has_text="Actualisation des prix")
    escalation.get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")  # 3,0 % -> 3,5 %
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSlider] input[type=range]')]"
        ".some(s => (s.getAttribute('aria-valuetext') || '').replace(/\\s/g, ' ') === '3,5 %')",
        timeout=15_000,
    )
    wait_idle(page)
    assert re.search(r"[?&]atelier=[A-Za-z0-9_-]{16,}", page.url), page.url

    page.reload()  # F5 in the middle of the workshop
    wait_idle(page)
    page.get_by_text("Travail en cours retrouvé").wait_for(timeout=15_000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=15_000)
    wait_idle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "atelier-rechargement.png"))
    assert slider_value(page, "Actualisation des prix") == "3,5 %"
    text = page.locator("body").inner_text().replace(NBSP, " ")
    assert "(référence 528,0 M€, -11,0 M€)" in text
    assert "modifié, non enregistré" in text
    assert exceptions(page) == []


IN_VIEW_NOW = """([selector, text]) => {
  const e = [...document.querySelectorAll(selector)].find(x => !text || x.innerText.includes(text));
  if (!e) return false;
  const r = e.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth
    && r.width > 0 && r.height > 0; }"""


def wait_in_view(page, selector: str, text: str = "", timeout: float = 10_000) -> None:
    """Wait until the element (``selector``, holding ``text``) is wholly inside the window, looked
    up afresh each frame: just after a run the page may still be laying out (a sticky strip settles,
    a rerun draws the element again). Fails, saying which, if it never gets there."""
    try:
        page.wait_for_function(IN_VIEW_NOW, arg=[selector, text], timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"hors de la fenêtre : {selector} {text}".strip()) from None


STRIP_CUT = """() => [...document.querySelectorAll('.st-key-kpi_strip [data-testid=stMetric] *')]
  .filter(e => e.offsetParent !== null && e.children.length === 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText)"""
"""Texts of the strip wider than their box (a label or a difference cut with « … »)."""


def strip_value(page, label: str) -> str:
    card = page.locator(".st-key-kpi_strip [data-testid='stMetric']").filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().replace(NBSP, " ")


def test_the_strip_and_the_moved_lever_are_on_screen_together(page, app_url):
    """At 1280×720 on a projector, a lever far down the page (the focus panel's cost) moves the
    figures of the sticky strip, and both are in the window at once."""
    page.goto(f"{app_url}/arbitrage?projecteur=true")
    page.locator(".st-key-kpi_strip [data-testid='stMetric']").first.wait_for(timeout=30_000)
    wait_idle(page)
    labels = page.locator(".st-key-kpi_strip [data-testid='stMetricLabel']").all_inner_texts()
    assert "Dépassement cumulé" in [label.strip() for label in labels]
    before = strip_value(page, "CP TTC")
    cost = page.get_by_role("slider", name="Coût (% du programme)")
    cost.focus()  # the page scrolls to it, as a keyboard user's would
    page.keyboard.press("ArrowRight")  # 100 % -> 105 %
    page.wait_for_function(
        "(before) => { const card = [...document.querySelectorAll('.st-key-kpi_strip [data-testid=stMetric]')]"
        ".find(c => c.innerText.includes('CP TTC'));"
        " return card && card.querySelector('[data-testid=stMetricValue]').innerText.replace(/\\s/g, ' ') !== before; }",
        arg=before,
        timeout=20_000,
    )
    wait_idle(page)
    strip = page.locator(".st-key-kpi_strip")
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="Coût (% du programme)")
    wait_in_view(page, ".st-key-kpi_strip")
    wait_in_view(page, '[data-testid="stSlider"]', "Coût (% du programme)")
    assert thumb.bounding_box()["y"] >= strip.bounding_box()["y"] + strip.bounding_box()["height"]  # not under it
    assert strip.evaluate("(s) => s.getBoundingClientRect().top") < 120  # stuck under the top bar
    assert strip_value(page, "CP TTC") != before
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "atelier-levier-et-bandeau.png"))
    assert exceptions(page) == []


def test_after_proposer_the_plans_and_the_timer_are_on_screen(page, app_url):
    page.goto(f"{app_url}/phasage?projecteur=true")
    page.locator(".st-key-kpi_strip [data-testid='stMetric']").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("spinbutton", name="Temps de l'optimiseur (s)").fill("20")
    page.get_by_role("button", name="Proposer un phasage").click()
    stop = page.get_by_role("button", name="Arrêter l'optimiseur").first
    stop.wait_for(timeout=30_000)
    page.get_by_text("Vérifié par le simulateur").first.wait_for(timeout=30_000)
    # The page scrolls to the plans while they are drawn: wait until the plan, its timer and the stop
    # button are all in the window (each looked up afresh: a rerun draws them again).
    page.wait_for_function(
        "() => { const inView = (e) => { const r = e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; };"
        " const plan = [...document.querySelectorAll('h3')].find(h => h.innerText.includes('Proposition rapide'));"
        " const timer = document.querySelector('[data-testid=stProgress]');"
        " const stop = [...document.querySelectorAll('button')].find(b => b.innerText.includes(\"Arrêter l'optimiseur\"));"
        " return plan && timer && stop && [plan, timer, stop].every(inView); }",
        timeout=15_000,
    )
    wait_in_view(page, ".st-key-kpi_strip")
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "Glouton" not in text and "CP-SAT" not in text and "heuristique" not in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "atelier-phasage.png"))
    stop_optimiser(page)  # not left searching for 20 s on the shared app
    assert exceptions(page) == []


@pytest.mark.parametrize("path", ["Calendrier", "risque"])
def test_a_mistyped_address_is_answered_in_french(page, app_url, path):
    page.goto(f"{app_url}/{path}?projecteur=true")
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    page.wait_for_function(
        "() => { const d = document.querySelector('[role=dialog]'); return d && d.innerText.includes('Page introuvable')"
        ' && d.innerText.includes("voici la page d\'accueil"); }',
        timeout=15_000,
    )
    text = dialog.inner_text()
    assert "Page not found" not in text and "Running the app" not in text and "requested" not in text
    assert dialog.get_by_role("button", name="Fermer").count() == 1
    assert exceptions(page) == []


WAIT_STRIP_CHANGE = """([label, before]) => { const card = [...document.querySelectorAll('.st-key-kpi_strip [data-testid=stMetric]')]
  .find(c => c.innerText.includes(label));
  return card && card.querySelector('[data-testid=stMetricValue]').innerText.replace(/\\s/g, ' ') !== before; }"""


def move_and_see(page, label: str, slider_name: str, key: str, presses: int = 1) -> None:
    """Move a slider by keyboard and wait until the strip's ``label`` changes; both are then in the window."""
    before = strip_value(page, label)
    slider = page.get_by_role("slider", name=slider_name)
    slider.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    page.wait_for_function(WAIT_STRIP_CHANGE, arg=[label, before], timeout=30_000)
    wait_idle(page)
    wait_in_view(page, ".st-key-kpi_strip")
    wait_in_view(page, '[data-testid="stSlider"]', slider_name)
    assert page.evaluate(STRIP_CUT) == []


def focus_by_shortcut(page, keys: str, label: str) -> None:
    """Press a lever's shortcut until the focus is on that lever: a run that redraws the page (the
    sidebar's badge after a reload) may take the focus away from a slider focused just before."""
    focused = f"() => document.activeElement && document.activeElement.getAttribute('aria-label') === {label!r}"
    for _ in range(3):
        wait_idle(page)
        page.keyboard.press(keys)
        try:
            page.wait_for_function(focused, timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    wait_idle(page)
    assert page.evaluate(focused), label


def go_to(page, section: str, title: str) -> None:
    """Open a page from the projector's top menu, as the facilitator does (the session goes on)."""
    page.get_by_text(section, exact=True).first.click()
    page.get_by_role("menuitem", name=title).first.click()
    page.locator("h1").filter(has_text=title).first.wait_for(timeout=30_000)
    wait_idle(page)


def test_the_workshop_at_1280x720_on_a_projector(page, app_url):
    """The whole workshop, played as a facilitator would: a general lever, an envelope cell typed
    fast, a reload, a delay, a save, a comparison and a proposal. At each step the consequence is
    on the screen and nothing is lost."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{app_url}/arbitrage?projecteur=true")
    page.locator(".st-key-kpi_strip [data-testid='stMetric']").first.wait_for(timeout=30_000)
    wait_idle(page)
    # 1. A general lever, reached by its shortcut (Alt+2): the escalation, 3,0 % -> 3,5 %.
    focus_by_shortcut(page, "Alt+2", "Actualisation des prix (par an)")
    move_and_see(page, "CP TTC", "Actualisation des prix (par an)", "ArrowRight")
    # 2. The Ville 2027 envelope typed fast: 66 -> 55 M€; the strip's overrun grows.
    overrun = strip_value(page, "Dépassement cumulé")
    open_envelopes(page)
    grid = envelope_grid(page)
    grid.scroll_into_view_if_needed()
    select_grid_cell(page, grid, "2027")
    page.keyboard.type("55", delay=0)
    page.keyboard.press("Enter")
    page.wait_for_function(WAIT_STRIP_CHANGE, arg=["Dépassement cumulé", overrun], timeout=30_000)
    wait_idle(page)
    wait_in_view(page, ".st-key-kpi_strip")
    change = page.get_by_text("Enveloppes Ville :").first.inner_text().replace(NBSP, " ")
    assert "-11,0 M€) ; 2027 : 55,0 M€ au lieu de 66,0 M€" in change
    page.screenshot(path=str(SHOTS / "atelier-1-enveloppe.png"))
    # 3. F5: nothing is lost.
    page.reload()
    page.get_by_text("Travail en cours retrouvé").wait_for(timeout=30_000)
    page.locator(".st-key-kpi_strip [data-testid='stMetric']").first.wait_for(timeout=30_000)
    wait_idle(page)
    assert slider_value(page, "Actualisation des prix") == "3,5 %"
    assert "2027 : 55,0 M€ au lieu de 66,0 M€" in page.locator("body").inner_text().replace(NBSP, " ")
    # 4. A delay on the focus panel's operation (one that can move): six months, by keyboard.
    shift = page.get_by_role("slider", name="Décalage (mois)")
    assert shift.is_enabled()
    focus_by_shortcut(page, "Alt+3", "Décalage (mois)")
    page.evaluate(WATCH_RUNS)
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSlider]')].some(s => s.innerText.includes('Décalage (mois)')"
        " && s.querySelector('input[type=range]').getAttribute('aria-valuetext') === '6')",
        timeout=30_000,
    )
    wait_run_over(page)  # the run of the move, not only the slider drawn at 6: the page settles before the save
    wait_in_view(page, ".st-key-kpi_strip")
    wait_in_view(page, '[data-testid="stSlider"]', "Décalage (mois)")
    page.screenshot(path=str(SHOTS / "atelier-2-decalage.png"))
    # 5. Save under a new name.
    page.get_by_role("button", name="Enregistrer sous…").first.click()
    name = page.get_by_role("textbox", name="Nom du scénario")
    name.wait_for(timeout=15_000)
    name.fill("Atelier 1280")
    # Enter submits the form, as a keyboard user does: at 1280×720 the popover's button can sit
    # outside the window (a fresh-clone run failed there for 30 s), the field never does.
    name.press("Enter")
    page.get_by_text("« Atelier 1280 » enregistré").first.wait_for(timeout=30_000)
    wait_idle(page)
    # 6. Compare with the reference (through the menu, in the same session): the cut is named by owner and year.
    go_to(page, "Atelier", "Comparer")
    page.get_by_text("Dépassement des enveloppes, par maître d'ouvrage et par année").first.wait_for(timeout=30_000)
    wait_idle(page)
    text = page.locator("[data-testid=stMain]").inner_text().replace(NBSP, " ")
    assert "Scénario en cours : Atelier 1280" in text  # the session went on
    assert "2027 : 55,0 M€ au lieu de 66,0 M€" in text
    assert re.search(r"Ville 2027 : dépassement \+\d+,\d M€", text)
    page.screenshot(path=str(SHOTS / "atelier-3-comparer.png"))
    # 7. Propose a phasing: the plan and its timer come on the screen.
    go_to(page, "Atelier", "Proposer un phasage")
    page.locator(".st-key-kpi_strip [data-testid='stMetric']").first.wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("spinbutton", name="Temps de l'optimiseur (s)").fill("5")
    page.get_by_role("button", name="Proposer un phasage").click()
    page.wait_for_function(
        "() => { const inView = (e) => { const r = e.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; };"
        " const plan = [...document.querySelectorAll('h3')].find(h => h.innerText.includes('Proposition rapide'));"
        " return plan && inView(plan); }",
        timeout=30_000,
    )
    page.get_by_text("Vérifié par le simulateur").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SHOTS / "atelier-4-phasage.png"))
    assert exceptions(page) == []
