"""Editing, adding and importing operations from the Opérations page.

The form shows an operation's fields with French labels and French-written numbers; what the
user typed goes through the model (pydantic) and the store, which refuse bad data with reasons
that are shown in French next to the form. Nothing is written unless everything is valid.
The import runs an uploaded file through ``Store.import_operations`` (all or nothing).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from formats.cells import parse_number
from formats.limits import ImportLimits
from simulation import fr
from simulation.errors import french_problems
from simulation.import_columns import FIELD_OF_COLUMN
from simulation.labels import FACILITY_TYPE, FIELD, FUNDER, MATURITY, NATURE, OWNER
from simulation.model import (
    FUNDERS,
    NAME_MAX,
    PROGRAMME_MAX,
    TEXT_MAX,
    FacilityType,
    Maturity,
    Nature,
    Operation,
    Owner,
    Portfolio,
)
from store import ImportIssue, ImportRefused, ImportSummary, Store, StoreError
from store.actuals import ActualsSummary
from store.opening import database_problem, is_database_error
from ui.frames.plain import md

FIELD_LABELS: dict[str, str] = FIELD
FUNDING_LABELS = {funder.value: f"{FUNDER[funder.value]} (€)" for funder in FUNDERS}

_DECIMAL_FIELDS = ("area_m2", "cost_ht", "ap_votee")
_INTEGER_FIELDS = ("capacity", "price_year", "programming_months", "design_months", "tendering_months", "works_months")
_DURATIONS = ("programming_months", "design_months", "tendering_months", "works_months")


@dataclass(frozen=True)
class FormProblem:
    """One reason the form was refused: the field's French label, what was typed, why."""

    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        shown = f" (saisi : {self.value})" if self.value else ""
        where = f"**{self.field}** : " if self.field else ""
        return f"{where}{self.reason}{shown}"

    def markdown(self) -> str:
        """The same sentence for ``st.error``: the label in bold, the typed value as plain text."""
        shown = f" (saisi : {md(self.value)})" if self.value else ""
        where = f"**{md(self.field)}** : " if self.field else ""
        return f"{where}{md(self.reason)}{shown}"


@dataclass(frozen=True)
class SaveOutcome:
    saved: Operation | None
    problems: list[FormProblem] = field(default_factory=list)
    summary: ImportSummary | None = None

    @property
    def ok(self) -> bool:
        return self.saved is not None and not self.problems


