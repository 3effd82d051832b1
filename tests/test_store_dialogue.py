"""Threads, meetings and actions in the store: each role against each write, frozen minutes, bounds.

A refusal must leave the database byte-identical (the file, and every table's rows); an allowed
write lands with its history line in the same transaction.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from store import Store
from store.access import AccessDenied
from store.errors import StoreError
from tests.concurrency_support import at_once

OP = "CNSM-01"  # an Éducation operation of the shipped portfolio
ROLE_PERSON = {
    "lecteur": "Léo",
    "contributeur": "Chloé",
    "auteur": "Sam",  # contributeur of Sports: asked the questions, owns the Sports actions
    "arbitre": "Arnaud",
    "administrateur": "Ada",
}


def _build(path: Path) -> None:
    store = Store.open(path)
    store.add_person("Ada", "administrateur")
    admin = store.as_user("Ada")
    admin.add_person("Arnaud", "arbitre")
    admin.add_person("Chloé", "contributeur", ("Éducation",))
    admin.add_person("Léo", "lecteur", ("Éducation",))
    admin.add_person("Sam", "contributeur", ("Sports",))
    sam = store.as_user("Sam")
    sam.add_comment(OP, "Le gymnase peut-il attendre un an ?", question=True, to="Éducation")  # n° 1, open
    sam.add_comment(OP, "Et la cantine ?", question=True, to="Éducation")  # n° 2
    store.as_user("Chloé").reply(2, "Elle suit.")  # n° 3 answers n° 2
    arbitre = store.as_user("Arnaud")
    arbitre.create_meeting("Prévue", "2027-01-10", "atelier")
    arbitre.add_agenda_item("Prévue", operation=OP)
    arbitre.create_meeting("En cours", "2026-12-01", "copil")
    arbitre.start_meeting("En cours")
    arbitre.create_meeting("Close", "2026-11-01", "comite_engagement")
    arbitre.start_meeting("Close")
    arbitre.add_decision(
        "Close", "reportee", "Report d'un an", operation=OP, actions=[("Revoir", "Sports", "2026-01-01")]
    )
    arbitre.close_meeting("Close")
    store.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dialogue") / "template.duckdb"
    _build(path)
    return path


@pytest.fixture
def team(template, tmp_path) -> Iterator[Store]:
    path = tmp_path / "team.duckdb"
    shutil.copy(template, path)
    store = Store.open(path, user="Ada")
    yield store
    store.close()


def snapshot(store: Store) -> str:
    """Every table's rows, to compare before and after a refusal."""
    store.close()
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return repr([(t, sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall()))) for t in tables])
    finally:
        con.close()


WRITES: dict[str, Callable[[Store], object]] = {
    "comment": lambda s: s.add_comment(OP, "Un avis."),
    "ask a question": lambda s: s.add_comment(OP, "Une question ?", question=True, to="Sports"),
    "close an answered question": lambda s: s.close_question(2),
    "create a meeting": lambda s: s.create_meeting("Nouvelle", "2027-02-01", "revue_projet"),
    "add to an agenda": lambda s: s.add_agenda_item("Prévue", topic="Budget 2027"),
    "start a meeting": lambda s: s.start_meeting("Prévue"),
    "record a decision": lambda s: s.add_decision("En cours", "validee", "Validé.", operation=OP),
    "close a meeting": lambda s: s.close_meeting("En cours"),
    "correct a closed decision": lambda s: s.correct_decision(1, "Report de six mois", "erreur de saisie"),
    "mark an action done": lambda s: s.mark_action_done(1, note="Fait."),
}
EVERYONE = set(ROLE_PERSON)
ALLOWED = {
    "comment": EVERYONE,
    "ask a question": EVERYONE - {"lecteur"},
    "close an answered question": {"auteur", "arbitre", "administrateur"},
    "create a meeting": EVERYONE - {"lecteur"},
    "add to an agenda": EVERYONE - {"lecteur"},
    "start a meeting": {"arbitre", "administrateur"},
    "record a decision": {"arbitre", "administrateur"},
    "close a meeting": {"arbitre", "administrateur"},
    "correct a closed decision": {"arbitre", "administrateur"},
    "mark an action done": {"auteur", "arbitre", "administrateur"},  # Sam is of Sports, the owner
}


