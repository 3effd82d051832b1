"""The app through a real nginx (the recipe's files in ``deploy/nginx/``) on 127.0.0.1: a lever
move crosses the websocket; a client's own ``X-Remote-User`` is replaced by the proxy's; a body
over the upload cap is refused by nginx before it reaches the app."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from store import Store
from tests.browser_support import CHROMIUM, exceptions, launch_browser, streamlit_server, wait_idle
from tests.nginx_support import NGINX, nginx_proxy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx absent : ./dev test l'installe (nginx-light)"),
]
LEVER = "Actualisation des prix"
CHART_SVG = "[data-testid=stVegaLiteChart] svg"
CHANGED = (
    "before => { const s = document.querySelector('[data-testid=stVegaLiteChart] svg');"
    " return s && s.innerHTML !== before; }"
)
PASSWORDS = {"lea": "mot-de-passe-de-lea"}
HEADER_MODE = {"SIMULATEUR_TRUSTED_HEADER": "X-Remote-User"}
PROXY_NAMED = "Identifié(e) par le proxy de la Ville : "


@pytest.fixture
def team_db(tmp_path):
    database = tmp_path / "equipe.duckdb"
    store = Store.open(database, linger=0)
    store.add_person("Admin", "administrateur")
    store.as_user("Admin").add_person("lea", "arbitre")
    return database


def _page_as(browser, url: str, forged: str, login: str | None = None):
    """A page whose every request (the websocket's too) carries ``X-Remote-User: forged``."""
    credentials = {"username": login, "password": PASSWORDS[login]} if login else None
    context = browser.new_context(
        viewport={"width": 1600, "height": 1000},
        http_credentials=credentials,
        extra_http_headers={"X-Remote-User": forged},
    )
    page = context.new_page()
    page.goto(f"{url}/arbitrage")
    wait_idle(page)
    return page


def _caption(page) -> str:
    caption = page.locator('[data-testid="stSidebar"]').get_by_text(PROXY_NAMED).first
    caption.wait_for(timeout=30_000)
    return caption.inner_text()


def test_through_nginx_levers_move_and_the_proxy_names_the_person(team_db, tmp_path):
    from playwright.sync_api import sync_playwright

    with (
        streamlit_server(team_db, env=HEADER_MODE) as (app_url, _),
        nginx_proxy(tmp_path / "nginx", [int(app_url.rsplit(":", 1)[1])], PASSWORDS) as proxy_url,
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)

        # Without the proxy, the header a browser sends is believed: what nginx is there to stop.
        direct = _page_as(browser, app_url, forged="Admin")
        assert _caption(direct).startswith(PROXY_NAMED + "Admin")
        direct.context.close()

        page = _page_as(browser, proxy_url, forged="Admin", login="lea")
        caption = _caption(page)
        assert caption.startswith(PROXY_NAMED + "lea — arbitre"), caption
        assert "Admin" not in caption

        page.locator(CHART_SVG).first.wait_for(timeout=30_000)
        before = page.locator(CHART_SVG).first.inner_html()
        lever = page.locator('[data-testid="stSlider"]').filter(has_text=LEVER)
        slider, shown = lever.get_by_role("slider"), lever.locator('[data-testid="stSliderThumbValue"]')
        value = shown.inner_text()
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(CHANGED, arg=before, timeout=30_000)  # the rerun came back over the websocket
        wait_idle(page)
        assert shown.inner_text() != value
        assert exceptions(page) == []
        browser.close()
    log = (tmp_path / "nginx" / "access.log").read_text()
    assert '"GET /_stcore/stream HTTP/1.1" 101' in log  # the websocket went through nginx


def _put(url: str, size: int) -> tuple[int, str]:
    token = base64.b64encode(f"lea:{PASSWORDS['lea']}".encode()).decode()
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/session/fichier",
        data=b"x" * size,
        method="PUT",
        headers={"Authorization": f"Basic {token}", "Content-Type": "application/octet-stream"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Server", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Server", "")


def test_nginx_refuses_a_body_over_the_upload_cap(team_db, tmp_path):
    with (
        streamlit_server(team_db, env=HEADER_MODE) as (app_url, _),
        nginx_proxy(tmp_path / "nginx", [int(app_url.rsplit(":", 1)[1])], PASSWORDS) as proxy_url,
    ):
        over, server = _put(proxy_url, 12 * 1024 * 1024)
        assert over == 413 and server.startswith("nginx")
        # A body of the cap's size reaches the app (which refuses this fake upload by itself, not 413).
        within, _server = _put(proxy_url, 10 * 1024 * 1024)
        assert within != 413
    log = (tmp_path / "nginx" / "access.log").read_text()
    assert '"PUT /_stcore/upload_file/session/fichier HTTP/1.1" 413' in log