def shown_value(value: Any) -> str:
    """A typed value written back the French way, for an error message."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return fr.number(value, 0 if float(value).is_integer() else 2)
    if isinstance(value, dict):
        return ""
    return f"« {value} »"


def money_text(value: float | None) -> str:
    """``14 290 000`` (or ``1 234,5``) for a form field; empty when there is no value."""
    if value is None:
        return ""
    return fr.number(value, 0 if float(value).is_integer() else 2)


# ------------------------------------------------------------------------------ validation


def _problems_from_validation(exc: ValidationError, typed: dict[str, Any]) -> list[FormProblem]:
    problems = []
    for problem in french_problems(exc):
        name = problem.field.split(".")[0]
        reason = problem.reason
        if name == "vat_rate" and "doit être" in reason:
            reason = "doit être compris entre 0 et 30 %"
        problems.append(FormProblem(FIELD_LABELS.get(name, ""), shown_value(typed.get(name)), reason))
    return problems


def _problems_from_refusal(exc: ImportRefused) -> list[FormProblem]:
    labels = {**{column: FIELD_LABELS.get(name, column) for column, name in FIELD_OF_COLUMN.items()}, **FUNDING_LABELS}
    return [
        FormProblem(labels.get(issue.column or "", issue.column or ""), shown_value(issue.value), issue.reason)
        for issue in exc.issues
    ]


def operation_from_form(values: dict[str, Any]) -> tuple[Operation | None, list[FormProblem]]:
    """The operation the form describes, or the list of everything wrong with it.

    ``values`` holds model field names; amounts (``cost_ht``, ``area_m2``, ``vat_rate`` in per
    cent, and ``funding`` per funder code) are the text the user typed.
    """
    problems: list[FormProblem] = []
    fields: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    unreadable: set[str] = set()
    for name, value in values.items():
        if name in ("funding", "reason"):  # the reason goes to the history, not into the operation
            continue
        if isinstance(value, str) and name in (*_DECIMAL_FIELDS, "vat_rate"):
            typed[name] = value.strip()
            try:
                number = parse_number(value)
            except ValueError as exc:
                problems.append(FormProblem(FIELD_LABELS[name], f"« {value.strip()} »", str(exc)))
                unreadable.add(name)
                continue
            if number is None:
                continue
            if name == "vat_rate" and 0 < number < 1:  # "0,2" typed for 20 %: asked, not guessed
                reason = f"le taux est un pourcentage : vouliez-vous dire {fr.number(number * 100, 1).removesuffix(',0')} % ?"
                problems.append(FormProblem(FIELD_LABELS[name], f"« {value.strip()} »", reason))
                unreadable.add(name)
                continue
            value = number / 100 if name == "vat_rate" else number
        elif isinstance(value, str):
            value = value.strip()
            if not value and name not in ("programme", "title", "id"):
                continue
        if value is None:
            continue
        typed.setdefault(name, value)
        fields[name] = value
    funding: dict[str, float] = {}
    for code, text in (values.get("funding") or {}).items():
        try:
            amount = parse_number(text)
        except ValueError as exc:
            problems.append(FormProblem(FUNDING_LABELS[code], f"« {str(text).strip()} »", str(exc)))
            unreadable.add("funding")
            continue
        if amount:
            funding[code] = amount
    fields["funding"] = funding
    try:
        operation = Operation.model_validate(fields)
    except ValidationError as exc:
        for problem in _problems_from_validation(exc, typed):
            field_name = next((n for n, label in FIELD_LABELS.items() if label == problem.field), None)
            if field_name not in unreadable:
                problems.append(problem)
        return None, problems
    if problems:
        return None, problems
    return operation, []


def save_from_form(
    store: Store, values: dict[str, Any], *, new: bool, expected_version: int | None = None
) -> SaveOutcome:
    """Validate the form and save it; on any problem nothing is written.

    ``expected_version``: the version the form was opened at (checked against changes since)."""
    operation, problems = operation_from_form(values)
    if operation is None:
        return SaveOutcome(None, problems)
    if new and operation.id in store.portfolio().by_id:
        reason = "cet identifiant est déjà utilisé : choisissez-en un nouveau"
        return SaveOutcome(None, [FormProblem(FIELD_LABELS["id"], f"« {operation.id} »", reason)])
    try:
        motive = str(values.get("reason") or "").strip() or None  # for the history
        summary = store.save_operation(operation, reason=motive, expected_version=expected_version)
    except ImportRefused as exc:
        return SaveOutcome(None, _problems_from_refusal(exc))
    except StoreError as exc:
        return SaveOutcome(None, [FormProblem("", "", str(exc))])
    return SaveOutcome(operation, [], summary)


# ------------------------------------------------------------------------------ the form


def render_form(portfolio: Portfolio, op: Operation | None, key: str, *, submit_label: str) -> dict[str, Any] | None:
    """Draw the form (pre-filled from ``op``, empty when None); the typed values once submitted."""
    names = portfolio.neighbourhood_names
    neighbourhoods = list(names)
    directorates = sorted({o.directorate for o in portfolio.operations})
    other_ids = [o.id for o in portfolio.operations if op is None or o.id != op.id]

    def index_of(options: list[Any], value: Any) -> int | None:
        return options.index(value) if value in options else None

    with st.form(key, border=True, enter_to_submit=False):
        values: dict[str, Any] = {}
        st.markdown("**Identité**")
        left, middle, right = st.columns([1, 3, 2])
        values["id"] = left.text_input(
            FIELD_LABELS["id"],
            value=op.id if op else "",
            disabled=op is not None,
            key=f"{key}_id",
            placeholder="ex. AIRB-09",
            max_chars=40,
            help="Identifiant stable, unique. Il ne se modifie pas une fois l'opération créée.",
        )
        values["title"] = middle.text_input(
            FIELD_LABELS["title"], value=op.title if op else "", max_chars=NAME_MAX, key=f"{key}_title"
        )
        values["neighbourhood"] = right.selectbox(
            FIELD_LABELS["neighbourhood"],
            neighbourhoods,
            index=index_of(neighbourhoods, op.neighbourhood if op else None),
            format_func=cast("Callable[[Any], str]", names.get),  # every option has its name
            placeholder="Choisir un quartier",
            key=f"{key}_neighbourhood",
        )
        columns = st.columns(4)
        coded = (
            ("facility_type", [t.value for t in FacilityType], FACILITY_TYPE),
            ("nature", [n.value for n in Nature], NATURE),
            ("owner", [o.value for o in Owner], OWNER),
            ("maturity", [m.value for m in Maturity], MATURITY),
        )
        for column, (name, options, labels) in zip(columns, coded, strict=True):
            current = getattr(op, name).value if op else None
            values[name] = column.selectbox(
                FIELD_LABELS[name],
                options,
                index=index_of(options, current),
                format_func=cast("Callable[[Any], str]", labels.get),  # every option has its label
                placeholder="Choisir",
                key=f"{key}_{name}",
            )
        columns = st.columns(4)
        values["directorate"] = columns[0].selectbox(
            FIELD_LABELS["directorate"],
            directorates,
            index=index_of(directorates, op.directorate if op else None),
            accept_new_options=True,
            placeholder="Choisir ou saisir",
            key=f"{key}_directorate",
        )
        priorities = [1, 2, 3, 4, 5]
        values["priority"] = columns[1].selectbox(
            FIELD_LABELS["priority"],
            priorities,
            index=priorities.index(op.priority if op else 3),
            format_func=lambda p: {1: "1 (la plus haute)", 5: "5 (la plus basse)"}.get(p, str(p)),
            key=f"{key}_priority",
            placeholder="Choisir",
        )
        dependencies: list[str | None] = [None, *other_ids]
        values["depends_on"] = columns[2].selectbox(
            FIELD_LABELS["depends_on"],
            dependencies,
            index=index_of(dependencies, op.depends_on if op else None) or 0,
            format_func=lambda i: "Aucune" if i is None else f"{i} – {portfolio.by_id[i].title}",
            help="Une opération qui doit être achevée avant que celle-ci démarre (démolition, libération foncière).",
            key=f"{key}_depends_on",
            placeholder="Choisir",
        )

        st.markdown("**Programme et coût**")
        cost_columns = st.columns(5)
        values["area_m2"] = cost_columns[0].text_input(
            FIELD_LABELS["area_m2"], value=money_text(op.area_m2 if op else None), key=f"{key}_area_m2"
        )
        values["capacity"] = cost_columns[1].number_input(
            FIELD_LABELS["capacity"], value=op.capacity if op else None, step=1, key=f"{key}_capacity"
        )
        values["cost_ht"] = cost_columns[2].text_input(
            FIELD_LABELS["cost_ht"],
            value=money_text(op.cost_ht if op else None),
            help="Hors taxes, en euros de l'année de prix. Écrire par exemple 4 500 000.",
            key=f"{key}_cost_ht",
        )
        values["price_year"] = cost_columns[3].number_input(
            FIELD_LABELS["price_year"], value=op.price_year if op else None, step=1, key=f"{key}_price_year"
        )
        values["vat_rate"] = cost_columns[4].text_input(
            FIELD_LABELS["vat_rate"],
            value=fr.number((op.vat_rate if op else 0.20) * 100, 1).removesuffix(",0"),
            key=f"{key}_vat_rate",
        )
        values["programme"] = st.text_area(
            FIELD_LABELS["programme"],
            value=op.programme if op else "",
            height=90,
            max_chars=PROGRAMME_MAX,
            key=f"{key}_programme",
        )

        st.markdown("**Calendrier prévu**")
        calendar_columns = st.columns(5)
        values["start"] = calendar_columns[0].text_input(
            FIELD_LABELS["start"],
            value=op.start if op else "",
            placeholder="2026-03",
            help="Mois où démarre la programmation.",
            key=f"{key}_start",
        )
        for column, name in zip(calendar_columns[1:], _DURATIONS, strict=True):
            values[name] = column.number_input(
                FIELD_LABELS[name], value=getattr(op, name) if op else None, step=1, key=f"{key}_{name}"
            )

        st.markdown("**Plan de financement**")
        funding_columns = st.columns(len(FUNDERS))
        values["funding"] = {
            funder.value: column.text_input(
                FUNDING_LABELS[funder.value],
                value=money_text(op.funding.get(funder)) if op and op.funding.get(funder) else "",
                key=f"{key}_funding_{funder.value}",
            )
            for column, funder in zip(funding_columns, FUNDERS, strict=True)
        }
        values["ap_votee"] = st.text_input(
            FIELD_LABELS["ap_votee"],
            value=money_text(op.ap_votee if op else None),
            help="Autorisation de programme votée par le conseil, TTC (facultatif) : "
            "si le coût total TTC du plan la dépasse, l'AP est à réviser.",
            key=f"{key}_ap_votee",
        )
        values["reason"] = st.text_input(
            "Motif de la modification (facultatif)",
            max_chars=TEXT_MAX,
            help="Écrit dans l'historique avec la modification (qui, quand, avant → après).",
            key=f"{key}_reason",
        )
        submitted = st.form_submit_button(submit_label, type="primary", icon=":material/save:")
    return values if submitted else None


def show_problems(problems: list[FormProblem]) -> None:
    st.error(
        f"**Rien n'a été enregistré** : {len(problems)} problème(s) à corriger.\n\n"
        + "\n".join(f"- {problem.markdown()}" for problem in problems),
        icon=":material/error:",
    )


# ------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class ImportOutcome:
    source: str
    summary: ImportSummary | ActualsSummary | None
    issues: tuple[ImportIssue, ...] = ()
    total: int = 0
    """Problems found, counted; only the first ones are kept in ``issues``."""

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def problem_count(self) -> int:
        return max(self.total, len(self.issues))

    @property
    def more(self) -> int:
        """Problems counted past those listed (« … et N autres »)."""
        return self.problem_count - len(self.issues)

    def issues_frame(self) -> pd.DataFrame:
        """One row per problem: Ligne, Colonne, Valeur, Raison (all text)."""
        return pd.DataFrame(
            {
                "Ligne": ["—" if i.row is None else str(i.row) for i in self.issues],
                "Colonne": [i.column or "—" for i in self.issues],
                "Valeur": ["" if i.value is None else str(i.value) for i in self.issues],
                "Raison": [i.reason for i in self.issues],
            }
        )


def upload_limit_mb() -> int:
    """The upload widget's limit, in megabytes: the import's own file cap (10 Mo by default)."""
    return max(1, ImportLimits.from_environment().max_file_bytes // (1024 * 1024))


def may_import(store: Store, *, actuals: bool = False) -> StoreError | None:
    """Why the person acting may not import (None when they may): asked before any upload."""
    try:
        if actuals:
            store.check_may_import_actuals()
        else:
            store.check_may_import()
    except StoreError as exc:
        return exc
    return None


def import_upload(store: Store, filename: str, data: bytes, *, replace: bool, actuals: bool = False) -> ImportOutcome:
    """Write the uploaded bytes to a temporary file (same name) and import it, all or nothing
    (``actuals``: a file of actuals, ``Store.import_actuals``).

    The store checks the role before the file is read: a refused person's file is never parsed.
    """
    name = Path(filename).name or "import.csv"
    with tempfile.TemporaryDirectory(prefix="simulateur-import-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            summary = store.import_actuals(path) if actuals else store.import_operations(path, replace=replace)
        except ImportRefused as exc:
            return ImportOutcome(name, None, tuple(exc.issues), exc.total)
        except StoreError as exc:
            return ImportOutcome(name, None, (ImportIssue(None, None, None, str(exc)),))
        except Exception as exc:  # the database itself (locked, damaged): said in French, nothing written
            if not is_database_error(exc):
                raise
            return ImportOutcome(name, None, (ImportIssue(None, None, None, database_problem(exc)),))
    return ImportOutcome(name, summary)
