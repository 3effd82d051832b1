"""Persistence and files: the DuckDB store, the import template, exports.

``load_portfolio(path)`` reads an import file; ``Store.open(path)`` opens the database.
"""

from formats.errors import ImportIssue, ImportRefused
from formats.files import FileError, load_neighbourhoods, load_portfolio, load_scenario_file
from store.access import AccessDenied, Person, Role
from store.database import ImportSummary, ScenarioInfo, Store, StoredScenario
from store.errors import ScenarioConflict, StoreError
from store.people import Caller

__all__ = [
    "AccessDenied",
    "Caller",
    "FileError",
    "ImportIssue",
    "ImportRefused",
    "ImportSummary",
    "Person",
    "Role",
    "ScenarioConflict",
    "ScenarioInfo",
    "Store",
    "StoreError",
    "StoredScenario",
    "load_neighbourhoods",
    "load_portfolio",
    "load_scenario_file",
]
