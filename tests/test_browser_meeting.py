"""In Chromium, in projector mode at 1280×720: an arbitre runs a meeting end to end — create,
agenda, start, three decisions with actions, close — and takes the Word minutes away; an overdue
action then shows on Synthèse and in its owner's inbox. Screenshots of Réunions and À traiter,
desk and projector, at 1280×720 and 1920×1080, go to test-output/screenshots/."""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from store import Store
from tests import browser_support as web
from tests.browser_support import CHROMIUM, ROOT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"
MEETING = "Copil de décembre"


@pytest.fixture
def team_db(tmp_path):
    database = tmp_path / "equipe.duckdb"
    store = Store.open(database)
    store.add_person("Ada", "administrateur")
    admin = store.as_user("Ada")
    admin.add_person("Arnaud", "arbitre")
    admin.add_person("Sam", "contributeur", ("Sports",))
    store.close()
    return database


def _pick_person(page, name: str, role: str) -> None:
    web.wait_idle(page)
    _select(page, "Vous êtes", name)
    web.wait_idle(page)
    # A state the app shows: the caption under the picker names the role of the person picked.
    page.locator('[data-testid="stSidebar"]').get_by_text(f"({role}").first.wait_for(timeout=30_000)


def _select(page, label: str, option: str, *, in_form: bool = False) -> None:
    web.choose(page, page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first, option, in_form=in_form)


def _date(page, label: str, when: date) -> None:
    field = page.locator('[data-testid="stDateInput"]').filter(has_text=label).locator("input")
    if field.get_attribute("type") == "date":  # the browser's own date field takes ISO dates
        field.fill(when.isoformat())
    else:
        field.fill(when.strftime("%d/%m/%Y"))
        field.press("Enter")


def _flashed(page, message: str) -> None:
    """Wait for a write's success message, then for the end of the run that shows it: a write
    reruns the page, whose old elements stay on screen (a second « ou sujet libre » field) until
    that run ends."""
    page.get_by_text(message).first.wait_for(timeout=30_000)
    web.wait_idle(page)


def _decide(page, item: str, text: str, action: str, owner: str, due: date, kind: str) -> None:
    choice = page.locator('[data-testid="stRadio"] label').filter(has_text=item)
    if not choice.locator("input").is_checked():  # the first item is the current one already: no run
        web.after_rerun(page, choice.click)
    form = page.locator('[data-testid="stForm"]').filter(has_text="Décision").first
    form.get_by_label("Décision").fill(text)
    form.get_by_label("Action (facultative)").fill(action)
    form.get_by_label("Responsable").fill(owner)
    _date(page, "Échéance", due)
    web.after_rerun(page, form.get_by_role("button", name=kind).click)
    _flashed(page, f"Décision « {kind} » enregistrée.")


