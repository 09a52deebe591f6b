"""CSV and TSV files, read by DuckDB's reader with every column as text."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from lingshu.connectors.base import CONNECTORS, ROW_NUMBER, SOURCE_FILE, ConnectorError, ReadContext, resolve_files
from lingshu.pack.spec import SourceSpec


class CsvConnector:
    """Options: ``delimiter`` (sniffed if absent), ``header`` (default true), ``encoding`` (utf-8)."""

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        files = resolve_files(source, ctx)
        opts = source.options
        args = ["all_varchar = true", "filename = true", f"header = {str(opts.get('header', True)).lower()}"]
        if "delimiter" in opts:
            args.append(f"delim = '{opts['delimiter']}'")
        if "encoding" in opts:
            args.append(f"encoding = '{opts['encoding']}'")
        file_list = ", ".join(f"'{f.as_posix()}'" for f in files)
        # row_number() over () follows file order because DuckDB preserves insertion order.
        sql = (f"SELECT * EXCLUDE (filename), filename AS {SOURCE_FILE}, "
               f"row_number() OVER () AS {ROW_NUMBER} FROM read_csv([{file_list}], {', '.join(args)})")
        con = duckdb.connect()
        try:
            return con.execute(sql).to_arrow_reader()
        except duckdb.Error as exc:
            raise ConnectorError(f"source {source.name!r}: cannot read CSV: {exc}",
                                 hint="check the delimiter and encoding options of the source") from None


CONNECTORS.add("csv", CsvConnector())
