"""The projector's enlarged grid: the CSS it gets and the room kept below it."""

from __future__ import annotations

import pytest

from ui import tables


def test_css_scales_the_slot_and_keeps_the_extra_height_free_below(monkeypatch):
    monkeypatch.setattr(tables, "PROJECTOR_GRID_SCALE", 1.25)
    monkeypatch.setattr(tables, "NARROW_GRID_SCALE", 1.1)
    css = tables.projector_grid_css("lever_grid", 400)
    wide = ".st-key-lever_grid { transform: scale(1.25); transform-origin: 0 0; width: 80.0000% !important; "
    assert wide + "margin-bottom: 100px; }" in css  # 400 px drawn 500 px high: 100 px more below
    narrow = css[css.index("@media (max-width: 1599px)") :]
    assert "transform: scale(1.1);" in narrow and "width: 90.9091% !important; margin-bottom: 40px;" in narrow
    assert ".st-key-lever_grid [data-testid='stElementToolbar'] { display: none; }" in css


@pytest.mark.parametrize("slot", ["lever grid", "a{b}", "x;y", "grid@1", ""])
def test_a_slot_that_is_not_a_plain_css_key_is_refused(slot):
    with pytest.raises(ValueError):
        tables.projector_grid_css(slot, 100)


def test_grid_height_counts_the_header_and_the_visible_rows(monkeypatch):
    monkeypatch.setattr(tables.state, "projector", lambda: False)
    assert tables.grid_height(3) == 38 + 3 * 35
    assert tables.grid_height(0) == 38 + 35  # an empty grid keeps one row for its message
    assert tables.grid_height(103, 13) == 38 + 13 * 35
    monkeypatch.setattr(tables.state, "projector", lambda: True)
    assert tables.grid_height(3) == round((38 + 3 * 35) * 21 / 16)  # rows are in rem: 21 px root
