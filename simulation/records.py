"""A frozen result as the record the CLI prints with ``--json``.

One rule for every such record: the dataclass's fields by name, in the order they are declared,
tuples as JSON lists. A result whose record renames or rounds a field writes its own.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any


def record(instance: Any) -> dict[str, Any]:
    """``instance`` (a dataclass) as a JSON-ready dict: ``{field: value}``, tuples as lists."""
    return {
        f.name: list(value) if isinstance(value := getattr(instance, f.name), tuple) else value
        for f in fields(instance)
    }
