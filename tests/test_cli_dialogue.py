"""The dialogue and meeting command lines, with the fixed commands and JSON keys of issue 18.

Most commands run in-process through ``cli.main.main`` (the same parser and handlers as
``python -m simulation``); one test runs two real processes commenting at once, and the digest
is sent to a real local SMTP server (aiosmtpd) started here.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main
from store import Store
from tests.test_store_dialogue import snapshot

OP, OP2, OP3 = "CNSM-01", "CNSM-02", "CNSM-03"


def _copil_decision(operation: str, kind: str, text: str, *more: str) -> list[str]:
    """The command line of a decision on ``operation`` at the Copil de décembre."""
    return ["decision", "add", "Copil de décembre", "--operation", operation, "--kind", kind, "--text", text, *more]


ROOT = Path(__file__).resolve().parents[1]


def run(db: Path, user: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["--db", str(db), "--user", user, *args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def ok(db: Path, user: str, *args: str) -> str:
    code, out, err = run(db, user, *args)
    assert code == 0, err
    return out


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "db.duckdb"
    ok(path, "x", "users", "add", "Ada", "--role", "administrateur")
    for name, role, direction in [
        ("Sam", "contributeur", "Sports"),
        ("Eva", "contributeur", "Éducation"),
        ("Arnaud", "arbitre", None),
    ]:
        ok(path, "Ada", "users", "add", name, "--role", role, *(["--direction", direction] if direction else []))
    Store.open(path).close()
    return path


def test_a_sports_question_answered_by_education(db):
    out = ok(
        db,
        "Sam",
        "comment",
        "add",
        "--operation",
        OP,
        "Le gymnase peut-il attendre ?",
        "--question",
        "--to",
        "Éducation",
    )
    assert "Question n° 1" in out
    inbox = json.loads(ok(db, "Eva", "inbox", "--json"))
    assert set(inbox) == {"questions", "actions"} and [q["id"] for q in inbox["questions"]] == [1]
    assert json.loads(ok(db, "Sam", "inbox", "--json"))["questions"] == []
    ok(db, "Eva", "comment", "reply", "1", "Oui, d'un an.")
    thread = json.loads(ok(db, "Sam", "comment", "list", "--operation", OP, "--json"))
    keys = {"id", "at", "user", "operation", "text", "question", "to", "status", "reply_to"}
    assert all(keys <= set(c) for c in thread)
    assert [(c["user"], c["question"], c["to"], c["status"], c["reply_to"]) for c in thread] == [
        ("Sam", True, "Éducation", "repondue", None),
        ("Eva", False, None, None, 1),
    ]
    assert json.loads(ok(db, "Eva", "inbox", "--json"))["questions"] == []
    ok(db, "Sam", "comment", "close", "1")
    assert json.loads(ok(db, "Sam", "comment", "list", "--operation", OP, "--json"))[0]["status"] == "close"
    history = json.loads(ok(db, "Ada", "history", "--json"))
    assert {"Sam", "Eva"} <= {h["user"] for h in history if h["kind"] in {"question", "réponse"}}


def test_a_meeting_end_to_end(db, tmp_path):
    late = (date.today() - timedelta(days=3)).isoformat()
    soon = (date.today() + timedelta(days=10)).isoformat()
    ok(
        db,
        "Arnaud",
        "meeting",
        "create",
        "Copil de décembre",
        "--date",
        date.today().isoformat(),
        "--kind",
        "copil",
        "--participant",
        "Arnaud",
        "--participant",
        "Mme Durand (Métropole)",
    )
    ok(db, "Arnaud", "meeting", "agenda", "Copil de décembre", "--operation", OP)
    ok(db, "Sam", "meeting", "agenda", "Copil de décembre", "--topic", "Budget 2027")
    before = snapshot(Store.open(db))
    code, _, err = run(db, "Arnaud", *_copil_decision(OP, "validee", "x"))
    assert code == 1 and "en cours" in err and snapshot(Store.open(db)) == before  # planned: no decision yet
    ok(db, "Arnaud", "meeting", "start", "Copil de décembre")
    before = snapshot(Store.open(db))
    code, _, err = run(db, "Sam", *_copil_decision(OP, "validee", "x"))
    assert code == 1 and err.startswith("Erreur : Refusé : Sam") and snapshot(Store.open(db)) == before
    code, _, err = run(db, "Arnaud", *_copil_decision(OP, "validee", "x", "--action", "a", "--owner", "Sports"))
    assert code == 1 and "chaque --action demande un --owner et un --due" in err and snapshot(Store.open(db)) == before
    ok(
        db,
        "Arnaud",
        *_copil_decision(
            OP,
            "reportee",
            "Reportée d'un an",
            "--action",
            "Revoir le phasage",
            "--owner",
            "Sports",
            "--due",
            late,
            "--action",
            "Informer la CAF",
            "--owner",
            "Eva",
            "--due",
            soon,
        ),
    )
    ok(db, "Arnaud", *_copil_decision(OP2, "reduite", "Surface réduite"))
    ok(
        db,
        "Arnaud",
        "decision",
        "add",
        "Copil de décembre",
        "--topic",
        "Budget 2027",
        "--kind",
        "information",
        "--text",
        "Noté",
    )
    reduced = next(d for d in Store.open(db).meeting("Copil de décembre").decisions if d.kind == "reduite")
    before = snapshot(Store.open(db))
    code, _, err = run(db, "Sam", "action", "add", str(reduced.id), "Chiffrer", "--owner", "Arnaud", "--due", soon)
    assert code == 1 and err.startswith("Erreur : Refusé : Sam") and snapshot(Store.open(db)) == before
    added = ok(
        db, "Arnaud", "action", "add", str(reduced.id), "Chiffrer la variante", "--owner", "Arnaud", "--due", soon
    )
    assert added.endswith(f"ajoutée à la décision n° {reduced.id} : 1 action(s).\n")
    ok(db, "Arnaud", "meeting", "close", "Copil de décembre")
    code, _, err = run(db, "Arnaud", "action", "add", str(reduced.id), "Trop tard", "--owner", "Arnaud", "--due", soon)
    assert code == 1 and "est close" in err
    before = snapshot(Store.open(db))
    for args in (
        ["decision", "add", "Copil de décembre", "--operation", OP3, "--kind", "validee", "--text", "x"],
        ["meeting", "agenda", "Copil de décembre", "--topic", "x"],
        ["meeting", "start", "Copil de décembre"],
    ):
        code, _, err = run(db, "Ada", *args)
        assert code == 1 and "close" in err and "Traceback" not in err
    assert snapshot(Store.open(db)) == before

    shown = json.loads(ok(db, "Sam", "meeting", "show", "Copil de décembre", "--json"))
    assert {"name", "date", "kind", "state", "scenario", "participants", "items"} <= set(shown)
    assert (shown["kind"], shown["state"], shown["scenario"]) == ("copil", "close", None)
    assert [(i["operation"], i["topic"]) for i in shown["items"]] == [(OP, None), (None, "Budget 2027"), (OP2, None)]
    decision = shown["items"][0]["decisions"][0]
    assert {"id", "kind", "text", "user", "at", "scenario", "scenario_version", "kpis", "actions"} <= set(decision)
    reference = Store.open(db).reference_scenario()
    assert (decision["scenario"], decision["scenario_version"]) == (reference.info.name, reference.info.version)
    code, out, _ = run(db, "Sam", "run", "--scenario", reference.info.name, "--json")
    assert code == 0 and decision["kpis"] == json.loads(out)["kpis"]
    action = decision["actions"][0]
    assert {"id", "text", "owner", "due", "status", "meeting", "operation"} <= set(action)
    assert (action["owner"], action["due"], action["status"], action["meeting"], action["operation"]) == (
        "Sports",
        late,
        "ouverte",
        "Copil de décembre",
        OP,
    )

    overdue = json.loads(ok(db, "Sam", "action", "list", "--overdue", "--json"))
    assert [a["text"] for a in overdue] == ["Revoir le phasage"]
    assert [a["text"] for a in json.loads(ok(db, "Eva", "action", "list", "--direction", "Éducation", "--json"))] == [
        "Informer la CAF"
    ]
    assert [a["text"] for a in json.loads(ok(db, "Sam", "inbox", "--json"))["actions"]] == ["Revoir le phasage"]

    out = ok(db, "Sam", "meeting", "minutes", "Copil de décembre", "--out", str(tmp_path / "releve"))
    path = Path(out.strip())
    assert path.parent == tmp_path / "releve" and path.suffix == ".docx"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    for text in (
        "Relevé de décisions",
        "Comité de pilotage",
        "Mme Durand",
        "Métropole",
        "Reportée d'un an",
        "Surface réduite",
        f"version {reference.info.version}",
        "Revoir le phasage",
        "Informer la CAF",
    ):
        assert text in xml.replace("\u00a0", " "), text
    spending = decision["kpis"]["spending_ttc"] / 1e6
    assert f"{spending:.1f}".replace(".", ",") + "\u00a0M€" in xml  # the figure the room saw

    code, _, err = run(db, "Eva", "action", "done", str(action["id"]))
    assert code == 1 and "Refusé" in err
    ok(db, "Sam", "action", "done", str(action["id"]), "--note", "Fait en comité technique")
    assert json.loads(ok(db, "Sam", "action", "list", "--overdue", "--json")) == []


def test_actions_workbook_holds_values_never_formulas(db, tmp_path):
    ok(db, "Arnaud", "meeting", "create", "Atelier", "--date", "2026-12-01", "--kind", "atelier")
    ok(db, "Arnaud", "meeting", "start", "Atelier")
    hostile = '=HYPERLINK("http://x","clic")'
    ok(
        db,
        "Arnaud",
        "decision",
        "add",
        "Atelier",
        "--operation",
        OP,
        "--kind",
        "a_instruire",
        "--text",
        hostile,
        "--action",
        hostile,
        "--owner",
        "Sports",
        "--due",
        "2027-01-31",
    )
    target = tmp_path / "actions.xlsx"
    ok(db, "Sam", "action", "list", "--xlsx", str(target))
    sheet = load_workbook(target)["Actions"]
    assert [c.value for c in sheet[1]][:5] == ["N°", "Action", "Responsable", "Échéance", "Statut"]
    assert sheet["B2"].value == hostile and sheet["B2"].data_type == "s" and sheet["E2"].value == "ouverte"
    assert sheet["D2"].value.date() == date(2027, 1, 31)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_digest_printed_and_received_by_a_real_smtp_server(db, monkeypatch):
    from aiosmtpd.controller import Controller

    ok(db, "Sam", "comment", "add", "--operation", OP, "Quand livrez-vous ?", "--question", "--to", "Éducation")
    ok(
        db,
        "Arnaud",
        "meeting",
        "create",
        "Revue",
        "--date",
        (date.today() + timedelta(days=5)).isoformat(),
        "--kind",
        "revue_projet",
    )
    ok(db, "Arnaud", "meeting", "start", "Revue")
    ok(
        db,
        "Arnaud",
        "decision",
        "add",
        "Revue",
        "--operation",
        OP,
        "--kind",
        "a_instruire",
        "--text",
        "À chiffrer",
        "--action",
        "Chiffrer la variante",
        "--owner",
        "Éducation",
        "--due",
        (date.today() - timedelta(days=1)).isoformat(),
    )
    printed = ok(db, "Eva", "digest", "--direction", "Éducation")
    assert "Questions ouvertes adressées à Éducation : 1" in printed and "Quand livrez-vous ?" in printed
    assert "Actions en retard : 1" in printed and "Chiffrer la variante" in printed
    assert "Réunions dans les 14 jours : 1" in printed and "Revue (Revue de projet)" in printed

    class Inbox:
        def __init__(self) -> None:
            self.received: list[tuple[str, list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
            return "250 OK"

    handler = Inbox()
    port = _free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        monkeypatch.setenv("SIMULATEUR_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("SIMULATEUR_SMTP_PORT", str(port))
        monkeypatch.setenv("SIMULATEUR_SMTP_FROM", "simulateur@marseille.fr")
        monkeypatch.setenv("SIMULATEUR_SMTP_TO", "education@marseille.fr, dgaa@marseille.fr")
        out = ok(db, "Eva", "digest", "--direction", "Éducation", "--send")
    finally:
        server.stop()
    assert "Envoyé à education@marseille.fr, dgaa@marseille.fr" in out
    assert len(handler.received) == 1
    sender, recipients, content = handler.received[0]
    assert sender == "simulateur@marseille.fr" and recipients == ["education@marseille.fr", "dgaa@marseille.fr"]
    import email

    message = email.message_from_bytes(content)
    assert "Éducation" in str(email.header.make_header(email.header.decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert body.replace("\r\n", "\n").strip() == printed.strip()  # SMTP lines end in CRLF


def test_digest_send_refused_in_french_without_settings(db, monkeypatch):
    for name in ("HOST", "PORT", "FROM", "TO"):
        monkeypatch.delenv(f"SIMULATEUR_SMTP_{name}", raising=False)
    code, _, err = run(db, "Eva", "digest", "--direction", "Éducation", "--send")
    assert code == 1 and "SIMULATEUR_SMTP_HOST" in err
    monkeypatch.setenv("SIMULATEUR_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SIMULATEUR_SMTP_PORT", str(_free_port()))  # nobody listens there
    monkeypatch.setenv("SIMULATEUR_SMTP_FROM", "simulateur@marseille.fr")
    monkeypatch.setenv("SIMULATEUR_SMTP_TO", "education@marseille.fr")
    code, _, err = run(db, "Eva", "digest", "--direction", "Éducation", "--send")
    assert code == 1 and "Envoi impossible" in err and "Traceback" not in err


def test_two_processes_commenting_at_once_both_kept(db):
    command = [sys.executable, "-m", "simulation", "--db", str(db)]
    procs = [
        subprocess.Popen(
            [*command, "--user", user, "comment", "add", "--operation", OP, f"Avis de {user}"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in ("Sam", "Eva")
    ]
    for p in procs:
        _, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    texts = {c["text"] for c in json.loads(ok(db, "Ada", "comment", "list", "--operation", OP, "--json"))}
    assert texts == {"Avis de Sam", "Avis de Eva"}


def test_report_note_lists_the_decisions_since_the_last_milestone(db, tmp_path):
    ok(db, "Arnaud", "meeting", "create", "Avant", "--date", "2026-11-01", "--kind", "copil")
    ok(db, "Arnaud", "meeting", "start", "Avant")
    ok(db, "Arnaud", "decision", "add", "Avant", "--operation", OP, "--kind", "validee", "--text", "Décision d'avant")
    ok(db, "Arnaud", "milestone", "create", "Jalon de novembre")
    ok(
        db,
        "Arnaud",
        "decision",
        "add",
        "Avant",
        "--operation",
        OP2,
        "--kind",
        "abandonnee",
        "--text",
        "Décision d'après",
    )
    out = ok(db, "Sam", "report", "--scenario", "Référence", "--out", str(tmp_path / "rapport"), "--draws", "20")
    note = next(Path(line) for line in out.splitlines() if line.endswith(".docx"))
    xml = zipfile.ZipFile(note).read("word/document.xml").decode().replace("\u00a0", " ")
    assert "Décisions depuis le dernier jalon" in xml and "« Jalon de novembre »" in xml
    assert "Décision d'après" in xml and "Abandonnée" in xml and "Décision d'avant" not in xml
