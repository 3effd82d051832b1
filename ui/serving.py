"""Starting Streamlit: the laptop (``./dev app``, this machine only) or the network (``./dev serve``).

Serving the network is a deliberate act with a command of its own, because on a "poste local"
anybody who reaches the page can pick an administrateur's name. ``./dev serve`` therefore
refuses to start, in French, unless people sign in (OpenID Connect, ``[auth]`` in the secrets
file) or a trusted proxy names them (``SIMULATEUR_TRUSTED_HEADER``), and in the header mode it
listens on the loopback only, where nobody but the proxy can set that header.

No Streamlit import here: the check runs before Streamlit starts, and is tested as plain code.
"""

from __future__ import annotations

import ipaddress
import os
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRUSTED_HEADER_ENV = "SIMULATEUR_TRUSTED_HEADER"
SECRETS_ENV = "SIMULATEUR_SECRETS"
ADDRESS_ENV = "SIMULATEUR_ADDRESS"
PORT_ENV = "SIMULATEUR_PORT"
LOCAL_ADDRESS = "127.0.0.1"
_AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")


def secrets_files(env: Mapping[str, str]) -> list[Path]:
    """The files Streamlit reads secrets from: ``$SIMULATEUR_SECRETS`` if set, else its defaults."""
    configured = env.get(SECRETS_ENV, "").strip()
    if configured:
        return [Path(configured)]
    return [Path.home() / ".streamlit" / "secrets.toml", ROOT / ".streamlit" / "secrets.toml"]


def auth_problem(files: Sequence[Path]) -> str | None:
    """None when an ``[auth]`` section can sign people in; else what is missing, in French."""
    auth: dict = {}
    for path in files:
        if not path.is_file():
            continue
        try:
            auth |= tomllib.loads(path.read_text(encoding="utf-8")).get("auth") or {}
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            return f"le fichier de secrets {path} est illisible ({type(exc).__name__})"
    if not auth:
        return "aucune section [auth] dans les secrets"
    providers = [v for v in auth.values() if isinstance(v, dict)] or [auth]
    if not any(all(p.get(k) for k in _AUTH_KEYS) for p in [auth, *providers]):
        return "la section [auth] n'a pas client_id, client_secret et server_metadata_url"
    missing = [k for k in ("redirect_uri", "cookie_secret") if not auth.get(k)]
    if missing:
        return f"la section [auth] n'a pas {' ni '.join(missing)}"
    return None


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


def refusal(env: Mapping[str, str], files: Sequence[Path], address: str) -> str | None:
    """Why ``./dev serve`` must not start (French), or None when it may."""
    if auth_problem(files) is None:
        return None
    if env.get(TRUSTED_HEADER_ENV, "").strip():
        if is_loopback(address):
            return None
        return (
            f"Refusé : avec l'en-tête de confiance ({TRUSTED_HEADER_ENV}), l'application doit écouter "
            f"127.0.0.1 seulement (adresse demandée : {address}) : sinon n'importe qui pourrait poser "
            "l'en-tête lui-même et se faire passer pour un administrateur. Mettez le proxy de la Ville "
            "devant (voir deploy/README.md)."
        )
    return (
        "Refusé : servir l'application sur le réseau demande une identification. Configurez "
        f"l'authentification OpenID Connect (section [auth] des secrets : {auth_problem(files)}) ou "
        f"l'en-tête posé par le proxy de la Ville ({TRUSTED_HEADER_ENV}=X-Remote-User), voir "
        "deploy/README.md. Pour un portable d'atelier, ./dev app sert ce poste seulement."
    )


def streamlit_command(
    python: str, env: Mapping[str, str], address: str, port: str, extra: Sequence[str] = ()
) -> list[str]:
    command = [python, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true"]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false", *extra]
    if env.get(SECRETS_ENV, "").strip():
        command += ["--secrets.files", env[SECRETS_ENV].strip()]
    if not any(a.startswith("--server.port") for a in extra):
        command += ["--server.port", port]
    return [*command, "--server.address", address]


def main(argv: Sequence[str]) -> int:
    """``python -m ui.serving local|network [streamlit options]``: check, then become Streamlit."""
    kind, extra = (argv[0] if argv else "local"), list(argv[1:])
    env = os.environ
    if any(a.startswith("--server.address") for a in extra):
        print(
            "Refusé : l'adresse d'écoute ne se choisit pas en option. ./dev app sert ce poste seulement "
            f"(127.0.0.1) ; ./dev serve lit {ADDRESS_ENV} (voir deploy/README.md).",
            file=sys.stderr,
        )
        return 2
    if kind == "local":
        address, port = LOCAL_ADDRESS, env.get(PORT_ENV, "8501")
    else:
        address, port = env.get(ADDRESS_ENV, LOCAL_ADDRESS).strip(), env.get(PORT_ENV, "8501").strip()
        refused = refusal(env, secrets_files(env), address)
        if refused:
            print(refused, file=sys.stderr)
            return 2
    command = streamlit_command(sys.executable, env, address, port, extra)
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
