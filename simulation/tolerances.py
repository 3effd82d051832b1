"""How close to a limit counts as at the limit: the one home of the engine's tolerances.

Amounts are float euros: a cost spread over months, escalated per year and split by VAT and
funders leaves errors of a few cents, and an envelope set to exactly the spending must not
read as exceeded because of them.
"""

from __future__ import annotations

EURO_TOLERANCE = 1.0
"""Spending above a limit by at most one euro is within it: envelopes in the engine's
``over_envelope`` flag and in the KPIs, and in the phasing assistant's checks of a proposal.
One euro is far above float noise on amounts of millions and far below any figure shown."""

EURO_NIL = 0.5
"""An amount below half a euro is nil: it rounds to ``0 €`` wherever it is shown, so a row or
a year with no more than that is treated as empty."""

OVERRUN_SHOWN_EUROS = 500.0
"""A display threshold, larger on purpose: charts label an envelope overrun in M€ with one
decimal or more only when it reaches 500 €; below, it is rounding noise of the M€ figures and
a label « 0,0 M€ » would alarm for nothing. The engine still counts it past ``EURO_TOLERANCE``."""

STAFF_OVERLOAD_FTE = 1e-9
"""A month counts as over headcount when the load exceeds it by more than this (float noise of
summed loads): the engine's KPIs and the Capacité tables."""

FTE_TOLERANCE = 1e-6
"""Looser, on purpose, for the phasing assistant's check of a proposal: its solvers count loads in
whole thousandths of an FTE (``fit.problem.FTE_UNIT``), and the proposal is then simulated again in floats."""
