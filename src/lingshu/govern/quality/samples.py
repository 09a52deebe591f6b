"""Offending-row samples made safe to store: sensitive and personal columns are masked.

Which columns: those a pack declares ``personal: true`` or classified 敏感/重要 (sensitive or
important), and, where a column is not classified, those the classification rules suggest are
personal or sensitive from its name (``suggest_policy``). A declared classification wins over a
suggestion: the pack's author decided. The masking kind is the suggested one (``mask_id`` for an
ID number...), or ``full`` when none fits. Masking happens before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pyarrow as pa

from lingshu.core.errors import LingshuError
from lingshu.pack.spec import ColumnSpec
from lingshu.security.classification import Level, suggest_policy
from lingshu.security.masking import mask


def column_masks(columns: Iterable[str], specs: dict[str, ColumnSpec]) -> dict[str, str]:
    """Column -> masking spec for every column of a sample that must not be stored in clear."""
    out: dict[str, str] = {}
    for col in columns:
        spec = specs.get(col)
        policy = suggest_policy(col)
        if spec is not None and spec.classification:
            try:
                sensitive = Level.parse(spec.classification) >= Level.SENSITIVE or spec.personal
            except LingshuError:
                sensitive = True  # an unreadable level is treated as the strictest reading
        else:
            sensitive = (spec is not None and spec.personal) or policy.personal_info or policy.level >= Level.SENSITIVE
        if sensitive:
            out[col] = policy.mask or "full"
    return out


def _plain(value: Any) -> Any:
    """JSON-safe: text for dates, decimals and anything exotic."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time | Decimal):
        return str(value)
    return str(value)


def safe_rows(table: pa.Table, masks: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of ``table`` as JSON-safe dicts, with the masked columns masked."""
    for col, spec in masks.items():
        if col in table.column_names:
            i = table.column_names.index(col)
            table = table.set_column(i, col, mask(table.column(i).combine_chunks().cast(pa.string()), spec))
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]
