"""The data APIs' JSON bodies: the same text the standard library wrote, in one pass."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from lingshu.serve.jsonbody import json_bytes


def test_dates_timestamps_and_decimals_go_out_as_their_text() -> None:
    row = {"d": dt.date(2026, 1, 2), "ts": dt.datetime(2026, 1, 2, 8, 15), "x": Decimal("12.340"), "镇": "泥城镇",
           "n": None, "f": 1.5}
    assert json.loads(json_bytes(row)) == {"d": "2026-01-02", "ts": "2026-01-02 08:15:00", "x": "12.340",
                                           "镇": "泥城镇", "n": None, "f": 1.5}
    assert "泥城镇".encode() in json_bytes(row)  # UTF-8, not \\u escapes


def test_non_finite_floats_are_null_and_huge_integers_stay_exact() -> None:
    assert json.loads(json_bytes({"a": float("nan"), "b": float("inf")})) == {"a": None, "b": None}
    huge = 2**100  # a HUGEINT sum may exceed 64 bits; orjson refuses it, the fallback writes it exactly
    assert json.loads(json_bytes({"h": huge, "d": dt.date(2026, 1, 2)})) == {"h": huge, "d": "2026-01-02"}


def test_a_page_with_a_huge_integer_and_a_nan_is_still_strict_json() -> None:
    # The fallback for integers beyond 64 bits must not write NaN, which strict parsers reject.
    body = json_bytes({"rows": [[2**100, float("nan"), (float("-inf"), 1.5)]]})
    assert b"NaN" not in body and b"Infinity" not in body
    assert json.loads(body) == {"rows": [[2**100, None, [None, 1.5]]]}
