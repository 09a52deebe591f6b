"""Python values as the text ODS receives, so that ``TRY_CAST`` in ingest reads them back exactly.

Databases, Excel and JSON hand us typed values; we turn them into text once, here, in forms DuckDB
casts without loss: ISO dates, shortest float repr, integers without ``.0``, JSON for nested data.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from decimal import Decimal
from typing import Any


def _float(v: float) -> str | None:
    if math.isnan(v) or math.isinf(v):
        return str(v)  # kept as 'nan'/'inf' so a declared DOUBLE still sees it; never dropped
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))  # Excel stores every number as a float: 12 must not become '12.0'
    return repr(v)


def _json_default(v: Any) -> Any:
    text = to_text(v)
    return text if text is not None else None


def to_text(v: Any) -> str | None:
    """One value as text; ``None`` stays NULL."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float(v)
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dt.datetime):
        # A space, not 'T': what DuckDB, PostgreSQL and MySQL all print and parse.
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v).hex()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, ensure_ascii=False, default=_json_default)
    return str(v)
