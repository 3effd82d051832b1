"""Arbitrage page: levers recompute the KPIs; undo, reset and save work."""

from __future__ import annotations

import pytest

from store import load_portfolio
from tests.apptest_support import assert_no_exception, open_page, open_projector, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def widget(collection, prefix):
    return next(w for w in collection if w.key and w.key.startswith(prefix))


def test_renders_with_levers_chart_and_table():
    at = open_page("arbitrage")
    assert_no_exception(at)
    assert at.title[0].value == "Arbitrage"
    assert len(at.get("vega_lite_chart")) == 1
    editor = next(d.value for d in at.dataframe if "Garder" in d.value.columns)
    assert len(editor) == len(load_portfolio("data/operations.csv").operations)
    assert {"Garder", "Décalage (mois)", "Coût (%)"} <= set(editor.columns)


def test_moving_the_commitment_deadline_changes_anru_lost_and_undo_restores_it():
    at = open_page("arbitrage")
    before = metric(at, "ANRU perdue (hors délai)").value
    widget(at.select_slider, "lever_commitment_deadline").set_value("2028-12").run()
    assert_no_exception(at)
    after = metric(at, "ANRU perdue (hors délai)").value
    from simulation import fr, simulate
    from store import load_portfolio

    expected = simulate(load_portfolio("data/operations.csv"), working_scenario(at)).kpis["anru_lost"]
    assert working_scenario(at).commitment_deadline == "2028-12"
    assert after != before and after == fr.meuros(expected)
    assert metric(at, "ANRU perdue (hors délai)").delta.startswith("-")
    assert any("modifié, non enregistré" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Annuler").click().run()
    assert metric(at, "ANRU perdue (hors délai)").value == before


def test_focus_panel_drops_an_operation_and_reports_it():
    at = open_page("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-01").run()
    keep = widget(at.toggle, "focus_keep_AIRB-01")
    keep.set_value(False).run()
    assert_no_exception(at)
    assert metric(at, "Opérations abandonnées").value == "1"
    changes = at.dataframe[-1].value  # "what changes against the reference"
    assert changes["Opération"].str.startswith("AIRB-01").any()
    assert "abandonnée" in changes["Leviers"].iloc[0]


def save_as(at, name, rationale=""):
    at.text_input(key="arbitrage_save_name").input(name)
    at.text_area(key="arbitrage_save_rationale").input(rationale)
    at.button(key="arbitrage_save_submit").click().run()
    assert_no_exception(at)
    return at


def test_save_as_creates_a_scenario_confirms_and_closes(isolated_app):
    at = open_page("arbitrage")
    widget(at.select_slider, "lever_escalation").set_value(0.02).run()
    save_as(at, "Variante actualisation 2 %", rationale="Tester une actualisation plus faible")
    from store import Store

    store = Store.open(isolated_app)
    try:
        names = [i.name for i in store.list_scenarios()]
        saved = store.load_scenario("Variante actualisation 2 %")
    finally:
        store.close()
    assert "Variante actualisation 2 %" in names and saved.info.parent == "Référence"
    # the author is the person acting (here the workstation: nobody is defined)
    assert saved.info.author == "poste local"
    assert working_scenario(at).name == "Variante actualisation 2 %"
    assert any("« Variante actualisation 2 % » enregistré (version 1)" in s.value for s in at.success)
    assert at.session_state["arbitrage_save_popover"] is False  # the popover is closed
    assert not any("modifié, non enregistré" in m.value for m in at.markdown)
    assert at.text_input(key="arbitrage_save_name").value == "Variante actualisation 2 %"  # refilled, not stale


def test_overwriting_keeps_the_origin_and_an_empty_name_is_refused_inside_the_popover(isolated_app):
    at = open_page("arbitrage")
    widget(at.select_slider, "lever_escalation").set_value(0.02).run()
    save_as(at, "Variante")
    widget(at.select_slider, "lever_escalation").set_value(0.025).run()
    save_as(at, "Variante")  # overwrite its own scenario
    from store import Store

    store = Store.open(isolated_app)
    try:
        saved = store.load_scenario("Variante")
    finally:
        store.close()
    assert saved.info.version == 2 and saved.scenario.escalation_rate == 0.025
    assert saved.info.parent == "Référence"  # never "à partir de" itself
    save_as(at, "   ")
    assert any(e.value == "Donnez un nom au scénario." for e in at.error)
    assert working_scenario(at).name == "Variante"  # nothing saved, nothing renamed


def test_started_operation_shows_its_allowed_range_and_accepts_delays():
    at = open_page("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-03").run()
    shift = widget(at.slider, "focus_shift_AIRB-03")
    assert shift.min == -1
    assert any("avance de 1 mois au plus (rien avant janvier 2025)" in c.value for c in at.caption)
    for months in (1, 17):
        widget(at.slider, "focus_shift_AIRB-03").set_value(months).run()
        assert_no_exception(at)
        assert working_scenario(at).choice("AIRB-03").shift_months == months
    assert not at.error


def test_owner_picker_shows_the_current_owner_and_transfers():
    at = open_page("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-01").run()
    picker = widget(at.selectbox, "focus_owner_AIRB-01")
    assert picker.index == 0 and picker.options[0].endswith("(d'origine)")
    picker.set_value("SPEM").run()
    assert_no_exception(at)
    assert working_scenario(at).choice("AIRB-01").owner == "SPEM"
    assert widget(at.selectbox, "focus_owner_AIRB-01").value == "SPEM"


def test_headcount_lever_changes_the_scenario():
    at = open_page("arbitrage")
    assert not [w for w in at.select_slider if w.key and w.key.startswith("lever_headcount_")]  # closed: not drawn
    at.session_state["arbitrage_headcount_open"] = True
    at.run()
    box = widget(at.select_slider, "lever_headcount_")
    assert "12,5\u00a0ETP" in box.options  # French numbers on the lever
    directorate = box.key.removeprefix("lever_headcount_")
    box.set_value(12.5).run()
    assert_no_exception(at)
    assert working_scenario(at).headcount[directorate] == 12.5


def test_a_burst_on_one_slider_is_one_undo_step(monkeypatch):
    import ui.state

    now = {"t": 0.0}
    monkeypatch.setattr(ui.state.time, "monotonic", lambda: now["t"])
    at = open_page("arbitrage")
    original = working_scenario(at)
    for rate in (0.035, 0.04, 0.045):  # three key presses 0,2 s apart: one move
        now["t"] += 0.2
        widget(at.select_slider, "lever_escalation").set_value(rate).run()
    now["t"] += 10  # a later, separate move of another lever
    widget(at.select_slider, "lever_completion_deadline").set_value("2031-12").run()
    assert working_scenario(at).escalation_rate == 0.045
    undo = next(b for b in at.button if b.label == "Annuler")
    undo.click().run()
    assert working_scenario(at).completion_deadline == original.completion_deadline
    assert working_scenario(at).escalation_rate == 0.045
    next(b for b in at.button if b.label == "Annuler").click().run()
    assert working_scenario(at) == original
    assert next(b for b in at.button if b.label == "Annuler").disabled


def test_in_projector_mode_the_changes_are_a_static_table_that_follows_the_large_type():
    at = open_projector("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-01").run()
    widget(at.toggle, "focus_keep_AIRB-01").set_value(False).run()
    assert_no_exception(at)
    changes = at.table[-1].value  # st.table, not the canvas grid
    assert any(str(v).startswith("AIRB") for v in changes.iloc[:, 0])
    assert "abandonnée" in " ".join(map(str, changes.iloc[:, 1]))


def test_in_projector_mode_the_lever_grid_is_enlarged_and_keeps_its_decision_columns():
    from ui.frames.lever_table import PROJECTOR_WIDTHS
    from ui.tables import projector_grid_css

    at = open_page("arbitrage")
    assert not any("transform: scale" in h.proto.body for h in at.get("html"))  # at a desk: as drawn
    at.session_state["projecteur"] = True
    at.session_state["projector_mode"] = True
    at.run()
    assert_no_exception(at)
    styles = [h.proto.body for h in at.get("html") if ".st-key-lever_grid" in h.proto.body]
    assert len(styles) == 1 and projector_grid_css("lever_grid", 10)[:60] in styles[0]
    editor = next(d for d in at.dataframe if "Garder" in d.value.columns)
    assert list(editor.proto.column_order) == list(PROJECTOR_WIDTHS)


def test_the_shift_slider_caption_says_the_range_the_slider_allows():
    """AIRB-03 (under way) may be delayed up to 240 months, the slider stops at 36 (issue 20: over
    120 steps a mouse could not land on 6): the caption gives the slider's range, and where a
    longer shift is typed."""
    at = open_page("arbitrage")
    at.selectbox(key="focus_operation").set_value("AIRB-03").run()
    assert_no_exception(at)
    slider = widget(at.slider, "focus_shift_AIRB-03")
    assert slider.max == 36
    caption = next(c.value for c in at.caption if c.value.startswith("Possible :"))
    assert "retard jusqu'à 36 mois." in caption
    assert "Au-delà" in caption and "+240 mois" in caption and "tableau" in caption


def test_the_chart_keeps_room_above_its_plot_for_the_overrun_labels():
    import json

    from ui.chart_cache import PAGE_PADDING

    at = open_page("arbitrage")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["padding"] == PAGE_PADDING and PAGE_PADDING["top"] > 5  # Vega's default is 5 px


def test_a_cost_set_in_the_table_shows_as_itself_on_the_slider():
    """200 % chosen in the table (inside the lever range 10–300 %) is drawn as 200 % on the
    slider, whose usual reach (50–150 %) widens to it; the slider still moves it."""
    from simulation.limits import COST_PERCENT_RANGE, COST_SLIDER_PERCENT

    at = open_page("arbitrage")
    set_working_scenario(at, working_scenario(at).with_choice("AIRB-01", cost_factor=2.0))
    at.run()
    at.selectbox(key="focus_operation").set_value("AIRB-01").run()
    assert_no_exception(at)
    slider = widget(at.slider, "focus_cost_AIRB-01")
    assert slider.value == 200 and slider.max == 200 and slider.min == COST_SLIDER_PERCENT[0]
    assert COST_PERCENT_RANGE[0] <= slider.min and slider.max <= COST_PERCENT_RANGE[1]
    slider.set_value(120).run()
    assert_no_exception(at)
    assert working_scenario(at).choice("AIRB-01").cost_factor == 1.2


def test_a_lever_move_opens_the_database_once(monkeypatch):
    """The lever's callback checks the move on the portfolio the page drew it with, and the page's
    run reads revision, demo flag and reference in one unit of work (``Store.glance``): counted
    are the connections opened from the Arbitrage page, its levers or their binding."""
    import traceback

    import store.connection as connection

    at = open_page("arbitrage")
    opened: list[int] = []
    real = connection.connect
    mine = ("views/arbitrage.py", "ui/levers.py", "ui/lever_widgets.py")

    def counting(*args, **kwargs):
        if any(frame.filename.endswith(mine) for frame in traceback.extract_stack()):
            opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(connection, "connect", counting)
    widget(at.select_slider, "lever_escalation").set_value(0.04).run()
    assert_no_exception(at)
    assert working_scenario(at).escalation_rate == 0.04
    assert len(opened) == 1
