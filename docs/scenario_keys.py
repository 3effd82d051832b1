"""The README's tables of scenario keys, generated from the pydantic model.

Each key's meaning is the ``description`` of its field in ``simulation/scenario.py``, and its
default is the model's own. After adding or changing a key there, run::

    ./dev docs          # or: .venv/bin/python docs/scenario_keys.py

which rewrites the tables between the ``scenario-keys`` markers of README.md.
``tests/test_readme.py`` fails while the README differs from what this script generates.
"""

from __future__ import annotations

import enum
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from simulation.scenario import OperationChoice, Scenario  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- scenario-keys:start -->", "<!-- scenario-keys:end -->"
_MARKED = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def default_text(value: Any) -> str:
    """A default as the table shows it: JSON in backticks, numbers per phase, « aucun » when empty."""
    if isinstance(value, BaseModel):
        values = list(value.model_dump().values())
        if all(v is None for v in values):
            return "aucun"
        return " / ".join(_number(v) for v in values)
    if value is None or value == {} or value == "":
        return "aucun"
    if isinstance(value, enum.Enum):
        value = value.value
    text = json.dumps(TypeAdapter(Any).dump_python(value, mode="json"), ensure_ascii=False)
    if len(text) > 60:  # a table per maturity, say: the template prints it whole
        return "voir `scenario-template`"
    return f"`{text}`"


def key_table(model: type[BaseModel]) -> str:
    """One row per field of ``model``: key, French meaning (its description), default."""
    lines = ["| clé | sens | défaut |", "| --- | --- | --- |"]
    for name, field in model.model_fields.items():
        if not field.description:
            raise SystemExit(f"{model.__name__}.{name} n'a pas de description : ajoutez Field(description=…).")
        default = field.get_default(call_default_factory=True)
        lines.append(f"| `{name}` | {field.description} | {default_text(default)} |")
    return "\n".join(lines)


def tables() -> str:
    """What goes between the markers: the scenario's keys, then those of one operation's choices."""
    return "\n".join(
        [
            START,
            key_table(Scenario),
            "",
            "Choix par opération (`choices`) :",
            "",
            key_table(OperationChoice),
            END,
        ]
    )


def with_tables(readme: str) -> str:
    """The README text with its tables replaced by freshly generated ones."""
    if not _MARKED.search(readme):
        raise SystemExit(f"README.md : repères {START} … {END} introuvables.")
    return _MARKED.sub(lambda _match: tables(), readme, count=1)


def rewrite_readme(update: Callable[[str], str], what: str) -> int:
    """Rewrite README.md with ``update`` (a generator's ``with_tables``) and say whether ``what`` changed."""
    text = README.read_text(encoding="utf-8")
    updated = update(text)
    if updated == text:
        print(f"README.md : {what} déjà à jour.")
    else:
        README.write_text(updated, encoding="utf-8")
        print(f"README.md : {what} régénérées.")
    return 0


def main() -> int:
    return rewrite_readme(with_tables, "tables des clés du scénario")


if __name__ == "__main__":
    sys.exit(main())
