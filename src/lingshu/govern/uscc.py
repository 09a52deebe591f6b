"""Unified social credit codes, GB 32100-2015, with the embedded GB 11714 organisation-code check.

A code is valid when it has 18 characters of the 31-character alphabet (no I O Z S V), its own
check character matches (with the final ``mod 31``: a result of 31 is ``0``) and positions 9-17
form a valid organisation code (8 characters + check, X for 10, 0 for 11).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lingshu.govern.checksums import (
    ORG_WEIGHTS,
    USCC_ALPHABET,
    USCC_WEIGHTS,
    org_code_check_char,
    uscc_check_char,
)
from lingshu.govern.regions import region_check
from lingshu.govern.sqldefs import let, macro, sql_map, udf
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict

_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")
# Only the authority and kind codes STANDARDS.md names; others are reported as unknown, not invalid.
AUTHORITIES = {"1": "机构编制", "5": "民政", "9": "工商", "Y": "其他"}
KINDS_UNDER_9 = {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}
_ORG_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714: A = 10 ... Z = 35


def normalize_uscc(raw: str | None) -> str | None:
    if raw is None:
        return None
    return re.sub(r"\s+", "", fullwidth_to_halfwidth(raw) or "").upper()


def check_uscc(raw: str | None) -> Verdict:
    v = Verdict("uscc", raw, valid=True)
    n = normalize_uscc(raw)
    if not n or not _SHAPE.fullmatch(n):
        return v.fail("not a USCC: expected 18 characters from 0-9 and A-Y without I, O, Z, S, V")
    v.normalized = n
    if raw != n:
        v.rules.append("fold_case_width_space")
    auth = AUTHORITIES.get(n[0])
    v.parts.update(
        authority=n[0], authority_name=auth,
        kind=n[1], kind_name=KINDS_UNDER_9.get(n[1]) if n[0] == "9" else None,
        region_code=n[2:8], region_name=region_check(n[2:8])[1],
        org_code=f"{n[8:16]}-{n[16]}", check_char=n[17],
    )
    expected = uscc_check_char(n[:17])
    if n[17] != expected:
        v.fail(f"check character is {n[17]}, should be {expected}")
    org_expected = org_code_check_char(n[8:16])
    if n[16] != org_expected:
        v.fail(f"embedded organisation code {n[8:16]}-{n[16]}: its check should be {org_expected}")
    return v


def is_valid_uscc(raw: str | None) -> bool:
    return check_uscc(raw).valid


# -- SQL ------------------------------------------------------------------------------------------
_SUM = " + ".join(f"(instr('{USCC_ALPHABET}', substr(b, {i + 1}, 1)) - 1) * {w}"
                  for i, w in enumerate(USCC_WEIGHTS))
_ORG = " + ".join(f"(instr('{_ORG_VALUES}', substr(b, {i + 1}, 1)) - 1) * {w}"
                  for i, w in enumerate(ORG_WEIGHTS))

macro("uscc_normalize", "x", "upper(regexp_replace(fullwidth_to_halfwidth(x), '\\s+', '', 'g'))",
      "Upper case, half-width, no spaces.")
macro("uscc_check_char", "b", f"substr('{USCC_ALPHABET}', ((31 - ({_SUM}) % 31) % 31) + 1, 1)",
      "GB 32100 check character of a 17-character body (31 -> 0).")
macro("org_code_check_char", "b",
      let("c", f"11 - ({_ORG}) % 11", "CASE c WHEN 10 THEN 'X' WHEN 11 THEN '0' ELSE CAST(c AS VARCHAR) END"),
      "GB 11714 organisation-code check character of an 8-character body.")
# The two check characters of codes already known to be 18 alphabet characters, over a whole
# Arrow array at once: 25 substr/instr calls per row cost ~3 µs in SQL, a table lookup in numpy
# ~0.1 µs (the quality scan of a register spends most of its time here).
_USCC_VALUE = np.full(256, -1, np.int64)
_USCC_VALUE[np.frombuffer(USCC_ALPHABET.encode(), np.uint8)] = np.arange(len(USCC_ALPHABET))
_ORG_VALUE = np.full(256, -1, np.int64)
_ORG_VALUE[np.frombuffer(_ORG_VALUES.encode(), np.uint8)] = np.arange(len(_ORG_VALUES))
_ORG_CHECK = np.frombuffer(b"0123456789X0", np.uint8)  # c = 11 - sum % 11 in 1..11: 10 -> X, 11 -> 0


@udf("uscc_checks_ok", ["VARCHAR"], "BOOLEAN",
     "Both check characters right, for a value of 18 alphabet characters (false for anything else).")
def uscc_checks_ok(values: pa.Array) -> pa.Array:
    a = values.cast(pa.string())
    n = len(a)
    ok = pc.fill_null(pc.equal(pc.binary_length(a), 18), False).to_numpy(zero_copy_only=False)
    out = np.zeros(n, bool)
    rows = np.flatnonzero(ok)
    if rows.size:
        offsets = np.frombuffer(a.buffers()[1], np.int32)[a.offset:a.offset + n]
        chars = np.frombuffer(a.buffers()[2], np.uint8)[offsets[rows][:, None] + np.arange(18)]
        v = _USCC_VALUE[chars]
        good = (v >= 0).all(axis=1)
        good &= v[:, 17] == (31 - (v[:, :17] @ np.array(USCC_WEIGHTS)) % 31) % 31
        org = _ORG_VALUE[chars[:, 8:16]] @ np.array(ORG_WEIGHTS)
        good &= chars[:, 16] == _ORG_CHECK[11 - org % 11]
        out[rows] = good
    return pa.array(out, mask=pc.is_null(a).to_numpy(zero_copy_only=False))


_IS_CODE = f"regexp_full_match(n, '[{USCC_ALPHABET}]{{18}}')"
# Fast path: a value already in normal form (the common case in a register) skips the folding;
# anything else is normalized once and checked the same way.
macro("is_valid_uscc", "x",
      "CASE WHEN x IS NULL THEN NULL"
      f" WHEN {_IS_CODE.replace('(n,', '(x,')} THEN uscc_checks_ok(x)"
      " ELSE " + let("n", "uscc_normalize(x)", f"{_IS_CODE} AND uscc_checks_ok(n)") + " END",
      "GB 32100 code valid: alphabet, check character, embedded organisation-code check.")
macro("uscc_org_code", "x",
      "CASE WHEN is_valid_uscc(x) THEN substr(uscc_normalize(x), 9, 8) || '-' || substr(uscc_normalize(x), 17, 1) END",
      "Embedded organisation code (XXXXXXXX-C) of a valid USCC.")
macro("uscc_region_code", "x", "CASE WHEN is_valid_uscc(x) THEN substr(uscc_normalize(x), 3, 6) END",
      "Region code (positions 3-8) of a valid USCC.")
macro("uscc_authority_name", "x", f"{sql_map(AUTHORITIES)}[substr(uscc_normalize(x), 1, 1)]",
      "Registration authority name (1 机构编制, 5 民政, 9 工商, Y 其他).")
