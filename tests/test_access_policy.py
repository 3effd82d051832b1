"""The one policy: ``may`` (what a page asks) and ``enforce`` (what the store refuses) agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.access import MINIMUM_ROLE, RANK, AccessDenied, Action, Person, Role, enforce, may, refusal, reserved_to

PEOPLE = st.builds(
    Person,
    name=st.sampled_from(["Ana", "Ben"]),
    role=st.sampled_from(list(Role)),
    directorates=st.lists(st.sampled_from(["DEJ", "DPE", "DS"]), max_size=2).map(tuple),
)


@given(
    PEOPLE,
    st.sampled_from(list(Action)),
    st.sets(st.sampled_from(["DEJ", "DPE"])),
    st.sampled_from(["Ana", "Ben", ""]),
    st.booleans(),
    st.sampled_from(["Ana", "ana ", "Ben", "DEJ", "ds", ""]),
)
def test_may_is_true_exactly_when_the_store_would_not_refuse(person, action, directorates, author, is_reference, owner):
    context = {"directorates": directorates, "author": author, "is_reference": is_reference, "owner": owner}
    allowed = may(person, action, **context)
    try:
        enforce(person, action, "agir", **context)
    except AccessDenied as exc:
        assert not allowed
        assert str(exc).startswith(f"Refusé : {person.describe()} ne peut pas agir")
    else:
        assert allowed


def test_nobody_acting_may_do_nothing():
    assert not any(may(None, action) for action in Action)


@pytest.mark.parametrize(
    "action",
    [
        a
        for a in Action
        if a
        not in (
            Action.EDIT_OPERATIONS,
            Action.CHANGE_SCENARIO,
            Action.RESTORE_FROM_BIN,
            Action.CLOSE_QUESTION,
            Action.MARK_ACTION_DONE,
        )
    ],
)
def test_plain_actions_follow_the_role_rank(action):
    for role in Role:
        assert may(Person("Ana", role), action) == (RANK[role] >= RANK[MINIMUM_ROLE[action]])


def test_operations_of_another_directorate_need_an_arbitre():
    contributor = Person("Ana", Role.CONTRIBUTEUR, ("DEJ",))
    assert may(contributor, Action.EDIT_OPERATIONS, directorates={"DEJ"})
    assert not may(contributor, Action.EDIT_OPERATIONS, directorates={"DEJ", "DS"})
    assert "la direction DS ne sont pas les siennes" in (
        refusal(contributor, Action.EDIT_OPERATIONS, "modifier", directorates={"DS"}) or ""
    )
    assert may(Person("Ben", Role.ARBITRE), Action.EDIT_OPERATIONS, directorates={"DS"})
    assert not may(Person("Léa", Role.LECTEUR, ("DEJ",)), Action.EDIT_OPERATIONS, directorates={"DEJ"})


def test_scenarios_one_owns_and_shared_ones():
    ana = Person("Ana", Role.CONTRIBUTEUR)
    assert may(ana, Action.CHANGE_SCENARIO, author="Ana")
    assert not may(ana, Action.CHANGE_SCENARIO, author="Ben")
    assert not may(ana, Action.CHANGE_SCENARIO, author="Ana", is_reference=True)
    assert may(Person("Ben", Role.ARBITRE), Action.CHANGE_SCENARIO, author="Ana", is_reference=True)
    assert may(Person("Léa", Role.LECTEUR), Action.RESTORE_FROM_BIN, author="Léa")
    assert not may(Person("Léa", Role.LECTEUR), Action.RESTORE_FROM_BIN, author="Ana")


def test_a_greyed_button_says_who_may():
    assert reserved_to(Action.UNDO_CHANGE_SET) == "Réservé aux administrateurs."
    assert reserved_to(Action.FREEZE_MILESTONE) == "Réservé aux arbitres et aux administrateurs."


def test_a_question_is_closed_by_who_asked_it_or_an_arbitre():
    assert may(Person("Ana", Role.CONTRIBUTEUR), Action.CLOSE_QUESTION, author="ana")  # names compare without case
    assert not may(Person("Ana", Role.LECTEUR), Action.CLOSE_QUESTION, author="Ana")  # a lecteur only comments
    assert not may(Person("Ben", Role.CONTRIBUTEUR, ("DEJ",)), Action.CLOSE_QUESTION, author="Ana")
    assert may(Person("Ben", Role.ARBITRE), Action.CLOSE_QUESTION, author="Ana")
    assert refusal(Person("Ben", Role.CONTRIBUTEUR), Action.CLOSE_QUESTION, "clore la question n° 3", author="Ana") == (
        "Refusé : Ben (contributeur) ne peut pas clore la question n° 3. "
        "Seuls son auteur (Ana), les arbitres et les administrateurs le peuvent."
    )


def test_an_action_is_marked_done_by_whom_it_is_for_or_an_arbitre():
    assert may(Person("Léa", Role.LECTEUR), Action.MARK_ACTION_DONE, owner="Léa")  # named, whatever the role
    assert may(Person("Ana", Role.CONTRIBUTEUR, ("Sports",)), Action.MARK_ACTION_DONE, owner="sports")
    assert not may(Person("Ana", Role.CONTRIBUTEUR, ("DEJ",)), Action.MARK_ACTION_DONE, owner="Sports")
    assert may(Person("Ben", Role.ARBITRE), Action.MARK_ACTION_DONE, owner="Sports")
