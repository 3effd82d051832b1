"""A real OpenID Connect provider on 127.0.0.1 for the browser tests: ``oidc-provider-mock``
(PyPI), a server issuing real signed tokens through the real authorisation-code flow, and the
``[auth]`` secrets that point a test copy of the app at it."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.browser_support import free_port, serving


@contextmanager
def oidc_provider(accounts: Sequence[dict[str, object]]) -> Iterator[str]:
    """Start the provider with ``accounts`` (claims, each with its ``sub``); yields its issuer URL."""
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for claims in accounts:
        command += ["--user-claims", json.dumps(claims)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    issuer = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1).close()
        return True

    with serving(process, answers, "le fournisseur OpenID Connect n'a pas démarré : ", seconds=30):
        yield issuer


def auth_secrets(folder: Path, issuer: str) -> Path:
    """A secrets file whose ``[auth]`` signs in through ``issuer`` ({port}: the app's own port)."""
    path = folder / "secrets.toml"
    path.write_text(
        f"""[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "secret-de-test-des-cookies-de-connexion-0123456789"
client_id = "simulateur-test"
client_secret = "secret-du-client-de-test"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
""",
        encoding="utf-8",
    )
    return path
