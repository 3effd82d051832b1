"""French wording for pydantic validation errors.

Pydantic speaks English; users read French. Each error becomes (field path, value, reason),
the reason in French, so the import, the CLI and the pages can all say which field and which
value is at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


@dataclass(frozen=True)
class FieldProblem:
    field: str
    value: Any
    reason: str

    def __str__(self) -> str:
        where = f"{self.field} : " if self.field else ""
        shown = "" if self.value is _NO_VALUE else f" (valeur reçue : {_show(self.value)})"
        return f"{where}{self.reason}{shown}"


_NO_VALUE = object()


def _show(value: Any) -> str:
    if isinstance(value, dict | list) and len(repr(value)) > 80:
        return repr(value)[:77] + "…"
    return repr(value)


def _bound(value: Any) -> str:
    """A constraint's bound the French way: ``0`` rather than ``0.0``, ``0,5`` rather than ``0.5``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def _reason(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    fixed = {
        "missing": "valeur obligatoire manquante",
        "int_parsing": "nombre entier attendu",
        "int_type": "nombre entier attendu",
        "int_from_float": "nombre entier attendu (sans décimales)",
        "float_parsing": "nombre attendu",
        "float_type": "nombre attendu",
        "finite_number": "nombre fini attendu",
        "bool_parsing": "valeur vrai/faux attendue",
        "bool_type": "valeur vrai/faux attendue",
        "string_type": "texte attendu",
        "dict_type": "objet (dictionnaire) attendu",
        "model_type": "objet attendu",
        "list_type": "liste attendue",
        "extra_forbidden": "clé inconnue",
        "json_invalid": "JSON invalide",
        "string_too_short": "texte vide",
    }
    if kind in fixed:
        return fixed[kind]
    if kind == "greater_than_equal":
        return f"doit être supérieur ou égal à {_bound(ctx.get('ge'))}"
    if kind == "greater_than":
        return f"doit être strictement supérieur à {_bound(ctx.get('gt'))}"
    if kind == "less_than_equal":
        return f"doit être inférieur ou égal à {_bound(ctx.get('le'))}"
    if kind == "less_than":
        return f"doit être strictement inférieur à {_bound(ctx.get('lt'))}"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"valeur inconnue, valeurs possibles : {expected}"
    if kind == "string_too_long":
        return f"texte trop long (au plus {ctx.get('max_length')} caractères)"
    return str(error["msg"])


def french_problems(exc: ValidationError, labels: dict[str, str] | None = None) -> list[FieldProblem]:
    """French problems of a validation error; ``labels`` renames top-level fields (e.g. to
    the import template's column names)."""
    labels = labels or {}
    problems = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        if loc:
            loc[0] = labels.get(loc[0], loc[0])
        value = error.get("input", _NO_VALUE)
        if error["type"] == "missing" or (isinstance(value, dict) and error["type"].startswith("value_error")):
            value = _NO_VALUE
        reason = _reason(dict(error))
        if value is not _NO_VALUE and repr(value) in reason:
            value = _NO_VALUE  # the reason already quotes it
        problems.append(FieldProblem(".".join(loc), value, reason))
    return problems


def french_message(exc: ValidationError, labels: dict[str, str] | None = None) -> str:
    return "\n".join(f"- {p}" for p in french_problems(exc, labels))
