"""À traiter, Réunions, the thread on an operation's sheet and in Arbitrage, the catalogue's count and
Synthèse's overdue actions, run through AppTest on a database with people, a question and a meeting."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from store import Store
from tests.apptest_support import assert_no_exception, open_page, shown

pytestmark = pytest.mark.usefixtures("isolated_app")
OP = "CNSM-01"
HOSTILE = "<b>gras</b> **x** ![img](http://evil.test/x.png) =1+1"


def _team() -> Store:
    store = Store.open(os.environ["SIMULATEUR_DB"])
    store.add_person("Ada", "administrateur")
    admin = store.as_user("Ada")
    admin.add_person("Arnaud", "arbitre")
    admin.add_person("Eva", "contributeur", ("Éducation",))
    admin.add_person("Sam", "contributeur", ("Sports",))
    store.as_user("Sam").add_comment(OP, HOSTILE, question=True, to="Éducation")
    arbitre = store.as_user("Arnaud")
    arbitre.create_meeting("Copil", date.today().isoformat(), "copil", participants=["Mme X (Métropole)"])
    arbitre.add_agenda_item("Copil", operation=OP)
    arbitre.start_meeting("Copil")
    late = (date.today() - timedelta(days=2)).isoformat()
    arbitre.add_decision("Copil", "reportee", "Report", operation=OP, actions=[("Revoir le phasage", "Sports", late)])
    return store


def _as(at, person: str):
    at.sidebar.selectbox(key="acting_person").set_value(person)
    at.run()
    return at


def _copil_meeting_as(person: str):
    """Réunions as ``person``, with the Copil meeting chosen."""
    at = _as(open_page("reunions"), person)
    at.selectbox(key="meeting_current").set_value("Copil")
    at.run()
    assert_no_exception(at)
    return at


def _operation_sheet(person: str | None = None):
    """The sheet of ``OP`` on Opérations, as ``person`` (nobody chosen when ``None``)."""
    at = open_page() if person is None else _as(open_page(), person)
    at.session_state["ops_current"] = OP
    at.switch_page("views/operations.py")
    at.run()
    assert_no_exception(at)
    return at


def _markdown(at) -> str:
    return "\n".join(shown(m.value) for m in at.markdown)


def test_a_traiter_lists_the_question_and_answering_it_clears_it():
    _team()
    at = _as(open_page("a_traiter"), "Eva")
    assert_no_exception(at)
    text = _markdown(at)
    assert HOSTILE in text  # shown as typed: escaped, never read as Markdown or HTML
    assert "![img](http://evil.test/x.png)" not in "\n".join(m.value for m in at.markdown)
    at.text_area(key="inbox_answer_text_1").set_value("Oui, un an.")
    next(b for b in at.button if b.label == "Répondre").click()
    at.run()
    assert_no_exception(at)
    assert "Réponse à la question n° 1 publiée." in [s.value for s in at.success]
    store = Store.open(os.environ["SIMULATEUR_DB"])
    assert store.comment(1).status == "repondue"


def test_a_traiter_shows_an_overdue_action_first_and_marks_it_done():
    _team()
    at = _as(open_page("a_traiter"), "Sam")
    assert_no_exception(at)
    text = _markdown(at)
    assert "en retard" in text and "Revoir le phasage" in text
    next(b for b in at.button if b.label == "Marquer faite").click()
    at.run()
    assert_no_exception(at)
    assert Store.open(os.environ["SIMULATEUR_DB"]).overdue_count() == 0


def test_reunions_takes_a_decision_with_a_kind_button_and_closes():
    _team()
    at = _copil_meeting_as("Arnaud")
    assert "Ordre du jour" in _markdown(at)
    at.text_area(key="decide_text_Copil_1").set_value("Validée en séance")
    next(b for b in at.button if b.label == "Validée").click()
    at.run()
    assert_no_exception(at)
    decisions = Store.open(os.environ["SIMULATEUR_DB"]).meeting("Copil").decisions
    assert [d.kind for d in decisions] == ["reportee", "validee"] and decisions[1].text == "Validée en séance"
    next(b for b in at.button if b.label == "Clore la séance").click()
    at.run()
    assert_no_exception(at)
    assert Store.open(os.environ["SIMULATEUR_DB"]).meeting("Copil").state == "close"


def test_reunions_a_contributeur_sees_no_decision_buttons():
    _team()
    at = _copil_meeting_as("Eva")
    assert not [b for b in at.button if b.label == "Validée"]
    assert any("Seuls un arbitre" in c.value for c in at.caption)


def test_operation_sheet_shows_the_thread_and_catalogue_counts_open_questions():
    _team()
    at = _operation_sheet()
    assert HOSTILE in _markdown(at)
    frame = at.dataframe[0].value
    assert frame.loc[frame["Identifiant"] == OP, "Questions"].iloc[0] == "1 ouverte(s)"


def test_synthese_counts_overdue_actions():
    _team()
    at = open_page()
    assert_no_exception(at)
    assert "1 action en retard" in _markdown(at)


def test_a_new_meeting_is_announced_with_its_name_as_typed():
    """The success message carries a name a user typed: shown as text, never read as Markdown."""
    _team()
    at = _as(open_page("reunions"), "Arnaud")
    at.text_input(key="meeting_new_name").set_value(HOSTILE)
    at.button(key="FormSubmitter:meeting_new-Créer").click()
    at.run()
    assert_no_exception(at)
    assert [shown(s.value) for s in at.success] == [f"Réunion « {HOSTILE} » créée."]
    assert at.success[0].value != f"Réunion « {HOSTILE} » créée."  # escaped
    assert HOSTILE in [m.name for m in Store.open(os.environ["SIMULATEUR_DB"]).meetings()]


def test_an_arbitre_adds_a_second_action_to_a_decision_in_session():
    store = _team()
    decision = store.meeting("Copil").decisions[0]
    at = _copil_meeting_as("Arnaud")
    due = date.today() + timedelta(days=20)
    at.text_input(key=f"more_action_text_{decision.id}").set_value("Chiffrer la variante")
    at.text_input(key=f"more_action_owner_{decision.id}").set_value("Éducation")
    at.date_input(key=f"more_action_due_{decision.id}").set_value(due)
    at.button(key=f"FormSubmitter:more_action_{decision.id}-Ajouter l'action").click()
    at.run()
    assert_no_exception(at)
    assert [s.value for s in at.success] == [f"Action ajoutée à la décision n° {decision.id}."]
    actions = Store.open(os.environ["SIMULATEUR_DB"]).meeting("Copil").decisions[0].actions
    assert [(a.text, a.owner, a.due) for a in actions][1:] == [("Chiffrer la variante", "Éducation", due)]
    assert "Chiffrer la variante" in _markdown(at)


def test_only_an_arbitre_is_offered_to_add_an_action():
    store = _team()
    decision = store.meeting("Copil").decisions[0]
    at = _copil_meeting_as("Sam")
    assert f"more_action_text_{decision.id}" not in [t.key for t in at.text_input]


def test_its_author_corrects_a_message_on_the_operation_sheet():
    """A correction is a new message quoting the one it corrects; the original stays as it was."""
    _team()
    at = _operation_sheet("Sam")
    at.selectbox(key=f"thread_correct_id_{OP}").set_value(1)
    at.text_area(key=f"thread_correct_text_{OP}").set_value("Plutôt le gymnase **B**.")
    at.button(key=f"FormSubmitter:thread_correct_{OP}-Publier la correction").click()
    at.run()
    assert_no_exception(at)
    assert [shown(s.value) for s in at.success] == ["Correction du message n° 1 publiée."]
    thread = Store.open(os.environ["SIMULATEUR_DB"]).comments(OP)
    assert thread[0].text == HOSTILE and thread[-1].corrects == 1
    assert thread[-1].text.startswith("Correction du commentaire n° 1 (« ") and "Plutôt le gymnase **B**." in shown(
        _markdown(at)
    )


def test_nobody_is_offered_to_correct_someone_elses_message():
    _team()
    at = _operation_sheet("Eva")
    assert f"thread_correct_id_{OP}" not in [s.key for s in at.selectbox]
