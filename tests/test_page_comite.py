"""Préparation du comité d'engagement: readiness per neighbourhood and operation, with filters."""

from __future__ import annotations

import pytest

from simulation.readiness import readiness
from store import load_portfolio
from store.paths import DEMO_OPERATIONS_CSV
from tests.apptest_support import assert_no_exception, open_page

pytestmark = pytest.mark.usefixtures("isolated_app")


@pytest.fixture(scope="module")
def expected():
    return readiness(load_portfolio(DEMO_OPERATIONS_CSV))


def test_page_shows_every_operation_and_neighbourhood_counts(expected):
    at = open_page("comite")
    assert_no_exception(at)
    assert at.title[0].value == "Préparation du comité d'engagement"
    ready = sum(r.ready for r in expected)
    assert at.metric[0].value == f"{ready} sur {len(expected)}"
    neighbourhoods = at.dataframe[0].value
    assert neighbourhoods["Opérations"].sum() == len(expected)
    assert neighbourhoods["Prêtes"].sum() == ready
    operations = at.dataframe[1].value.set_index("Opération")
    assert len(operations) == len(expected)
    first_pending = next(r for r in expected if not r.ready)
    assert operations.loc[first_pending.id, "À définir"] == " ; ".join(first_pending.missing)
    assert at.get("download_button")


def test_filters_by_neighbourhood_directorate_and_status(expected):
    at = open_page("comite")
    at.multiselect(key="comite_quartiers").set_value(["AIRB"]).run()
    assert_no_exception(at)
    airbel = [r for r in expected if r.neighbourhood == "AIRB"]
    assert len(at.dataframe[1].value) == len(airbel)
    assert list(at.dataframe[0].value["Quartier"]) == ["Air Bel"]
    at.multiselect(key="comite_directions").set_value(["Éducation"]).run()
    mine = [r for r in airbel if r.directorate == "Éducation"]
    assert len(at.dataframe[1].value) == len(mine)
    at.get("button_group")[0].set_value("À compléter").run()
    assert_no_exception(at)
    pending = [r for r in mine if not r.ready]
    if pending:
        assert set(at.dataframe[1].value["Opération"]) == {r.id for r in pending}
    else:
        assert any("Aucune opération" in i.value for i in at.info)


def test_on_a_projector_the_operations_come_a_page_at_a_time_with_the_note_on_top(expected):
    """Issue 20: the page was 26 screens tall at 1280 px (103 rows), the Word button at its bottom."""
    from ui.tables import PROJECTOR_PAGE_ROWS

    at = open_page()
    at.session_state["projecteur"] = True
    at.run()
    at.switch_page("views/comite.py")
    at.run()
    assert_no_exception(at)

    def operations_table():
        (table,) = [t for t in at.table if "Intitulé" in t.value.columns]
        return table.value

    first = operations_table()
    assert len(first) == PROJECTOR_PAGE_ROWS
    pages = at.segmented_control(key="comite_page")
    assert len(pages.options) == -(-len(expected) // PROJECTOR_PAGE_ROWS)
    pages.set_value(2).run()
    assert_no_exception(at)
    second = operations_table()
    assert len(second) == PROJECTOR_PAGE_ROWS and set(second["Opération"]).isdisjoint(first["Opération"])
    assert any("sur cette page" in c.value for c in at.caption)

    # The note's picker comes before the filters, in the page's order.
    def walk(node, out):
        for child in getattr(node, "children", {}).values():
            out.append(getattr(child, "key", None))
            walk(child, out)
        return out

    keys = walk(at.main, [])
    assert keys.index("comite_note_quartier") < keys.index("comite_quartiers")
