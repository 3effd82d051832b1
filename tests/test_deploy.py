"""The recipe in ``deploy/``, run here as far as a test machine allows: the backup timer's own
command writes a copy while the store is in use, the restore test reads it back, a restore
(the copy put in the database's place) gives back the same portfolio, people and history, and
the upstream block follows the number of processes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from store import Store
from tests.browser_support import ROOT

DEPLOY = ROOT / "deploy"


def _unit_command(unit: str, key: str) -> str:
    """A unit's command as systemd runs it (``%%`` is a percent sign), from this checkout."""
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(f"{key}="))
    return line.removeprefix(f"{key}=").replace("%%", "%").replace("/opt/simulateur", str(ROOT))


def _run_backup_unit(
    key: str, env: dict[str, str], *, timeout: float, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The backup unit's ``key`` command, run by the shell as systemd would, its output captured."""
    return subprocess.run(
        _unit_command("simulateur-sauvegarde.service", key),
        shell=True,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _env(tmp_path: Path, database: Path) -> dict[str, str]:
    settings = {}
    for line in (DEPLOY / "simulateur.env").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key] = value
    assert settings["SIMULATEUR_BACKUP_USER"] == "Sauvegarde automatique"
    settings |= {"SIMULATEUR_DB": str(database), "SIMULATEUR_BACKUP_DIR": str(tmp_path / "sauvegardes")}
    settings["SIMULATEUR_AUDIT_LOG"] = str(tmp_path / "audit.jsonl")
    return {**os.environ, **settings, "PYTHON": str(ROOT / ".venv" / "bin" / "python")}


def _state(store: Store) -> tuple:
    return (
        store.portfolio(),
        [(p.name, p.role, p.email) for p in store.people()],
        [(c.id, c.user, c.action) for c in store.change_sets()],
    )


def test_backup_timer_command_then_restore_test_then_restore(tmp_path):
    database = tmp_path / "simulateur.duckdb"
    store = Store.open(database, linger=0)
    store.add_person("Alice Admin", "administrateur", email="alice@ville.example")
    store.as_user("Alice Admin").add_person("Sauvegarde automatique", "lecteur")
    before = _state(store)
    env = _env(tmp_path, database)

    backup = _run_backup_unit("ExecStart", env, timeout=120, cwd=ROOT)
    assert backup.returncode == 0, backup.stderr
    copies = list((tmp_path / "sauvegardes").glob("simulateur-*.duckdb"))
    assert len(copies) == 1 and re.fullmatch(r"simulateur-\d{4}-\d{2}-\d{2}-\d{4}\.duckdb", copies[0].name)

    # The timer's clean-up keeps recent copies.
    cleanup = _run_backup_unit("ExecStartPost", env, timeout=60)
    assert cleanup.returncode == 0, cleanup.stderr
    assert copies[0].exists()

    checked = subprocess.run(
        [str(DEPLOY / "verifier-sauvegarde.sh")], env=env, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    operations = len(before[0].operations)
    assert f"restaurée à l'essai : {operations} opérations" in checked.stdout
    assert f"2 personnes, {len(before[2])} lots dans l'historique" in checked.stdout

    # A restore as deploy/README.md says: the copy in the database's place.
    store.as_user("Alice Admin").remove_person("Sauvegarde automatique")
    store.close()
    shutil.copyfile(copies[0], database)
    assert _state(Store.open(database, linger=0)) == before


def test_restore_test_refuses_a_damaged_copy(tmp_path):
    damaged = tmp_path / "simulateur-2027-03-01-0200.duckdb"
    damaged.write_bytes(b"pas une base" * 100)
    env = {**os.environ, "PYTHON": str(ROOT / ".venv" / "bin" / "python")}
    checked = subprocess.run(
        [str(DEPLOY / "verifier-sauvegarde.sh"), str(damaged)], env=env, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 1
    assert "illisible" in checked.stderr and "Traceback" not in checked.stderr


def test_upstream_has_one_server_per_process():
    out = subprocess.run(["bash", str(DEPLOY / "upstream.sh"), "3"], capture_output=True, text=True, check=True)
    assert re.findall(r"server 127\.0\.0\.1:(\d+);", out.stdout) == ["8501", "8502", "8503"]
    assert "hash $simulateur_route consistent;" in out.stdout
    assert "simulateur@8501 simulateur@8502 simulateur@8503" in out.stderr
    shipped = (DEPLOY / "nginx" / "simulateur-upstream.conf").read_text(encoding="utf-8")
    assert (
        shipped
        == subprocess.run(["bash", str(DEPLOY / "upstream.sh"), "2"], capture_output=True, text=True, check=True).stdout
    )


def test_recipe_caps_uploads_at_the_import_cap_plus_its_envelope():
    proxy = (DEPLOY / "nginx" / "simulateur-proxy.conf").read_text(encoding="utf-8")
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "maxUploadSize = 10" in config
    assert re.search(r"^client_max_body_size 11m;", proxy, re.MULTILINE)
    assert "proxy_set_header X-Remote-User $simulateur_user;" in proxy
    assert "proxy_set_header Upgrade $http_upgrade;" in proxy
