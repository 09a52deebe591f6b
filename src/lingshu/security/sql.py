"""Security functions exposed to SQL on an engine: ``register_sql(engine)``.

Installed functions (all VARCHAR in, VARCHAR out; NULL in gives NULL out):

==============================  ================================================================
``mask_id(x)``                  ID number, keep first 3 / last 4: ``110***********002X``
``mask_phone(x)``               phone: ``138****1234``
``mask_name(x)``                person name, keep surname: ``张*``, ``欧阳**``
``mask_address(x)``             address up to the road level: ``...环湖西二路****``
``mask_uscc(x)``                USCC, keep first 8 / last 2
``mask_bank_card(x)``           bank card, keep first 6 / last 4
``mask_email(x)``               e-mail: ``z***@example.com``
``mask_full(x)``                every character masked
``mask_keep(x, first, last)``   keep ``first`` and ``last`` characters (INTEGER arguments)
``sm3_hex(x)``                  SM3 digest of the UTF-8 text, 64 hex digits
``hmac_token(x, kind)``         only with ``tokenizer=``: the join token of ``x`` normalised as
                                ``kind`` (``text``, ``id_number``, ``uscc``, ``phone``, ``email``,
                                ``name``), 64 hex digits
==============================  ================================================================

Decryption is deliberately not a SQL function: reading plaintext goes through an authorised,
audited code path, not through whatever SQL a model or a console user writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.engines.base import Engine
from lingshu.security.arrowutil import as_array
from lingshu.security.hashing import Tokenizer, sm3_hex_array
from lingshu.security.masking import MASKERS, mask_keep


@dataclass(frozen=True)
class SqlFunction:
    func: Callable[..., Any]
    params: tuple[str, ...]
    returns: str = "VARCHAR"


def _per_constant(values: Any, *args: Any, apply: Callable[..., pa.Array]) -> pa.Array:
    """Apply ``apply(values, *scalars)`` when SQL passes (usually constant) extra arguments.

    Arrow UDFs receive every argument as a column. The common case is one distinct combination;
    if rows differ, each distinct combination is computed once and picked row by row.
    """
    arr = as_array(values)
    cols = [as_array(a).to_pylist() for a in args]
    combos = list(zip(*cols, strict=True)) if cols else [()]
    distinct = list(dict.fromkeys(combos))
    if len(distinct) == 1:
        return apply(arr, *distinct[0])
    result = pa.nulls(len(arr), pa.string())
    for combo in distinct:
        hit = pa.array([c == combo for c in combos])
        result = pc.if_else(hit, apply(arr, *combo), result)
    return result


def sql_functions(tokenizer: Tokenizer | None = None) -> dict[str, SqlFunction]:
    """Every SQL function ``register_sql`` installs, by SQL name."""
    funcs = {f"mask_{name}": SqlFunction(MASKERS.get(name), ("VARCHAR",)) for name in MASKERS}
    funcs["mask_keep"] = SqlFunction(
        lambda x, first, last: _per_constant(x, first, last, apply=mask_keep), ("VARCHAR", "INTEGER", "INTEGER"))
    funcs["sm3_hex"] = SqlFunction(sm3_hex_array, ("VARCHAR",))
    if tokenizer is not None:
        funcs["hmac_token"] = SqlFunction(
            lambda x, kind: _per_constant(x, kind, apply=tokenizer.token), ("VARCHAR", "VARCHAR"))
    return funcs


def register_sql(engine: Engine, *, tokenizer: Tokenizer | None = None) -> list[str]:
    """Install the masking and hashing functions on ``engine``; returns the SQL names."""
    funcs = sql_functions(tokenizer)
    for name, fn in funcs.items():
        engine.register_function(name, fn.func, list(fn.params), fn.returns)
    return sorted(funcs)
