"""Persistence and files: the DuckDB store, the import template, exports.

``load_portfolio(path)`` reads an import file; ``Store.open(path)`` opens the database.
"""

from store.database import ImportSummary, ScenarioConflict, ScenarioInfo, Store, StoredScenario, StoreError
from store.files import FileError, load_neighbourhoods, load_portfolio, load_scenario_file
from store.import_file import ImportIssue, ImportRefused

__all__ = [
    "FileError",
    "ImportIssue",
    "ImportRefused",
    "ImportSummary",
    "ScenarioConflict",
    "ScenarioInfo",
    "Store",
    "StoreError",
    "StoredScenario",
    "load_neighbourhoods",
    "load_portfolio",
    "load_scenario_file",
]
