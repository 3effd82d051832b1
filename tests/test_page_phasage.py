"""Proposer un phasage: settings, run with both engines, use or save a proposal."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def run_assistant(at, time_limit: int = 1):
    """Ask for a phasing, then let the background optimiser finish and redraw (what the page's
    polling fragment does in a browser)."""
    at.number_input(key="phasage_time_limit").set_value(time_limit)
    at.button(key="phasage_submit").click().run(timeout=90)
    assert_no_exception(at)
    job = at.session_state["phasage_run"]["job"]
    if job is not None:
        assert job.wait(timeout=120)
        at.run(timeout=60)
        assert_no_exception(at)
    return at


def test_page_renders_with_its_settings():
    at = open_page("phasage")
    assert_no_exception(at)
    assert at.title[0].value == "Proposer un phasage"
    assert any("Jeu de démonstration" in c.value for c in at.caption)
    assert at.multiselect(key="phasage_forced_in").options
    assert any("Proposer un phasage" in i.value for i in at.info)


def test_both_proposals_side_by_side_and_use_one():
    at = run_assistant(open_page("phasage"))
    assert not at.error
    verified = [s.value for s in at.success if s.value.startswith("Vérifié par le simulateur")]
    assert len(verified) == 2
    assert len(at.get("vega_lite_chart")) == 2
    labels = [m.label for m in at.metric]
    assert labels.count("ANRU sécurisée") == 2
    assert [t.label.split(" — ")[0] for t in at.tabs] == ["Glouton (par priorité)", "Optimiseur CP-SAT"]
    before = working_scenario(at)
    at.button(key="phasage_use_greedy").click().run(timeout=60)
    assert_no_exception(at)
    working = working_scenario(at)
    assert working != before and working.name.endswith("phasage glouton")
    assert any("nouveau scénario de travail" in s.value for s in at.success)


def test_save_a_proposal_and_refuse_an_existing_name(isolated_app):
    at = run_assistant(open_page("phasage"))
    at.text_input(key="phasage_save_greedy_name").set_value("Phasage atelier")
    at.button(key="phasage_save_greedy_submit").click().run(timeout=60)
    assert_no_exception(at)
    assert any("« Phasage atelier » enregistré" in s.value for s in at.success)
    from store import Store

    store = Store.open(isolated_app)
    try:
        names = [info.name for info in store.list_scenarios()]
        saved = store.load_scenario("Phasage atelier").scenario
    finally:
        store.close()
    assert "Phasage atelier" in names and saved.parent == "Référence"
    at.text_input(key="phasage_save_greedy_name").set_value("Référence")
    at.button(key="phasage_save_greedy_submit").click().run(timeout=60)
    assert_no_exception(at)
    assert any("existe déjà" in e.value for e in at.error)


def test_contradictory_locks_are_refused_in_french():
    at = open_page("phasage")
    at.multiselect(key="phasage_forced_in").select("AIRB-04")
    at.multiselect(key="phasage_forced_out").select("AIRB-04")
    at.button(key="phasage_submit").click().run(timeout=60)
    assert_no_exception(at)
    assert any("à la fois imposée" in e.value for e in at.error)


def test_impossible_lock_shows_the_conflict():
    at = open_page("phasage")
    scenario = working_scenario(at)
    zero = {owner: dict.fromkeys(years, 0.0) for owner, years in scenario.envelopes.items()}
    set_working_scenario(at, scenario.model_copy(update={"envelopes": zero}))
    at.run()
    at.multiselect(key="phasage_forced_in").select("CNSM-04")
    run_assistant(at)
    conflicts = [e.value for e in at.error if "Aucun phasage ne tient toutes les contraintes" in e.value]
    assert len(conflicts) == 2
    assert "maintien imposé de CNSM-04" in conflicts[0]


def test_greedy_plan_first_then_the_optimiser_with_a_timer_and_a_stop_button():
    at = open_page("phasage")
    at.number_input(key="phasage_time_limit").set_value(60)
    at.button(key="phasage_submit").click().run(timeout=90)
    assert_no_exception(at)
    # the greedy plan is on the page before the optimiser has finished
    assert [h.value for h in at.markdown if h.value.startswith("### ")] == [
        "### Glouton (par priorité)",
        "### Optimiseur CP-SAT",
    ]
    assert len([c for c in at.caption if c.value.startswith("Statut")]) == 1  # the greedy's; the optimiser runs
    assert any(s.value.startswith("Vérifié par le simulateur") for s in at.success)
    stop = at.button(key="phasage_stop")
    assert stop.label == "Arrêter l'optimiseur"
    job = at.session_state["phasage_run"]["job"]
    stop.click().run(timeout=60)
    assert job.stop.is_set()
    assert job.wait(timeout=30)
    at.run(timeout=60)
    assert_no_exception(at)
    assert at.session_state["phasage_run"]["job"] is None
    statuses = [c.value for c in at.caption if c.value.startswith("Statut")]
    assert len(statuses) == 2
    assert any("arrêté à la demande" in s or "optimal" in s for s in statuses[1:])
    assert [t.label.split(" — ")[0] for t in at.tabs] == ["Glouton (par priorité)", "Optimiseur CP-SAT"]
