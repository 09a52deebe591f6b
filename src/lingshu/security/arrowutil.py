"""Arrow plumbing shared by the column-wide crypto: zero-copy value views and result building.

Per-value crypto is unavoidable, so the loop body must be the cipher call and little else: values
are read as memoryview slices of the Arrow data buffer (no Python ``str`` per row), and results
are handed back to Arrow in one ``pa.array`` call.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ArrayLike = pa.Array | pa.ChunkedArray


def as_array(values: Any) -> pa.Array:
    """One contiguous Arrow array from an Array, a ChunkedArray (DuckDB UDFs get these) or a list."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if isinstance(values, pa.Array):
        return values
    return pa.array(values)


def is_binary(arr: pa.Array) -> bool:
    return pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type)


def as_bytes_array(values: Any) -> pa.Array:
    """The values as a binary-layout array: strings and binaries as they are, others cast to text."""
    arr = as_array(values)
    t = arr.type
    if is_binary(arr) or pa.types.is_string(t) or pa.types.is_large_string(t):
        return arr
    if pa.types.is_string_view(t) or pa.types.is_binary_view(t):
        return arr.cast(pa.large_binary() if pa.types.is_binary_view(t) else pa.large_string())
    return pc.cast(arr, pa.string())


def iter_values(arr: pa.Array) -> Iterator[memoryview | None]:
    """Each value of a string/binary array as a zero-copy memoryview, or None for a null."""
    n = len(arr)
    if n == 0:
        return
    large = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
    validity, offsets_buf, data_buf = arr.buffers()[:3]
    dtype = np.int64 if large else np.int32
    offsets = np.frombuffer(offsets_buf, dtype=dtype, count=n + 1, offset=arr.offset * dtype().itemsize).tolist()
    # pyarrow exports signed bytes ("b"); OpenSSL bindings want unsigned ("B").
    data = memoryview(data_buf).cast("B") if data_buf is not None else memoryview(b"")
    valid = arr.is_valid().to_numpy(zero_copy_only=False).tolist() if validity is not None else None
    for i in range(n):
        if valid is not None and not valid[i]:
            yield None
        else:
            yield data[offsets[i]:offsets[i + 1]]


def binary_result(items: list[bytes | None]) -> pa.Array:
    return pa.array(items, type=pa.binary())


def text_result(items: list[bytes | None]) -> pa.Array:
    """UTF-8 bytes to a string array; the cast validates the encoding in C, not per row."""
    return pa.array(items, type=pa.binary()).cast(pa.string())
