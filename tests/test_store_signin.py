"""Who may write, by how they were identified (issue 21): the store decides, whatever the page shows.

OpenID Connect matches a declared e-mail exactly, verified only; nobody unauthenticated writes
in the header and OIDC modes, not even before the first person is declared; a poste local
writes only for this machine; every write and refusal reaches the audit log."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import AccessDenied, Caller, Store, StoreError
from tests.test_cli import cli

ALICE = "alice.admin@ville.example"
CLAIRE = "claire@ville.example"


@pytest.fixture
def team(tmp_path):
    store = Store.open(tmp_path / "equipe.duckdb", linger=0)
    store.add_person("Alice Admin", "administrateur", email=ALICE)
    store.as_user("Alice Admin").add_person("Claire Contrib", "arbitre", email=CLAIRE)
    store.as_user("Alice Admin").add_person("Léo Lecteur", "lecteur")
    return store


def _bytes(store: Store) -> bytes:
    store.close()
    return store.path.read_bytes()


def _save_as(store: Store, caller: Caller) -> None:
    scenario = store.reference_scenario().scenario.model_copy(update={"name": "Essai"})
    store.as_caller(caller).save_scenario(scenario)


def test_oidc_matches_the_declared_email_verified(team):
    person = team.as_caller(Caller(CLAIRE, "oidc", True, "10.1.2.3")).whoami()
    assert person.name == "Claire Contrib" and person.email == CLAIRE
    _save_as(team, Caller(CLAIRE, "oidc", True, "10.1.2.3"))
    history = team.history(scenario="Essai")
    assert [h.user for h in history] == ["Claire Contrib"]


def test_oidc_never_matches_a_name(team):
    with pytest.raises(AccessDenied, match=r"pas une personne déclarée : lecture seule\. Demandez à Alice Admin"):
        team.as_caller(Caller("Claire Contrib", "oidc", True)).whoami()


def test_oidc_refuses_an_unverified_email_and_writes_nothing(team):
    before = _bytes(team)
    with pytest.raises(AccessDenied, match="n'a pas vérifié l'adresse"):
        team.as_caller(Caller(ALICE, "oidc", False)).add_person("Intrus", "administrateur")
    assert _bytes(team) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.booleans(), min_size=len(ALICE), max_size=len(ALICE)))
def test_oidc_match_is_exact_an_email_in_other_case_is_unknown(team, flips):
    variant = "".join(c.upper() if f else c for c, f in zip(ALICE, flips, strict=True))
    caller = Caller(variant, "oidc", True)
    if variant == ALICE:
        assert team.as_caller(caller).whoami().name == "Alice Admin"
    else:
        with pytest.raises(AccessDenied, match="lecture seule"):
            team.as_caller(caller).whoami()


@pytest.mark.parametrize("mode", ["header", "oidc"])
def test_nobody_unauthenticated_writes_in_signed_in_modes(team, mode):
    before = _bytes(team)
    with pytest.raises(AccessDenied, match="Personne n'est identifié : lecture seule"):
        team.as_caller(Caller(None, mode)).add_person("Intrus anonyme", "administrateur")
    with pytest.raises(AccessDenied):
        _save_as(team, Caller("", mode))
    assert _bytes(team) == before


@pytest.mark.parametrize("mode", ["header", "oidc"])
def test_before_anyone_is_declared_signed_in_modes_are_read_only(tmp_path, mode):
    store = Store.open(tmp_path / "neuve.duckdb", linger=0)
    before = _bytes(store)
    with pytest.raises(AccessDenied, match="Personne n'est identifié : lecture seule"):
        store.as_caller(Caller(None, mode)).add_person("Intrus anonyme", "administrateur")
    with pytest.raises(AccessDenied, match="Le premier administrateur se déclare en ligne de commande"):
        store.as_caller(Caller("intrus@ville.example", mode)).add_person("Intrus anonyme", "administrateur")
    assert store.people() == [] and _bytes(store) == before
    # The command line (or a poste local, this machine) declares the first one.
    store.as_user("root").add_person("Alice Admin", "administrateur", email=ALICE)
    assert store.as_caller(Caller(ALICE, "oidc", True)).whoami().name == "Alice Admin"


def test_header_mode_matches_a_login_name_or_an_exact_email(team):
    assert team.as_caller(Caller("léo lecteur", "header")).whoami().name == "Léo Lecteur"
    assert team.as_caller(Caller(CLAIRE, "header")).whoami().name == "Claire Contrib"
    with pytest.raises(AccessDenied, match="Demandez à Alice Admin"):
        team.as_caller(Caller("inconnu", "header")).whoami()


def test_a_lecteur_signed_in_is_refused_a_write(team):
    reader = Caller("Léo Lecteur", "header")
    with pytest.raises(AccessDenied, match="Léo Lecteur \\(lecteur\\) ne peut pas enregistrer"):
        _save_as(team, reader)


@pytest.mark.parametrize("client", [None, "127.0.0.1", "::1"])
def test_poste_local_writes_from_this_machine(team, client):
    _save_as(team, Caller("Claire Contrib", "local", True, client))
    assert team.load_scenario("Essai").info.author == "Claire Contrib"


@pytest.mark.parametrize("client", ["192.168.1.20", "10.0.0.7", "2001:db8::1", "pas-une-adresse"])
def test_poste_local_refuses_another_machine(team, client):
    before = _bytes(team)
    with pytest.raises(AccessDenied, match=f"depuis la machine elle-même \\(cette session vient de {client}\\)"):
        team.as_caller(Caller("Alice Admin", "local", True, client)).add_person("Intrus", "administrateur")
    assert _bytes(team) == before


def test_email_is_written_checked_and_unique(team):
    admin = team.as_user("Alice Admin")
    admin.set_person("Léo Lecteur", email="leo@ville.example")
    assert {p.name: p.email for p in team.people()}["Léo Lecteur"] == "leo@ville.example"
    assert "adresse" in [h.field for h in team.history() if h.target == "Léo Lecteur"]
    with pytest.raises(StoreError, match="déjà celle de Claire Contrib"):
        admin.set_person("Léo Lecteur", email=CLAIRE)
    with pytest.raises(StoreError, match="Adresse « pas une adresse » invalide"):
        admin.add_person("Zoé", "lecteur", email="pas une adresse")
    admin.set_person("Léo Lecteur", email="")
    assert {p.name: p.email for p in team.people()}["Léo Lecteur"] is None


def test_cli_users_add_email_is_stored_and_listed(tmp_path):
    db = tmp_path / "cli.duckdb"
    out = cli("--user", "root", "users", "add", "Claire Contrib", "--role", "administrateur", "--email", CLAIRE, db=db)
    assert out.returncode == 0, out.stderr
    assert f"adresse {CLAIRE}" in out.stdout
    listed = cli("--user", "Claire Contrib", "users", "list", db=db)
    assert f"Claire Contrib <{CLAIRE}> : administrateur" in listed.stdout
    assert Store.open(db, linger=0).as_caller(Caller(CLAIRE, "oidc", True)).whoami().name == "Claire Contrib"


def test_audit_log_has_one_json_line_per_write_and_refusal(team, tmp_path, monkeypatch):
    log = tmp_path / "audit.jsonl"
    monkeypatch.setenv("SIMULATEUR_AUDIT_LOG", str(log))
    _save_as(team, Caller(CLAIRE, "oidc", True, "10.1.2.3"))
    with pytest.raises(AccessDenied):
        team.as_caller(Caller("Léo Lecteur", "header", True, "10.9.9.9")).add_person("X", "lecteur")
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [sorted(line) for line in lines] == [
        ["action", "client", "mode", "person", "result", "target", "time"],
        ["action", "client", "detail", "mode", "person", "result", "target", "time"],
    ]
    written, refused = lines
    assert written | {"time": None} == {
        "time": None,
        "person": "Claire Contrib",
        "mode": "OpenID Connect",
        "client": "10.1.2.3",
        "action": "scénario « Essai » créé",
        "target": "Essai",
        "result": "écrit",
    }
    assert refused["result"] == "refusé" and refused["action"] == "add_person"
    assert refused["person"] == "Léo Lecteur" and refused["mode"] == "en-tête du proxy"
    assert refused["detail"].startswith("Refusé : Léo Lecteur (lecteur) ne peut pas gérer les personnes")


def test_audit_log_is_off_by_default(team, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SIMULATEUR_AUDIT_LOG", raising=False)
    _save_as(team, Caller(CLAIRE, "oidc", True))
    assert capsys.readouterr().out == ""
    monkeypatch.setenv("SIMULATEUR_AUDIT_LOG", "-")
    team.as_user("Alice Admin").set_person("Léo Lecteur", role="contributeur")
    line = json.loads(capsys.readouterr().out)
    assert (
        line["action"] == "droits modifiés" and line["target"] == "Léo Lecteur" and line["mode"] == "ligne de commande"
    )


def test_a_group_claim_mapped_in_the_people_table_gives_its_role(team):
    admin = team.as_user("Alice Admin")
    admin.add_person("groupe:urbanisme", "contributeur", ("Éducation",))
    admin.add_person("groupe:direction-generale", "arbitre")
    caller = Caller("nora@ville.example", "oidc", True, None, ("urbanisme", "autre"))
    nora = team.as_caller(caller).whoami()
    assert (nora.name, nora.role.value, nora.directorates) == ("nora@ville.example", "contributeur", ("Éducation",))
    both = team.as_caller(Caller("nora@ville.example", "oidc", True, None, ("urbanisme", "direction-generale")))
    assert both.whoami().role.value == "arbitre"  # the highest role mapped
    # A declared e-mail wins over the groups; an unverified one gets nothing; no group, no role.
    claire = team.as_caller(Caller(CLAIRE, "oidc", True, None, ("urbanisme",))).whoami()
    assert claire.name == "Claire Contrib"
    with pytest.raises(AccessDenied, match="n'a pas vérifié"):
        team.as_caller(Caller("nora@ville.example", "oidc", False, None, ("direction-generale",))).whoami()
    with pytest.raises(AccessDenied, match="lecture seule"):
        team.as_caller(Caller("nora@ville.example", "oidc", True, None, ("inconnu",))).whoami()
    # A group row is never a person one can pick or name.
    with pytest.raises(AccessDenied, match="n'est pas une personne connue"):
        team.as_user("groupe:direction-generale").whoami()
