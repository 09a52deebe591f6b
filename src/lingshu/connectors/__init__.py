"""Source connectors, registered by kind. Each turns a ``SourceSpec`` into Arrow batches of text.

A connector only reads: it returns every row as received (all columns as strings, plus
``_source_file`` and ``_row_number``), so typing and quarantine happen once, in ``lingshu.ingest``,
the same way for every kind of source.
"""

from lingshu.connectors.base import CONNECTORS, Connector, ReadContext

# Importing a connector module registers it.
from lingshu.connectors import csv as _csv  # noqa: E402,F401

__all__ = ["CONNECTORS", "Connector", "ReadContext"]
