"""Sign-in end to end: a real OpenID Connect provider (``oidc-provider-mock``) on 127.0.0.1, the
app configured with ``[auth]`` against it, and Chromium signing in through the provider's form
as a declared arbitre (writes; the history names her), a declared lecteur (reads; a write is
refused), an unknown account (read-only, told whom to ask), then signing out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tests.browser_support import CHROMIUM, ROOT, exceptions, launch_browser, streamlit_server, wait_idle
from tests.oidc_support import auth_secrets, oidc_provider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]
SHOTS = ROOT / "test-output" / "screenshots"
CHART = "[data-testid=stVegaLiteChart] svg"
ACCOUNTS = [
    {"sub": "claire", "email": "claire@ville.example", "email_verified": True, "name": "Claire Contrib"},
    {"sub": "leo", "email": "leo@ville.example", "email_verified": True, "name": "Léo Lecteur"},
    {"sub": "inconnu", "email": "inconnu@ville.example", "email_verified": True, "name": "Ines Connue"},
]


@pytest.fixture
def team_db(tmp_path):
    database = tmp_path / "equipe.duckdb"
    store = Store.open(database, linger=0)
    store.add_person("Alice Admin", "administrateur", email="alice@ville.example")
    admin = store.as_user("Alice Admin")
    admin.add_person("Claire Contrib", "arbitre", email="claire@ville.example")
    admin.add_person("Léo Lecteur", "lecteur", email="leo@ville.example")
    return database


def _sign_in(browser, url: str, sub: str):
    """Through the app's « Se connecter » and the provider's own form, back to the app."""
    page = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="fr-FR").new_page()
    page.goto(f"{url}/arbitrage")
    wait_idle(page)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_placeholder("sub").fill(sub)  # the provider's page: a real redirect away from the app
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{url}/**")
    page.get_by_text("Connecté(e) :").first.wait_for(timeout=60_000)
    wait_idle(page)
    return page


def _sidebar(page) -> str:
    return page.locator('[data-testid="stSidebar"]').get_by_text("Connecté(e) :").first.inner_text()


def _save_as_scenario(page, name: str, url: str) -> None:
    if not page.url.rstrip("/").endswith("/arbitrage"):
        page.goto(f"{url}/arbitrage")
        wait_idle(page)
    page.get_by_role("button", name="Enregistrer sous…").click()
    field = page.get_by_label("Nom du scénario")
    field.fill(name)
    field.press("Enter")  # submits the form; the popover's button can sit outside a small window
    wait_idle(page)


def test_sign_in_as_arbitre_lecteur_and_unknown_then_sign_out(team_db, tmp_path):
    from playwright.sync_api import sync_playwright

    audit_log = tmp_path / "audit.jsonl"
    with (
        oidc_provider(ACCOUNTS) as issuer,
        streamlit_server(
            team_db,
            env={"SIMULATEUR_AUDIT_LOG": str(audit_log)},
            args=("--secrets.files", str(auth_secrets(tmp_path, issuer))),
        ) as (url, _),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)

        anonymous = browser.new_context().new_page()
        anonymous.goto(url)
        wait_idle(anonymous)
        anonymous.get_by_text("Lecture seule : connectez-vous").first.wait_for(timeout=30_000)
        anonymous.context.close()

        # A declared arbitre: may write, and the history names her.
        claire = _sign_in(browser, url, "claire")
        assert _sidebar(claire).startswith("Connecté(e) : Claire Contrib — arbitre")
        _save_as_scenario(claire, "Variante de Claire", url)
        claire.get_by_text("Scénario « Variante de Claire » enregistré").first.wait_for(timeout=30_000)
        history = Store.open(team_db, linger=0).history(scenario="Variante de Claire")
        assert [h.user for h in history] == ["Claire Contrib"]
        assert exceptions(claire) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        claire.locator(CHART).first.wait_for(timeout=60_000)
        wait_idle(claire)
        claire.screenshot(path=SHOTS / "connexion-arbitre.png")

        # Then signs out: back to « Se connecter », read-only.
        claire.get_by_role("button", name="Se déconnecter").click()
        end = claire.get_by_role("button", name="End session")  # the provider's own end-of-session page
        end.wait_for(timeout=30_000)
        end.click()
        claire.wait_for_url(f"{url}/**")
        claire.goto(url)
        wait_idle(claire)
        claire.get_by_role("button", name="Se connecter").wait_for(timeout=30_000)
        assert claire.get_by_text("Connecté(e) :").count() == 0
        claire.context.close()

        # A declared lecteur: reads, a write is refused by the store and nothing is written.
        leo = _sign_in(browser, url, "leo")
        assert _sidebar(leo).startswith("Connecté(e) : Léo Lecteur — lecteur")
        _save_as_scenario(leo, "Variante de Léo", url)
        refusal = leo.get_by_text("Refusé : Léo Lecteur (lecteur) ne peut pas enregistrer").first
        refusal.wait_for(timeout=30_000)
        assert "Variante de Léo" not in [i.name for i in Store.open(team_db, linger=0).list_scenarios()]
        assert exceptions(leo) == []
        leo.context.close()

        # An unknown account: read-only, told whom to ask.
        unknown = _sign_in(browser, url, "inconnu")
        text = _sidebar(unknown)
        assert "inconnu@ville.example » n'est pas une personne déclarée : lecture seule" in text
        assert "Demandez à Alice Admin" in text
        assert exceptions(unknown) == []
        unknown.locator(CHART).first.wait_for(timeout=60_000)
        wait_idle(unknown)
        unknown.screenshot(path=SHOTS / "connexion-inconnu.png")
        browser.close()

    # The security team's log: each sign-in, the sign-out, the write and the refusal.
    lines = [json.loads(line) for line in audit_log.read_text(encoding="utf-8").splitlines()]
    events = [(line["person"], line["action"], line["result"]) for line in lines]
    for email in ("claire@ville.example", "leo@ville.example", "inconnu@ville.example"):
        assert (email, "connexion", "connexion") in events
    assert ("claire@ville.example", "déconnexion", "déconnexion") in events
    assert ("Claire Contrib", "scénario « Variante de Claire » créé", "écrit") in events
    assert ("leo@ville.example", "save_scenario", "refusé") in events
    assert {line["mode"] for line in lines} == {"OpenID Connect"}
