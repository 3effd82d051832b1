"""What one undo step is: a burst of moves of one lever (ui.state.continues_burst)."""

from __future__ import annotations

from ui.state import BURST_SECONDS, continues_burst


def test_same_lever_within_the_window_continues_the_burst():
    assert continues_burst(("lever_escalation", 10.0), "lever_escalation", 10.0 + BURST_SECONDS / 2)


def test_another_lever_a_pause_or_no_lever_starts_a_new_step():
    assert not continues_burst(("lever_escalation", 10.0), "lever_commitment_deadline", 10.2)
    assert not continues_burst(("lever_escalation", 10.0), "lever_escalation", 10.0 + BURST_SECONDS)
    assert not continues_burst(("lever_escalation", 10.0), None, 10.2)
    assert not continues_burst(None, "lever_escalation", 10.2)
    assert not continues_burst(("lever_escalation", 10.0), "lever_escalation", 9.0)  # clock went back
