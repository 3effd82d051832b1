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

SHARE_NIL = 1e-9
"""A share (a fraction of a total) at or below this is nil: float noise of a division, not a part.
Used by the Risques ranking of where to act (an operation's share of the P90 overrun)."""

OVERRUN_SHOWN_EUROS = 500.0
"""A display threshold, larger on purpose: charts label an envelope overrun in M€ with one
decimal or more only when it reaches 500 €; below, it is rounding noise of the M€ figures and
a label « 0,0 M€ » would alarm for nothing. The engine still counts it past ``EURO_TOLERANCE``."""

MONEY_DELTA_NIL = 5e4
"""A money difference below 50 000 € reads ``0,0 M€``: it is shown as no difference at all
(KPI deltas, the phasing assistant's lists of ANRU lost and committed money)."""

FTE_DELTA_NIL = 0.05
"""A staff difference below 0,05 ETP reads ``0,0 ETP``: it is shown as no difference at all."""

STAFF_OVERLOAD_FTE = 1e-9
"""A month counts as over headcount when the load exceeds it by more than this (float noise of
summed loads): the engine's KPIs and the Capacité tables."""

WHOLE_UNIT_NOISE = 1e-9
"""Float noise forgiven when an amount is counted in whole units (the phasing assistant's
thousands of euros): 3 000,000 000 1 k€ is 3 000 k€, not 3 001."""

FTE_TOLERANCE = 1e-6
"""Looser, on purpose, for the phasing assistant's check of a proposal: its solvers count loads in
whole thousandths of an FTE (``fit.problem.FTE_UNIT``), and the proposal is then simulated again in floats."""