@pytest.mark.parametrize("role", list(ROLE_PERSON))
@pytest.mark.parametrize("write", list(WRITES))
def test_each_role_against_each_write(team, role, write):
    acting = team.as_user(ROLE_PERSON[role])
    before = snapshot(team)
    changes_before = len(team.change_sets())
    if role in ALLOWED[write]:
        WRITES[write](acting)
        assert snapshot(team) != before
        newest = team.change_sets()[0]
        assert len(team.change_sets()) == changes_before + 1 and newest.user == ROLE_PERSON[role]
        assert team.history(limit=1)[0].user == ROLE_PERSON[role]  # journaled in the same transaction
    else:
        file_bytes = team.path.read_bytes()
        with pytest.raises(AccessDenied) as refused:
            WRITES[write](acting)
        team.close()
        assert team.path.read_bytes() == file_bytes
        assert snapshot(team) == before
        message = str(refused.value)
        assert message.startswith("Refusé : ") and ROLE_PERSON[role] in message


@pytest.mark.parametrize("role", list(ROLE_PERSON))
def test_only_someone_of_the_directorate_answers_a_question(team, role):
    acting = team.as_user(ROLE_PERSON[role])
    reply = acting.reply(1, "Voici ma réponse.")
    assert reply.reply_to == 1 and reply.user == ROLE_PERSON[role]  # anyone who reads may reply
    expected = "repondue" if role == "contributeur" else "ouverte"  # Chloé is the Éducation contributeur
    assert team.comment(1).status == expected


@pytest.mark.parametrize("role", list(ROLE_PERSON))
@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.add_decision("Close", "validee", "Autre avis", operation=OP),
        lambda s: s.add_agenda_item("Close", topic="Un point de plus"),
        lambda s: s.start_meeting("Close"),
        lambda s: s.close_meeting("Close"),
    ],
    ids=["decision", "agenda", "start", "close"],
)
def test_nobody_changes_a_closed_meetings_minutes(team, role, write):
    before = snapshot(team)
    file_bytes = team.path.read_bytes()
    with pytest.raises(StoreError) as refused:
        write(team.as_user(ROLE_PERSON[role]))
    team.close()
    assert team.path.read_bytes() == file_bytes and snapshot(team) == before
    assert "close" in str(refused.value) or "Refusé" in str(refused.value)


def test_a_correction_is_a_new_entry_and_keeps_the_original(team):
    original = team.meeting("Close").decisions[0]
    fixed = team.as_user("Arnaud").correct_decision(original.id, "Report de six mois", "erreur de saisie")
    decisions = team.meeting("Close").decisions
    assert [d.id for d in decisions] == [original.id, fixed.id]
    assert decisions[0].text == "Report d'un an"  # nothing overwritten
    assert fixed.corrects == original.id and fixed.reason == "erreur de saisie"
    assert (fixed.scenario, fixed.scenario_version, fixed.kpis) == (
        original.scenario,
        original.scenario_version,
        original.kpis,
    )


def test_a_decision_keeps_the_scenario_version_and_run_json_kpis(team):
    from simulation.engine import simulate

    arbitre = team.as_user("Arnaud")
    reference = team.reference_scenario()
    decision = arbitre.add_decision("En cours", "validee", "Validé.", operation=OP)
    assert decision.scenario == reference.info.name and decision.scenario_version == reference.info.version
    assert decision.kpis == simulate(team.portfolio(), reference.scenario).to_records()["kpis"]
    # The reference saved again: the decision keeps the version and figures the room saw.
    changed = reference.scenario.model_copy(update={"escalation_rate": 0.05})
    arbitre.save_scenario(changed, expected_version=reference.info.version)
    later = arbitre.add_decision("En cours", "information", "Nouvelle version.", topic="Actualisation")
    kept = next(d for d in team.meeting("En cours").decisions if d.id == decision.id)
    assert kept.scenario_version == reference.info.version and later.scenario_version == reference.info.version + 1
    assert kept.kpis == decision.kpis and later.kpis["spending_ttc"] != decision.kpis["spending_ttc"]


