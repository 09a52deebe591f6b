"""JSON bodies of the data APIs, encoded once, straight to bytes.

Rows come from Arrow as Python values; dates, timestamps and decimals go out as text (exact, and the
same in every client language), as ``str`` writes them. Turning a 50-row page into JSON (rows to
Python values included) took 0.68 ms as ``json.loads(json.dumps(...))`` before FastAPI serialised
the result again, and takes 0.33 ms this way (``benchmarks/api_vs_datasette.py --stages 300``,
docs/benchmark-notes.md). Non-finite floats become null (the standard library wrote ``NaN``, which
strict JSON parsers reject).
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
from fastapi.responses import Response

JSON = "application/json"


def json_bytes(payload: Any) -> bytes:
    try:
        return orjson.dumps(payload, default=str, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        # orjson refuses integers beyond 64 bits (a HUGEINT sum can hold one); the standard library
        # writes them exactly, but writes NaN for a non-finite float, so those become null first.
        return json.dumps(_finite(payload), default=str, ensure_ascii=False, allow_nan=False).encode()


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float replaced by None, as orjson writes them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def json_response(payload: Any, media_type: str = JSON) -> Response:
    return Response(json_bytes(payload), media_type=media_type)
