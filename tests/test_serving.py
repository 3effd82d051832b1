"""``./dev app`` serves this machine only; ``./dev serve`` refuses the network without sign-in."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.browser_support import ROOT, free_port
from ui import serving

AUTH = """
[auth]
redirect_uri = "https://simulateur.ville.example/oauth2callback"
cookie_secret = "un-secret-long-et-aleatoire-de-trente-deux-caracteres"
client_id = "simulateur"
client_secret = "secret"
server_metadata_url = "https://annuaire.ville.example/.well-known/openid-configuration"
"""


def _secrets(tmp_path: Path, text: str) -> list[Path]:
    path = tmp_path / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return [path]


def test_no_sign_in_is_refused_in_french(tmp_path):
    message = serving.refusal({}, [tmp_path / "absent.toml"], "0.0.0.0")
    assert message is not None
    assert message.startswith("Refusé : servir l'application sur le réseau demande une identification")
    assert "aucune section [auth]" in message


def test_oidc_configured_may_serve_any_address(tmp_path):
    assert serving.refusal({}, _secrets(tmp_path, AUTH), "0.0.0.0") is None


def test_oidc_with_a_provider_subsection_is_configured(tmp_path):
    text = AUTH.replace('client_id = "simulateur"', '[auth.annuaire]\nclient_id = "simulateur"')
    assert serving.auth_problem(_secrets(tmp_path, text)) is None


def test_incomplete_auth_section_names_what_is_missing(tmp_path):
    text = AUTH.replace('cookie_secret = "un-secret-long-et-aleatoire-de-trente-deux-caracteres"\n', "")
    assert serving.auth_problem(_secrets(tmp_path, text)) == "la section [auth] n'a pas cookie_secret"
    message = serving.refusal({}, _secrets(tmp_path, text), "127.0.0.1")
    assert message is not None and "cookie_secret" in message


def test_trusted_header_only_behind_a_local_proxy(tmp_path):
    env = {serving.TRUSTED_HEADER_ENV: "X-Remote-User"}
    none = [tmp_path / "absent.toml"]
    assert serving.refusal(env, none, "127.0.0.1") is None
    refused = serving.refusal(env, none, "0.0.0.0")
    assert refused is not None and "127.0.0.1 seulement" in refused and "0.0.0.0" in refused


def test_the_address_is_never_an_option_and_always_last():
    command = serving.streamlit_command("python", {}, "127.0.0.1", "8501", ["--server.port", "9000"])
    assert command[-2:] == ["--server.address", "127.0.0.1"]
    assert command.count("--server.port") == 1 and "9000" in command
    assert serving.main(["local", "--server.address=0.0.0.0"]) == 2


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMULATEUR_")}
    return env | {"SIMULATEUR_DB": str(tmp_path / "app.duckdb"), "SIMULATEUR_SECRETS": str(tmp_path / "aucun.toml")}


def test_dev_serve_refuses_to_start_without_sign_in(tmp_path):
    done = subprocess.run(
        [str(ROOT / "dev"), "serve"], capture_output=True, text=True, timeout=300, env=_clean_env(tmp_path)
    )
    assert done.returncode == 2
    assert "Refusé : servir l'application sur le réseau demande une identification" in done.stderr
    assert "Traceback" not in done.stderr


def _listening(port: int) -> list[str]:
    """Local addresses listening on ``port`` (``/proc/net/tcp`` and ``tcp6``), as hex."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    found.append(local.rsplit(":", 1)[0])
    return found


def test_dev_app_listens_on_this_machine_only(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.serving", "local", "--server.port", str(port)],
        cwd=ROOT,
        env=_clean_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert process.poll() is None and time.monotonic() < deadline, "streamlit n'a pas démarré"
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.2)
        assert _listening(port) == ["0100007F"]  # 127.0.0.1, and nothing else (not 0.0.0.0, not ::)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