def test_inbox_overdue_first_and_only_ones_own(team):
    arbitre = team.as_user("Arnaud")
    arbitre.add_decision(
        "En cours",
        "a_instruire",
        "À instruire.",
        operation=OP,
        actions=[("Plus tard", "Sports", "2027-06-01"), ("Chiffrer", "Chloé", "2027-03-01")],
    )
    today = date(2026, 12, 7)
    sam = team.as_user("Sam").inbox(today)
    assert [a.text for a in sam.actions] == ["Revoir", "Plus tard"]  # overdue first
    assert sam.actions[0].overdue(today) and not sam.actions[1].overdue(today)
    assert sam.questions == ()  # questions to Éducation are not Sam's
    chloe = team.as_user("Chloé").inbox(today)
    assert [q.id for q in chloe.questions] == [1] and [a.text for a in chloe.actions] == ["Chiffrer"]
    assert team.overdue_count(today) == 1
    team.as_user("Sam").mark_action_done(1)
    assert team.overdue_count(today) == 0 and [a.text for a in team.as_user("Sam").inbox(today).actions] == [
        "Plus tard"
    ]


HOSTILE = [
    '=HYPERLINK("http://x","clic")',
    "+1+1",
    "@SUM(A1)",
    "<script>alert(1)</script> **gras** ![x](http://evil/x.png) :red[rouge] $x$",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_as_typed(team, text):
    made = team.as_user("Sam").add_comment(OP, text)
    assert team.comment(made.id).text == text
    decision = team.as_user("Arnaud").add_decision(
        "En cours", "information", text, operation=OP, actions=[(text, "Sports", "2027-01-01")]
    )
    assert decision.text == text and decision.actions[0].text == text


BAD_WRITES: dict[str, Callable[[Store, str], object]] = {
    "comment": lambda s, t: s.add_comment(OP, t),
    "reply": lambda s, t: s.reply(1, t),
    "decision": lambda s, t: s.add_decision("En cours", "validee", t, operation=OP),
    "action": lambda s, t: s.add_decision(
        "En cours", "validee", "ok", operation=OP, actions=[(t, "Sports", "2027-01-01")]
    ),
    "meeting name": lambda s, t: s.create_meeting(t, "2027-01-01", "copil"),
    "note": lambda s, t: s.mark_action_done(1, note=t),
}
BAD_TEXTS = {"1 MB": "x" * 1_048_576, "NUL": "a\x00b", "ESC": "a\x1b[31mrouge", "empty": ""}
BAD_CASES = [
    pytest.param(w, t, id=f"{t}-{w}")
    for w in BAD_WRITES
    for t in BAD_TEXTS
    if (w, t) != ("note", "empty")  # an empty note is no note: the action is marked done
]


@pytest.mark.parametrize(("write", "text"), BAD_CASES)
def test_bad_text_refused_in_french_store_unchanged(team, write, text):
    before = snapshot(team)
    file_bytes = team.path.read_bytes()
    text = BAD_TEXTS[text]
    with pytest.raises(StoreError) as refused:
        BAD_WRITES[write](team, text)
    team.close()
    assert team.path.read_bytes() == file_bytes and snapshot(team) == before
    message = str(refused.value)
    assert "rien n'a été enregistré" in message or "Rien n'a été enregistré" in message
    if len(text) > 5000:
        assert "1 048 576" in message.replace("\u00a0", " ")


def test_bounds_are_5000_and_200(team):
    team.add_comment(OP, "é" * 5000)
    with pytest.raises(StoreError):
        team.add_comment(OP, "é" * 5001)
    team.create_meeting("n" * 200, "2027-01-01", "copil")
    with pytest.raises(StoreError):
        team.create_meeting("n" * 201, "2027-01-01", "copil")


def test_unknown_things_are_refused_in_french(team):
    for write, words in [
        (lambda: team.add_comment("NOPE-99", "x"), "Aucune opération"),
        (lambda: team.add_comment(OP, "x", question=True, to="Nulle part"), "Destinataire inconnu"),
        (lambda: team.reply(999, "x"), "Aucun commentaire"),
        (lambda: team.meeting("Inconnue"), "Aucune réunion"),
        (lambda: team.create_meeting("X", "2027-13-01", "copil"), "AAAA-MM-JJ"),
        (lambda: team.create_meeting("X", "2027-01-01", "fete"), "Type de réunion inconnu"),
        (lambda: team.create_meeting("X", "2027-01-01", "copil", scenario="Nulle"), "Aucun scénario"),
        (lambda: team.add_decision("En cours", "oui", "x", operation=OP), "Type de décision inconnu"),
        (lambda: team.close_question(1), "attend encore"),
        (lambda: team.mark_action_done(99), "Aucune action"),
    ]:
        with pytest.raises(StoreError) as refused:
            write()
        assert words in str(refused.value)


def test_two_people_commenting_at_once_lose_nothing(team):
    def talk(user: str) -> None:
        store = team.as_user(user)
        for i in range(15):
            store.add_comment(OP, f"{user} {i}")

    assert at_once(talk, ("Sam", "Chloé")) == []
    texts = [c.text for c in team.comments(OP)]
    assert sorted(t for t in texts if t.split()[0] in {"Sam", "Chloé"}) == sorted(
        [f"Sam {i}" for i in range(15)] + [f"Chloé {i}" for i in range(15)]
    )
    ids = [c.id for c in team.comments()]
    assert len(ids) == len(set(ids))


def test_backup_keeps_the_dialogue(team, tmp_path):
    copy = tmp_path / f"copy-{uuid.uuid4().hex}.duckdb"
    team.backup(copy)
    restored = Store.open(copy, user="Ada")
    try:
        assert [c.text for c in restored.comments(OP)] == [c.text for c in team.comments(OP)]
        assert restored.meeting("Close").as_json() == team.meeting("Close").as_json()
    finally:
        restored.close()


@pytest.mark.parametrize("role", list(ROLE_PERSON))
def test_an_action_is_added_to_a_decision_in_session_by_an_arbitre_only(team, role):
    arbitre = team.as_user("Arnaud")
    decision = arbitre.add_decision(
        "En cours", "reportee", "Report.", operation=OP, actions=[("Revoir", "Sports", "2027-01-01")]
    )
    before, file_bytes = snapshot(team), team.path.read_bytes()
    acting = team.as_user(ROLE_PERSON[role])
    if role in {"arbitre", "administrateur"}:
        made = acting.add_action(decision.id, "Chiffrer la variante", "sports", "2027-02-01")
        assert [(a.text, a.owner, a.due.isoformat()) for a in made.actions] == [
            ("Revoir", "Sports", "2027-01-01"),
            ("Chiffrer la variante", "Sports", "2027-02-01"),  # the owner as the directorate is named
        ]
        assert team.history(limit=1)[0].user == ROLE_PERSON[role]
        assert "Chiffrer la variante" in [a.text for a in team.as_user("Sam").inbox().actions]
    else:
        with pytest.raises(AccessDenied) as refused:
            acting.add_action(decision.id, "Chiffrer la variante", "Sports", "2027-02-01")
        team.close()
        assert team.path.read_bytes() == file_bytes and snapshot(team) == before
        assert str(refused.value).startswith(f"Refusé : {ROLE_PERSON[role]}")


@pytest.mark.parametrize(
    ("decision", "due", "refusal"),
    [
        (1, "2027-02-01", "est close"),  # the Close meeting's decision: its minutes are frozen
        (99, "2027-02-01", "Aucune décision n° 99"),
        (1, "31/02/2027", "Échéance de l'action invalide"),
    ],
)
def test_an_action_added_where_it_cannot_be_is_refused_in_french(team, decision, due, refusal):
    before, file_bytes = snapshot(team), team.path.read_bytes()
    with pytest.raises(StoreError) as refused:
        team.as_user("Arnaud").add_action(decision, "Chiffrer", "Sports", due)
    team.close()
    assert refusal in str(refused.value)
    assert team.path.read_bytes() == file_bytes and snapshot(team) == before
