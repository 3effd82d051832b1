"""Debian's nginx in front of app processes on 127.0.0.1, with the recipe's own files.

The test configuration includes ``deploy/nginx/simulateur-http.conf`` (sticky route, websocket,
the person) and ``deploy/nginx/simulateur-proxy.conf`` (upload cap, headers, timeouts) as they
ship; only what differs on a test machine is written here: the port, plain HTTP instead of TLS,
a password file for the proxy's sign-in, and the upstream's ports (``deploy/upstream.sh``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.browser_support import ROOT, free_port, serving

NGINX = "/usr/sbin/nginx"
DEPLOY = ROOT / "deploy" / "nginx"


def upstream_block(ports: Sequence[int]) -> str:
    """The upstream block of ``deploy/upstream.sh``, for these ports."""
    script = subprocess.run(
        ["bash", str(ROOT / "deploy" / "upstream.sh"), str(len(ports))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for index, port in enumerate(ports, start=1):
        script = script.replace(f"127.0.0.1:{8500 + index};", f"127.0.0.1:{port};")
    return script


@contextmanager
def nginx_proxy(folder: Path, app_ports: Sequence[int], users: dict[str, str]) -> Iterator[str]:
    """nginx on a free port of 127.0.0.1 in front of ``app_ports``; ``users``: login → password
    (the proxy's HTTP sign-in, whose login becomes the trusted header). Yields its base URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (folder / "htpasswd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()), encoding="utf-8")
    user = "user root;" if os.geteuid() == 0 else ""  # workers read the test's private folder
    config = folder / "nginx.conf"
    config.write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format simulateur '$remote_addr $remote_user "$request" $status route=$simulateur_route upstream=$upstream_addr';
    access_log {folder}/access.log simulateur;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {DEPLOY / "simulateur-http.conf"};
    {upstream_block(app_ports)}
    server {{
        listen 127.0.0.1:{port};
        auth_basic "Simulateur NPNRU";
        auth_basic_user_file {folder}/htpasswd;
        include {DEPLOY / "simulateur-proxy.conf"};
    }}
}}
""",
        encoding="utf-8",
    )
    checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(config)], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"configuration nginx refusée : {checked.stderr}")
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        # nginx answers 401 without a password: it is up
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).close()
        return True

    with serving(process, answers, "nginx n'a pas démarré : ", seconds=30):
        yield url
