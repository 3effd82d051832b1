"""The journal records the domain model's field names; the history shows French labels for them
and for the file's column names that older databases hold."""

from __future__ import annotations

from datetime import datetime

import pytest

from cli.history import format_entry
from formats.write import operation_to_row
from simulation.journal_fields import domain_field, field_label, journal_row, shown_value
from simulation.model import FUNDERS, Operation
from store import load_portfolio
from store.database import HistoryEntry
from store.paths import DEMO_OPERATIONS_CSV
from ui.frames.history_table import history_frame


@pytest.fixture(scope="module")
def operation() -> Operation:
    return load_portfolio(DEMO_OPERATIONS_CSV).operations[0]


def test_the_journal_row_has_every_model_field_and_one_per_funder(operation):
    row = journal_row(operation)
    assert set(Operation.model_fields) - {"funding"} <= set(row)
    assert row["cost_ht"] == operation.cost_ht and row["vat_rate"] == operation.vat_rate
    assert row["owner"] == operation.owner.value
    assert {k for k in row if k.startswith("funding.")} == {f"funding.{f.value}" for f in FUNDERS}
    assert sum(v for k, v in row.items() if k.startswith("funding.")) == pytest.approx(operation.total_funding)


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("cout_ht", "cost_ht", "Coût HT (€)"),
        ("intitule", "title", "Intitulé"),
        ("duree_travaux", "works_months", "Travaux (mois)"),
        ("taux_tva", "vat_rate", "Taux de TVA (%)"),
        ("anru", "funding.anru", "Financement ANRU (€)"),
        ("etat", "funding.etat", "Financement État (€)"),
    ],
)
def test_old_column_names_and_new_field_names_read_the_same(old, new, label):
    assert domain_field(old) == domain_field(new) == new
    assert field_label(old) == field_label(new) == label


def test_every_template_column_has_a_french_label(operation):
    for column in operation_to_row(operation):
        assert field_label(column)[0].isupper() and field_label(column) != column


def _entry(field, before, after):
    return HistoryEntry(
        1, datetime(2026, 3, 1, 9, 30), "Léa", "opération", "AIRB-01", "DEJ", field, before, after, None, 2
    )


def test_the_page_and_the_cli_show_labels_and_the_vat_as_a_percentage():
    entries = [_entry("vat_rate", 0.2, 0.055), _entry("taux_tva", 20, 5.5), _entry("cost_ht", 1e6, 1.5e6)]
    frame = history_frame(entries)
    assert list(frame["Champ"]) == ["Taux de TVA (%)", "Taux de TVA (%)", "Coût HT (€)"]
    assert list(frame["Avant"])[:2] == ["20", "20"] and list(frame["Après"])[:2] == ["5,50", "5,50"]
    assert " : Taux de TVA (%) 20.0 → 5.5" in format_entry(entries[0])
    assert " : Taux de TVA (%) 20 → 5.5" in format_entry(entries[1])
    assert " : Coût HT (€) 1000000.0 → 1500000.0" in format_entry(entries[2])


def test_a_whole_operation_reads_by_title_and_cost_in_both_vocabularies(operation):
    new = history_frame([_entry(None, None, journal_row(operation))])
    old = history_frame([_entry(None, None, {"intitule": operation.title, "cout_ht": operation.cost_ht})])
    assert new["Après"][0] == old["Après"][0]
    assert new["Après"][0].startswith(operation.title)
    assert shown_value("cost_ht", 3) == 3
