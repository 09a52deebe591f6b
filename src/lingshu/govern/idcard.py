"""Citizen ID numbers, GB 11643-1999: check character, 15 -> 18 upgrade, birth date, sex, region.

Python reference (``check_id``) and SQL macros (``is_valid_id`` ...) implement the same rules;
tests compare them on generated arrays. The weights and the check table live in ``checksums``.

Rules, and why:
- lowercase x is normalised to X (people type it; the standard only has X);
- a 15-digit first-generation number is upgraded (``19`` before the 2-digit year, ``18`` for the
  centenarian sequence codes 996-999) and is then valid if its date and region are;
- the birth date must be a real date and not in the future;
- retired region codes (310108 闸北, 310230 崇明县) are accepted: a person keeps the code issued
  at registration. Outside Shanghai only the province is checked (see ``regions``).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lingshu.govern.checksums import ID_CHECK, ID_WEIGHTS, id_check_char
from lingshu.govern.regions import region_check
from lingshu.govern.sqldefs import let, macro, udf
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict

_ID18 = re.compile(r"\d{17}[\dX]")
_ID15 = re.compile(r"\d{15}")
CENTENARIAN_SEQ = ("996", "997", "998", "999")


def clean(raw: str | None) -> str | None:
    if raw is None:
        return None
    return fullwidth_to_halfwidth(raw).strip().upper()


def upgrade_15(id15: str) -> str:
    """First-generation 15-digit number -> 18 characters with its check character."""
    century = "18" if id15[12:15] in CENTENARIAN_SEQ else "19"
    body = id15[:6] + century + id15[6:15]
    return body + id_check_char(body)


def normalize_id(raw: str | None) -> str | None:
    """The 18-character form, or None when the value cannot be an ID number at all."""
    c = clean(raw)
    if c is None:
        return None
    if _ID18.fullmatch(c):
        return c
    if _ID15.fullmatch(c):
        return upgrade_15(c)
    return None


def check_id(raw: str | None, today: date | None = None) -> Verdict:
    v = Verdict("id", raw, valid=True)
    c = clean(raw)
    n = normalize_id(raw)
    if n is None:
        return v.fail("not an ID number: expected 18 characters (17 digits + digit or X) or 15 digits")
    v.normalized = n
    if raw is not None and c != raw:
        v.rules.append("fold_case_and_width")
    if c is not None and len(c) == 15:
        v.rules.append("upgrade_15_to_18")
    expected = id_check_char(n[:17])
    v.parts.update(region_code=n[:6], sequence=n[14:17], check_char=n[17])
    if n[17] != expected:
        v.fail(f"check character is {n[17]}, should be {expected}")
    ok, name, note = region_check(n[:6])
    v.parts.update(region_name=name, region_note=note)
    if not ok:
        v.fail(f"region code: {note}")
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        v.fail(f"birth date {n[6:14]} is not a real date")
    else:
        v.parts["birth_date"] = born
        if born > (today or date.today()):
            v.fail(f"birth date {born} is in the future")
    v.parts["sex"] = "M" if int(n[16]) % 2 else "F"
    return v


def is_valid_id(raw: str | None) -> bool:
    return check_id(raw).valid


# -- SQL ------------------------------------------------------------------------------------------
# The weighted sum over the weights of checksums.py (defined once there). TRY_CAST makes a
# non-digit yield NULL instead of an error: NULL then fails the check.
# Spelled out term by term: straight-line arithmetic runs several times faster than a list lambda.
_SUM = "(" + " + ".join(f"TRY_CAST(substr(b, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(ID_WEIGHTS)) + ")"
_CENTURY = "CASE WHEN substr(c, 13, 3) IN ('996', '997', '998', '999') THEN '18' ELSE '19' END"

macro("id_check_char", "b", f"substr('{ID_CHECK}', CAST({_SUM} % 11 AS INTEGER) + 1, 1)",
      "GB 11643 check character of a 17-digit body.")
macro("id_upgrade15", "c",
      let("b", f"substr(c, 1, 6) || {_CENTURY} || substr(c, 7, 9)", "b || id_check_char(b)"),
      "15-digit first-generation number -> 18 characters.")
macro("id_normalize", "x",
      let("c", "upper(trim(fullwidth_to_halfwidth(x)))",
          "CASE WHEN regexp_full_match(c, '\\d{17}[\\dX]') THEN c"
          " WHEN regexp_full_match(c, '\\d{15}') THEN id_upgrade15(c) END"),
      "18-character upper-case ID (15-digit numbers upgraded); NULL if it cannot be an ID.")
macro("id_birth_date_raw", "n", "try_strptime(substr(n, 7, 8), '%Y%m%d')::DATE",
      "Birth date field of a normalised ID, NULL when not a real date (no other checks).")
_DIGIT = np.full(256, -1, np.int64)
_DIGIT[np.frombuffer(b"0123456789", np.uint8)] = np.arange(10)
_CHECK = np.frombuffer(ID_CHECK.encode(), np.uint8)


@udf("id_check_ok", ["VARCHAR"], "BOOLEAN",
     "Check character right, for a value of 17 digits and a check character (false for anything else).")
def id_check_ok(values: pa.Array) -> pa.Array:
    # One numpy pass over the string buffer: spelled in SQL (17 substr-and-cast terms per row,
    # or digits by integer division) the check character was most of the cost of is_valid_id.
    a = values.cast(pa.string())
    n = len(a)
    out = np.zeros(n, bool)
    rows = np.flatnonzero(pc.fill_null(pc.equal(pc.binary_length(a), 18), False).to_numpy(zero_copy_only=False))
    if rows.size:
        offsets = np.frombuffer(a.buffers()[1], np.int32)[a.offset:a.offset + n]
        chars = np.frombuffer(a.buffers()[2], np.uint8)[offsets[rows][:, None] + np.arange(18)]
        digits = _DIGIT[chars[:, :17]]
        out[rows] = (digits >= 0).all(axis=1) & (chars[:, 17] == _CHECK[(digits @ np.array(ID_WEIGHTS)) % 11])
    return pa.array(out, mask=pc.is_null(a).to_numpy(zero_copy_only=False))


macro("id_valid_normalized", "n",
      "coalesce(n IS NOT NULL AND id_check_ok(n)"
      " AND region_code_plausible(substr(n, 1, 6)) AND id_birth_date_raw(n) <= current_date, false)",
      "Validity of an already normalised ID (the checks of is_valid_id after normalisation).")
# Fast path: a value already in normal form (the common case) skips the folding and the let.
macro("is_valid_id", "x",
      "CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(x, '\\d{17}[\\dX]') THEN id_valid_normalized(x)"
      f" ELSE {let('n', 'id_normalize(x)', 'id_valid_normalized(n)')} END",
      "GB 11643 ID number valid: shape, check character, real birth date not in the future, region.")
macro("id_birth_date", "x",
      let("n", "id_normalize(x)", "CASE WHEN id_valid_normalized(n) THEN id_birth_date_raw(n) END"),
      "Birth date of a valid ID number (NULL if the ID is not valid).")
macro("id_sex", "x",
      let("n", "id_normalize(x)", "CASE WHEN id_valid_normalized(n) THEN"
          " CASE WHEN CAST(substr(n, 17, 1) AS INTEGER) % 2 = 1 THEN 'M' ELSE 'F' END END"),
      "'M' (odd sequence) or 'F' (even) for a valid ID number.")
macro("id_region_code", "x",
      let("n", "id_normalize(x)", "CASE WHEN id_valid_normalized(n) THEN substr(n, 1, 6) END"),
      "6-digit region code of a valid ID number.")
