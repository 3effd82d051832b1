"""The README and docs stand alone, and the README's scenario-key tables match the model."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _generator():
    spec = importlib.util.spec_from_file_location("scenario_keys", ROOT / "docs" / "scenario_keys.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_scenario_tables_are_the_generated_ones():
    """Fails when a key of Scenario or OperationChoice was added or changed without `./dev docs`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    generated = _generator().with_tables(readme)
    assert readme == generated, "README.md diffère des tables générées : lancez ./dev docs"


def test_every_key_of_the_model_is_in_the_readme():
    from simulation.scenario import OperationChoice, Scenario

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in [*Scenario.model_fields, *OperationChoice.model_fields]:
        assert f"| `{name}` |" in readme, name


def test_the_generator_refuses_a_key_without_description():
    from pydantic import BaseModel

    class Undocumented(BaseModel):
        key: int = 1

    with pytest.raises(SystemExit, match=r"Undocumented\.key"):
        _generator().key_table(Undocumented)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_documents_name_nothing_outside_the_repository(document: Path):
    text = document.read_text(encoding="utf-8")
    assert "DOMAIN.md" not in text and "shared/" not in text and "/work/" not in text
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):  # a web address
            continue
        resolved = (document.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), target
        assert resolved.exists(), target


def test_the_readme_links_the_rules_of_calculation():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/regles-de-calcul.md)" in readme


def test_readme_limits_and_tolerances_are_the_generated_ones():
    """Fails when a limit or a tolerance changed in simulation/ without `./dev docs`."""
    spec = importlib.util.spec_from_file_location("limits_doc", ROOT / "docs" / "limits.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == module.with_tables(readme), "README.md diffère des tables générées : lancez ./dev docs"
    from simulation import limits, tolerances

    for module_, names in (
        (limits, module.documented_constants(ROOT / "simulation" / "limits.py")),
        (tolerances, module.documented_constants(ROOT / "simulation" / "tolerances.py")),
    ):
        constants = {n for n in vars(module_) if n.isupper()}
        assert {n for n, _doc in names} == constants
        assert all(doc for _n, doc in names), "every limit and tolerance says what it is for"
    assert "| `MAX_SHIFT_MONTHS` | 240 |" in readme
