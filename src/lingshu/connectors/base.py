"""The connector contract, the registry, and what every connector shares.

A connector reads; it never types or filters. It returns an Arrow ``RecordBatchReader`` whose
columns are the source's columns as text, plus:

- ``_source_file``: the file, table or URL the row came from;
- ``_row_number``: the row's number within that file (data rows, 1-based; for Excel the sheet's
  own row number, which is what a clerk sees) or within the read for databases and APIs;
- ``_parse_error`` (optional): why the row could not be parsed (a ragged CSV line, a JSON line
  that is not JSON, bytes that are not in the file's encoding), else NULL;
- ``_raw`` (optional): the row as received, when it could not be split into columns.

Rows with a ``_parse_error`` are quarantined by ``lingshu.ingest`` like rows that fail their
declared types, so a broken row is never dropped silently. Readers must be lazy (batches made as
they are pulled) so memory stays flat however large the source is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, TypeVar

import pyarrow as pa
from pydantic import Field, ValidationError, model_validator

from lingshu.core.errors import LingshuError
from lingshu.core.registry import Registry
from lingshu.core.yamlfile import Strict
from lingshu.pack.spec import SourceSpec

SOURCE_FILE = "_source_file"
ROW_NUMBER = "_row_number"
PARSE_ERROR = "_parse_error"
RAW = "_raw"
META_COLUMNS = (SOURCE_FILE, ROW_NUMBER, PARSE_ERROR, RAW)
BATCH_ROWS = 50_000


class ConnectorError(LingshuError):
    """A source cannot be read: missing file, unreadable encoding, unreachable server."""


# -- options ------------------------------------------------------------------------------------
class IncrementalOptions(Strict):
    """``incremental:`` in a source's options: load only what is new since the last run."""

    mode: Literal["watermark", "files"] = Field(
        description="watermark: rows whose column is above the last maximum; files: files not seen before")
    column: str | None = Field(None, description="watermark column, e.g. updated_at or id")
    unique_key: list[str] = Field(
        default_factory=list, description="replace earlier rows with the same key instead of appending")

    @model_validator(mode="after")
    def _column_for_watermark(self) -> IncrementalOptions:
        if self.mode == "watermark" and not self.column:
            raise ValueError("mode 'watermark' needs column: (the column that grows, e.g. updated_at)")
        return self


class SourceOptions(Strict):
    """Options every source kind accepts; each connector extends this with its own."""

    incremental: IncrementalOptions | None = None
    frequency: str | None = Field(None, description="how often the provider updates, e.g. 每日 / daily")


O = TypeVar("O", bound=SourceOptions)


def parse_options(model: type[O], source: SourceSpec) -> O:
    """Validate ``source.options``; one error naming the source and every bad option."""
    try:
        return model.model_validate(source.options)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"]) or "(options)"
            if error["type"] == "extra_forbidden":
                allowed = ", ".join(sorted(model.model_fields))
                problems.append(f"{loc}: unknown option (allowed: {allowed})")
            else:
                problems.append(f"{loc}: {error['msg']}")
        raise ConnectorError(
            f"source {source.name!r} ({source.kind}) has bad options: " + "; ".join(problems),
            hint="fix options: of this source in pack.yaml",
        ) from None


# -- the read context ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Watermark:
    """The largest value of ``column`` loaded so far, as text, with the column's declared type."""

    column: str
    value: str
    type: str = "VARCHAR"


@dataclass(frozen=True)
class ReadContext:
    pack_root: Path  # relative paths in a pack resolve here first...
    raw_dir: Path  # ...then in the workspace's raw/ folder
    secrets_dir: Path | None = None  # the workspace's secrets/ (a file per secret, 0600)
    since: Watermark | None = None  # incremental: connectors may push this filter down
    skip_files: frozenset[str] = field(default_factory=frozenset)  # incremental by file: seen before


class Connector(Protocol):
    options: ClassVar[type[SourceOptions]]

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader: ...


CONNECTORS: Registry[Connector] = Registry("source kind")


