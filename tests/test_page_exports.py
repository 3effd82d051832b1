"""Exports page: renders on the demo store, previews the summary, offers every download."""

from __future__ import annotations

import pytest

from tests.apptest_support import assert_no_exception, open_page, set_working_scenario, working_scenario

pytestmark = pytest.mark.usefixtures("isolated_app")


def download_labels(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_exports_page_renders_with_summary_preview_and_downloads():
    at = open_page("exports")
    assert_no_exception(at)
    assert at.title[0].value == "Exports"
    assert len(at.get("image")) == 1  # the one-page summary, previewed
    labels = download_labels(at)
    for label in [
        "Synthèse sur une page (PNG)",
        "Note pour le comité (Word)",
        "Tableaux (Excel)",
        "Dossier complet (zip)",
        "Modèle vierge (Excel)",
    ]:
        assert label in labels
    # One PNG and one SVG button per chart (the reference compared with itself: no comparison chart).
    assert labels.count("PNG") == labels.count("SVG") >= 6
    assert any("Jeu de démonstration" in c.value for c in at.caption)


def test_a_modified_scenario_is_exported_against_the_chosen_comparison():
    at = open_page("exports")
    scenario = working_scenario(at)
    set_working_scenario(at, scenario.with_choice("AIRB-01", keep=False))
    at.run()
    assert_no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "modifié, non enregistré" in captions and "comparé à" in captions
    labels = download_labels(at)
    assert labels.count("PNG") >= 7  # the comparison chart appears
    assert "Comparer au scénario" in [s.label for s in at.selectbox]


def test_exports_page_in_projector_mode():
    at = open_page("exports")
    at.session_state["projecteur"] = True
    at.run()
    assert_no_exception(at)
    assert len(at.get("image")) == 1


def test_a_milestone_chosen_adds_the_drift_to_the_documents(isolated_app):
    from store import Store

    at = open_page("exports")
    # The demo ships one milestone (dated 15/12/2022, for the execution rate of 2023-2024), none chosen.
    picker = at.selectbox(key="exports_milestone")
    assert picker.options == ["Plan pluriannuel de décembre 2022 (démonstration)"] and picker.value is None
    store = Store.open(isolated_app)
    store.create_milestone("Comité de mars")
    store.close()
    at.run()
    at.selectbox(key="exports_milestone").set_value("Comité de mars").run()
    assert_no_exception(at)
    assert any('--drift "Comité de mars"' in c.value for c in at.caption)  # the same report from the CLI
