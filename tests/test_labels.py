"""Shared choice lists of the pages: one home, valid codes."""

from __future__ import annotations

from simulation.labels import ALL_OWNERS, OWNER, OWNER_FILTER, chart_owner
from simulation.model import Owner


def test_owner_filter_lists_owner_codes_then_all():
    assert OWNER_FILTER[-1] == ALL_OWNERS == "Tous"
    assert all(Owner(code).value in OWNER for code in OWNER_FILTER[:-1])
    assert [OWNER.get(o, o) for o in OWNER_FILTER] == ["Ville", "SPEM", "Métropole", "Tous"]


def test_chart_owner_is_none_for_all_owners():
    assert chart_owner("Tous") is None
    assert chart_owner(None) is None
    assert chart_owner("Metropole") == "Metropole"
