"""Parquet files, read batch by batch and turned into text.

Parquet is already typed; we still hand ingest text, so a Parquet source is typed, checked and
quarantined by the same declared columns as every other kind. Nested values become JSON text.
Files in a folder may differ in columns; the reader's columns are their union.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import Field

from lingshu.connectors.base import (
    CONNECTORS,
    ConnectorError,
    ReadContext,
    SourceOptions,
    parse_options,
    resolve_files,
    text_schema,
    unique_names,
)
from lingshu.connectors.values import to_text
from lingshu.pack.spec import SourceSpec


class ParquetOptions(SourceOptions):
    batch_rows: int = Field(65_536, ge=1, description="rows per batch read from the file")


def _as_text(column: pa.Array) -> pa.Array:
    typ = column.type
    if (pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_integer(typ)
            or pa.types.is_boolean(typ)):
        return pc.cast(column, pa.string())  # exact and vectorized for these types
    # Timestamps (Arrow prints 'T' and fractions), floats (shortest repr), decimals, nested data:
    # one Python pass through the same formatter the other connectors use.
    return pa.array([to_text(v) for v in column.to_pylist()], pa.string())


def _open(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowInvalid, pa.ArrowIOError, OSError) as exc:
        raise ConnectorError(f"{path.name} is not a readable Parquet file: {exc}",
                             hint="check that path: points at .parquet files written completely") from None


class ParquetConnector:
    options = ParquetOptions

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(ParquetOptions, source)
        files = resolve_files(source, ctx, suffixes=(".parquet", ".pq"))
        try:
            handles = [_open(p) for p in files]
        except ConnectorError as exc:
            raise ConnectorError(f"source {source.name!r}: {exc.message}", hint=exc.hint) from None
        originals: list[str] = []
        for handle in handles:
            originals.extend(n for n in handle.schema_arrow.names if n not in originals)
        columns = unique_names(originals)
        schema = text_schema(columns)

        def batches() -> Iterator[pa.RecordBatch]:
            for path, handle in zip(files, handles):
                offset = 0
                for batch in handle.iter_batches(batch_size=opts.batch_rows):
                    n = batch.num_rows
                    arrays = [_as_text(batch.column(name)) if name in batch.schema.names else pa.nulls(n, pa.string())
                              for name in originals]
                    arrays += [pa.array([path.as_posix()] * n, pa.string()),
                               pa.array(range(offset + 1, offset + n + 1), pa.int64()),
                               pa.nulls(n, pa.string()), pa.nulls(n, pa.string())]
                    offset += n
                    yield pa.RecordBatch.from_arrays(arrays, schema=schema)

        return pa.RecordBatchReader.from_batches(schema, batches())


CONNECTORS.add("parquet", ParquetConnector())
