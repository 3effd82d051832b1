"""The operation sheet says whether the operation is ready for the engagement committee."""

from __future__ import annotations

import pytest

from tests.test_page_operations import open_sheet

pytestmark = pytest.mark.usefixtures("isolated_app")


def test_sheet_names_what_an_operation_lacks_before_the_committee():
    at = open_sheet("AIRB-04")
    assert any(c.value.startswith("Comité d'engagement : à compléter — coût : maturité au moins") for c in at.caption)
    assert not at.warning  # the demo's financing plans follow the co-funders' rules
    at = open_sheet("AIRB-01")
    assert any(c.value == "Comité d'engagement : prête à présenter" for c in at.caption)
