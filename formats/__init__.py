"""The files the City exchanges with the tool: the operations file (CSV/XLSX), scenario files.

One module per step: ``limits`` (how much a file may cost), ``read`` (decoding, CSV/XLSX,
bounded), ``cells`` (French numbers and coded values), ``rows`` (rows into ``Operation``),
``update`` (a partial file merged into the stored operations), ``write`` (export), ``files``
(neighbourhoods, portfolio and scenario files), ``errors`` (refusals in French). The columns
themselves are the engine's vocabulary (``simulation.import_columns``). Nothing here opens the
database: the store receives what these modules validated.
"""

from formats.errors import ImportIssue, ImportRefused
from formats.files import FileError, load_neighbourhoods, load_portfolio, load_scenario_file

__all__ = ["FileError", "ImportIssue", "ImportRefused", "load_neighbourhoods", "load_portfolio", "load_scenario_file"]
