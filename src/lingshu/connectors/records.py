"""JSON records (from files or HTTP APIs) as text rows, with flat memory.

Records do not share one schema: a key may first appear on page 40. Arrow needs the schema before
the first batch, so records are spooled to a temporary JSON Lines file while their keys are
collected, then read back as text rows. A record that is not an object is kept as a parse error.
"""

from __future__ import annotations

import json
import os
import tempfile
import weakref
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from lingshu.connectors.base import ConnectorError, Row, rows_reader, unique_names
from lingshu.connectors.values import to_text


def dig(document: Any, path: str | None, where: str) -> Any:
    """The value at a dotted ``path`` (``data.items``; digits index lists) inside ``document``."""
    if not path:
        return document
    current = document
    for i, part in enumerate(path.split(".")):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            done = ".".join(path.split(".")[:i]) or "(top)"
            keys = ", ".join(map(str, current)) if isinstance(current, dict) else type(current).__name__
            raise ConnectorError(f"{where}: record_path {path!r} not found: at {done} there is {keys}",
                                 hint="fix record_path: in the source's options")
    return current


class RecordSpool:
    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(prefix="lingshu-records-", suffix=".jsonl")
        self._file = os.fdopen(fd, "w", encoding="utf-8")
        self._keys: dict[str, None] = {}  # insertion-ordered set
        self.count = 0
        # The reader may never be consumed (an error elsewhere): remove the file regardless.
        self._cleanup = weakref.finalize(self, _remove, self.path, self._file)

    def add(self, record: Any, source_file: str, row_number: int) -> None:
        if isinstance(record, dict):
            for key in record:
                if key not in self._keys:
                    self._keys[str(key)] = None
            entry = [source_file, row_number, None, None, record]
        else:
            raw = json.dumps(record, ensure_ascii=False)
            entry = [source_file, row_number, f"第{row_number}条记录不是对象 record {row_number} is not an object", raw, None]
        self._write(entry)

    def add_error(self, source_file: str, row_number: int, error: str, raw: str) -> None:
        self._write([source_file, row_number, error, raw, None])

    def _write(self, entry: list[Any]) -> None:
        self._file.write(json.dumps(entry, ensure_ascii=False, default=to_text))
        self._file.write("\n")
        self.count += 1

    def reader(self, batch_rows: int = 50_000) -> pa.RecordBatchReader:
        self._file.flush()
        keys = list(self._keys)
        columns = unique_names(keys)

        def rows() -> Iterator[Row]:
            try:
                with open(self.path, encoding="utf-8") as f:
                    for line in f:
                        source_file, number, error, raw, record = json.loads(line)
                        if record is None:
                            yield Row([], source_file, number, error, raw)
                        else:
                            yield Row([to_text(record.get(k)) for k in keys], source_file, number)
            finally:
                self._cleanup()

        return rows_reader(columns, rows(), batch_rows)


def _remove(path: str, file: Any) -> None:
    file.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
