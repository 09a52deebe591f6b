"""Safe SQL text: quoted identifiers and literals built from YAML values, never pasted raw.

Rule parameters that are *values* (bounds, allowed values, patterns) always go through
``literal``; names go through ``ident``/``table``. Only the fields that are SQL by declaration
(``expr``, ``where``, ``sql``) are pasted, and those are parsed first (``check_expression``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import sqlglot
from sqlglot import exp


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table(name: str) -> str:
    """``dwd.orders`` -> ``"dwd"."orders"``."""
    return ".".join(ident(part) for part in name.split("."))


def literal(value: Any) -> str:
    """A SQL literal for a YAML scalar; raises ValueError for anything else."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):  # before int: bool is an int in Python
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"{value!r} is not a number, text or date")


def check_expression(sql: str) -> str:
    """Accept one SQL boolean expression (no statements, no second statement after ';')."""
    try:
        parsed = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.SqlglotError as exc:
        raise ValueError(f"SQL does not parse: {exc}") from None
    if len(parsed) != 1 or parsed[0] is None:
        raise ValueError("write exactly one SQL expression (no ';')")
    if isinstance(parsed[0], (exp.Query, exp.Command, exp.DDL, exp.DML)):
        raise ValueError("write an expression such as 'end_date >= start_date', not a statement")
    return sql.strip()


def check_select(sql: str) -> str:
    """Accept exactly one SELECT query."""
    try:
        parsed = sqlglot.parse(sql, read="duckdb")
    except sqlglot.errors.SqlglotError as exc:
        raise ValueError(f"SQL does not parse: {exc}") from None
    if len(parsed) != 1 or not isinstance(parsed[0], exp.Query):
        raise ValueError("write exactly one SELECT query returning the offending rows")
    return sql.strip().rstrip(";")
