"""The README's tables of limits and tolerances, generated from the code.

Each row is a constant of ``simulation/limits.py`` (what an operation, a scenario and a workshop
lever may hold) or ``simulation/tolerances.py`` (how close to a limit counts as at it), with its
value and the docstring written under it. After changing one there, run::

    ./dev docs          # or: .venv/bin/python docs/limits.py

which rewrites the tables between the ``limits`` and ``tolerances`` markers of README.md.
``tests/test_readme.py`` fails while the README differs from what this script generates.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from simulation import limits, tolerances  # noqa: E402

README = ROOT / "README.md"
SOURCES = {
    "limits": (limits, ROOT / "simulation" / "limits.py"),
    "tolerances": (tolerances, ROOT / "simulation" / "tolerances.py"),
}


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def value_text(value: Any) -> str:
    """A value the French way: « 0,5 », « 1 990 – 2 100 », 21 steps « de 0,5 à 1,5 »."""
    if isinstance(value, tuple):
        if len(value) == 2:
            return f"{value_text(value[0])} – {value_text(value[1])}"
        return f"{len(value)} crans, de {value_text(value[0])} à {value_text(value[-1])}"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f") if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        if value != 0 and abs(value) < 1e-3:
            return f"{value:.0e}".replace("e-0", "e-")
        text = f"{value:,.6g}" if abs(value) >= 10_000 else f"{value:.6g}"
        return text.replace(",", "\u202f").replace(".", ",")
    return f"`{value}`"


def documented_constants(path: Path) -> list[tuple[str, str]]:
    """``(NAME, its docstring or comment)`` for each upper-case constant of the module, in file order."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rows: list[tuple[str, str]] = []
    body = tree.body
    for i, node in enumerate(body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if not name.isupper():
                continue
            doc = ""
            after = body[i + 1] if i + 1 < len(body) else None
            if (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                doc = " ".join(after.value.value.split())
            rows.append((name, doc))
    return rows


def table(name: str) -> str:
    module, path = SOURCES[name]
    lines = ["| nom | valeur | sens |", "| --- | --- | --- |"]
    for constant, doc in documented_constants(path):
        meaning = doc.replace("|", "\\|") or "—"
        lines.append(f"| `{constant}` | {value_text(getattr(module, constant))} | {meaning} |")
    return "\n".join(lines)


def with_tables(readme: str) -> str:
    """The README text with its limits and tolerances tables replaced by freshly generated ones."""
    for name in SOURCES:
        start, end = _markers(name)
        marked = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if not marked.search(readme):
            raise SystemExit(f"README.md : repères {start} … {end} introuvables.")
        replacement = f"{start}\n{table(name)}\n{end}"
        readme = marked.sub(lambda _match: replacement, readme, count=1)  # noqa: B023 (used at once)
    return readme


def main() -> int:
    text = README.read_text(encoding="utf-8")
    updated = with_tables(text)
    if updated == text:
        print("README.md : tables des limites et des tolérances déjà à jour.")
    else:
        README.write_text(updated, encoding="utf-8")
        print("README.md : tables des limites et des tolérances régénérées.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
