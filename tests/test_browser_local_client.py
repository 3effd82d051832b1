"""A poste local reached from another machine: the store refuses its writes and the sidebar says
why (``./dev app`` listens on 127.0.0.1 only; this is the app started by hand on every interface)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from store import Store
from tests.browser_support import CHROMIUM, exceptions, launch_browser, pick_option, streamlit_server, wait_idle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium absent : ./dev test l'installe"),
]


def _own_address() -> str | None:
    """This machine's address on its network (not a loopback one), or None without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_poste_local_refuses_a_session_from_another_address(tmp_path):
    from playwright.sync_api import sync_playwright

    address = _own_address()
    if address is None:
        pytest.skip("aucune interface réseau autre que la boucle locale sur cette machine")
    database = tmp_path / "poste.duckdb"
    Store.open(database, linger=0).add_person("Admin", "administrateur")
    with (
        streamlit_server(database, args=("--server.address", "0.0.0.0")) as (url, _),
        sync_playwright() as playwright,
    ):
        browser = launch_browser(playwright)
        page = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
        page.goto(url.replace("127.0.0.1", address))
        wait_idle(page)
        pick_option(page, page.locator('[data-testid="stSelectbox"]').filter(has_text="Vous êtes"), "Admin")
        wait_idle(page)
        refusal = page.get_by_text("les modifications ne sont acceptées que depuis la machine elle-même").first
        refusal.wait_for(timeout=30_000)
        assert f"cette session vient de {address}" in refusal.inner_text()
        # No « Personnes et droits » either: the store does not see an administrateur here.
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("Personnes et droits").count() == 0
        assert exceptions(page) == []
        browser.close()