# -- files --------------------------------------------------------------------------------------
def _visible(path: Path, base: Path) -> bool:
    return path.is_file() and not any(part.startswith(".") for part in path.relative_to(base).parts)


def resolve_files(source: SourceSpec, ctx: ReadContext, suffixes: Sequence[str] = ()) -> list[Path]:
    """Files matched by ``source.path`` (a file, a folder or a glob), pack folder first.

    A folder is searched recursively; ``suffixes`` (e.g. ``(".csv", ".txt")``) keeps a folder's
    README or a shapefile's side files out. Files recorded in ``ctx.skip_files`` (incremental by
    file) are left out *after* matching, so "no new files" is not mistaken for "no files".
    """
    if not source.path:
        raise ConnectorError(f"source {source.name!r} has no path", hint="add path: to the source in pack.yaml")
    wanted = tuple(s.lower() for s in suffixes)
    for base in (ctx.pack_root, ctx.raw_dir):
        candidate = base / source.path
        if candidate.is_file():
            files = [candidate]
        elif candidate.is_dir():
            files = sorted(p for p in candidate.rglob("*") if _visible(p, candidate)
                           and (not wanted or p.suffix.lower() in wanted))
        else:
            try:
                files = sorted(p for p in base.glob(source.path) if _visible(p, base))
            except (ValueError, NotImplementedError):  # absolute or malformed patterns
                files = []
        if files:
            return [f for f in files if f.as_posix() not in ctx.skip_files]
    raise ConnectorError(
        f"source {source.name!r}: no file matches {source.path!r}",
        hint=f"put the file in {ctx.pack_root} or {ctx.raw_dir}, or fix path: in pack.yaml",
    )


# -- building the text batches ------------------------------------------------------------------
def text_schema(columns: Sequence[str]) -> pa.Schema:
    return pa.schema([*(pa.field(c, pa.string()) for c in columns),
                      pa.field(SOURCE_FILE, pa.string()), pa.field(ROW_NUMBER, pa.int64()),
                      pa.field(PARSE_ERROR, pa.string()), pa.field(RAW, pa.string())])


@dataclass
class Row:
    """One row as read: values aligned with the reader's columns (None for a missing value)."""

    values: Sequence[str | None]
    source_file: str
    row_number: int
    parse_error: str | None = None
    raw: str | None = None


def rows_reader(columns: Sequence[str], rows: Iterable[Row], batch_rows: int = BATCH_ROWS) -> pa.RecordBatchReader:
    """A lazy reader over ``rows``: one Arrow batch per ``batch_rows`` rows, built as pulled."""
    schema = text_schema(columns)
    width = len(columns)

    def batches() -> Iterator[pa.RecordBatch]:
        cols: list[list[Any]] = [[] for _ in range(width + 4)]
        for row in rows:
            values = row.values
            for i in range(width):
                cols[i].append(values[i] if i < len(values) else None)
            cols[width].append(row.source_file)
            cols[width + 1].append(row.row_number)
            cols[width + 2].append(row.parse_error)
            cols[width + 3].append(row.raw)
            if len(cols[width]) >= batch_rows:
                yield pa.RecordBatch.from_arrays([pa.array(c, t.type) for c, t in zip(cols, schema)], schema=schema)
                cols = [[] for _ in range(width + 4)]
        if cols[width]:
            yield pa.RecordBatch.from_arrays([pa.array(c, t.type) for c, t in zip(cols, schema)], schema=schema)

    return pa.RecordBatchReader.from_batches(schema, batches())


def unique_names(names: Iterable[object]) -> list[str]:
    """Header cells as column names: trimmed, blanks named col_N, repeats suffixed _2, _3."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(names, start=1):
        name = str(raw).strip() if raw is not None else ""
        name = name or f"col_{i}"
        if name in META_COLUMNS:
            name = name.lstrip("_")  # a source column may not impersonate our bookkeeping
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def declared_type(source: SourceSpec, column: str) -> str | None:
    """The declared type of a source column, matched by name or by its Chinese title."""
    for col in source.columns:
        if column in (col.name, col.title):
            return col.type.upper()
    return None
