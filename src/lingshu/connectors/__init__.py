"""Source connectors, registered by kind. Each turns a ``SourceSpec`` into Arrow batches of text.

A connector only reads: it returns every row as received (all columns as strings, plus
``_source_file`` and ``_row_number``, and ``_parse_error``/``_raw`` for rows it could not parse),
so typing and quarantine happen once, in ``lingshu.ingest``, the same way for every kind.

Kinds: csv, tsv (``csv``); excel, xlsx (``excel``); json, jsonl (``jsonfile``); parquet;
geojson, shapefile, geo (``geo``); sql, postgresql, mysql, sqlite (``sqldb``); http (``http``).
Heavy client libraries are imported inside the connectors that need them.
"""

from lingshu.connectors.base import CONNECTORS, Connector, ConnectorError, ReadContext

# Importing a connector module registers it.
from lingshu.connectors import csv as _csv  # noqa: E402,F401
from lingshu.connectors import excel as _excel  # noqa: E402,F401
from lingshu.connectors import http as _http  # noqa: E402,F401
from lingshu.connectors import geo as _geo  # noqa: E402,F401
from lingshu.connectors import jsonfile as _jsonfile  # noqa: E402,F401
from lingshu.connectors import parquet as _parquet  # noqa: E402,F401
from lingshu.connectors import sqldb as _sqldb  # noqa: E402,F401

__all__ = ["CONNECTORS", "Connector", "ConnectorError", "ReadContext"]