def test_projector_minute_taking_end_to_end(team_db, tmp_path):
    from playwright.sync_api import sync_playwright

    late = date.today() - timedelta(days=3)
    later = date.today() + timedelta(days=30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with web.streamlit_server(team_db) as (url, _), sync_playwright() as playwright:
        browser = web.launch_browser(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/reunions")
        web.wait_idle(page)
        _pick_person(page, "Arnaud", "arbitre")
        web.projector_on(page)

        page.get_by_role("button", name="Nouvelle réunion").click()
        popover = page.locator('[data-testid="stPopoverBody"]')
        popover.get_by_label("Nom", exact=True).fill(MEETING)
        _select(page, "Type", "Comité de pilotage", in_form=True)
        popover.get_by_label("Participants").fill("Arnaud\nMme Durand (Métropole)")
        web.after_rerun(page, popover.get_by_role("button", name="Créer").click)
        _flashed(page, f"Réunion « {MEETING} » créée.")
        if popover.is_visible():  # a popover stays open after its form's run: close it as a person would
            page.keyboard.press("Escape")
        popover.wait_for(state="hidden", timeout=30_000)

        for operation in ("CNSM-01", "CNSM-02"):
            _select(page, "Opération", f"{operation} –", in_form=True)
            web.after_rerun(page, page.get_by_role("button", name="Ajouter à l'ordre du jour").click)
            _flashed(page, "Point ajouté.")
        page.get_by_label("ou sujet libre").fill("Budget 2027")
        web.after_rerun(page, page.get_by_role("button", name="Ajouter à l'ordre du jour").click)
        page.locator("h5").filter(has_text="3. Budget 2027").wait_for(timeout=30_000)
        web.after_rerun(page, page.get_by_role("button", name="Ouvrir la séance").click)
        _flashed(page, "Séance ouverte.")

        _decide(page, "1. CNSM-01", "Report d'un an du groupe scolaire", "Revoir le phasage", "Sam", late, "Reportée")
        page.screenshot(path=str(SHOTS / "reunions-seance-projecteur-1280x720.png"))
        _decide(page, "2. CNSM-02", "Surface réduite de 10 %", "Chiffrer la variante", "Sports", later, "Réduite")
        _decide(page, "3. Budget 2027", "Enveloppe 2027 à instruire", "Note à la DGA", "Arnaud", later, "À instruire")
        assert web.exceptions(page) == []
        web.after_rerun(page, page.get_by_role("button", name="Clore la séance").click)
        _flashed(page, "Séance close : le relevé de décisions est figé.")

        with page.expect_download() as download:
            page.get_by_role("button", name="Relevé de décisions (Word)").click()
        path = tmp_path / "releve.docx"
        download.value.save_as(path)
        xml = zipfile.ZipFile(path).read("word/document.xml").decode().replace("\u00a0", " ")

        page.goto(f"{url}/?projecteur=true")
        web.wait_idle(page)
        page.get_by_text("1 action en retard").wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "synthese-actions-en-retard-projecteur-1280x720.png"), full_page=True)
        assert web.exceptions(page) == []
        browser.close()

    store = Store.open(team_db, linger=0)
    meeting = store.meeting(MEETING)
    assert meeting.state == "close" and [d.kind for d in meeting.decisions] == ["reportee", "reduite", "a_instruire"]
    assert [a.owner for d in meeting.decisions for a in d.actions] == ["Sam", "Sports", "Arnaud"]
    version = store.reference_scenario().info.version
    for text in (
        "Report d'un an du groupe scolaire",
        "Surface réduite de 10 %",
        "Enveloppe 2027 à instruire",
        "Revoir le phasage",
        "Chiffrer la variante",
        "Note à la DGA",
        f"version {version}",
        "Mme Durand",
    ):
        assert text in xml, text
    spending = meeting.decisions[0].kpis["spending_ttc"] / 1e6
    assert f"Crédits de paiement TTC {spending:.1f}".replace(".", ",") + " M€" in xml
    inbox = store.as_user("Sam").inbox()
    assert [a.text for a in inbox.actions][:1] == ["Revoir le phasage"] and inbox.actions[0].overdue()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_screenshots_of_a_meeting_in_progress_and_a_inbox(team_db, size):
    from playwright.sync_api import sync_playwright

    store = Store.open(team_db, linger=0)
    arbitre = store.as_user("Arnaud")
    arbitre.create_meeting(MEETING, date.today().isoformat(), "copil", participants=["Mme Durand (Métropole)"])
    for operation in ("CNSM-01", "CNSM-02"):
        arbitre.add_agenda_item(MEETING, operation=operation)
    arbitre.start_meeting(MEETING)
    late = (date.today() - timedelta(days=2)).isoformat()
    arbitre.add_decision(
        MEETING, "reportee", "Report d'un an", operation="CNSM-01", actions=[("Revoir", "Arnaud", late)]
    )
    store.as_user("Sam").add_comment("CNSM-01", "Le gymnase peut-il attendre ?", question=True, to="Sports")
    store.close()
    width, height = size
    SHOTS.mkdir(parents=True, exist_ok=True)
    with web.streamlit_server(team_db) as (url, _), sync_playwright() as playwright:
        browser = web.launch_browser(playwright)
        page = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR").new_page()
        page.goto(f"{url}/reunions")
        web.wait_idle(page)
        _pick_person(page, "Arnaud", "arbitre")
        _select(page, "Réunion", f"{date.today():%d/%m/%Y} — {MEETING}")
        for mode in ("bureau", "projecteur"):
            if mode == "projecteur":  # the meeting chosen stays chosen
                web.projector_on(page)
            page.get_by_text("Ordre du jour").first.wait_for(timeout=30_000)
            page.screenshot(path=str(SHOTS / f"reunions-{mode}-{width}x{height}.png"))
            assert web.exceptions(page) == []
        browser.close()
