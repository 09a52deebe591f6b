"""Mobile and landline numbers: fold +86, spaces, dashes, brackets; default area code 021.

Normal forms: mobile ``13812345678``; landline ``021-12345678`` (``-123`` extension appended);
service ``4008123123``. A bare 8-digit local number is taken as Shanghai (021): that is the
bureau's default and a verdict records the rule ``assume_area_021`` so it is never silent.
With +86/0086 the trunk 0 is restored for landlines (+86 21 1234 5678 -> 021-12345678).
"""

from __future__ import annotations

import re

from lingshu.govern.sqldefs import let, macro
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict

DEFAULT_AREA = "021"
MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"(010|02\d|0[3-9]\d{2})([2-9]\d{6,7})"  # 3-digit areas (010, 02x) or 4-digit areas
LOCAL = r"[2-9]\d{7}"  # 8-digit local number without area code
SERVICE = r"(?:400|800)\d{7}"
EXT_WORDS = r"(?:转|分机|[Ee][Xx][Tt]\.?|#)"
DASHED_EXT = r"\s*(0\d{2,3})\s*-\s*(\d{7,8})\s*-\s*(\d{1,6})\s*"


def _split(raw: str) -> tuple[str, str, list[str]]:
    """(main, extension, rules) after width folding."""
    s = fullwidth_to_halfwidth(raw) or ""
    rules = ["fold_width"] if s != raw else []
    m = re.fullmatch(DASHED_EXT, s)
    if m:
        return m.group(1) + m.group(2), m.group(3), rules + ["extension"]
    m = re.search(EXT_WORDS + r"\s*(\d{1,6})\s*$", s)
    if m:
        return s[: m.start()], m.group(1), rules + ["extension"]
    return s, "", rules


def _national(digits: str, rules: list[str]) -> str:
    m = re.match(r"(\+86|0086)", digits)
    if m:
        rules.append("strip_country_code")
        rest = digits[m.end():]
        return rest if re.fullmatch(MOBILE, rest) else "0" + rest
    if re.fullmatch("86" + MOBILE, digits):
        rules.append("strip_country_code")
        return digits[2:]
    return digits


def check_phone(raw: str | None) -> Verdict:
    v = Verdict("phone", raw, valid=True)
    if raw is None:
        return v.fail("empty")
    main, ext, rules = _split(raw)
    digits = re.sub(r"[\s\-()]", "", main)
    if digits != main:
        rules.append("strip_separators")
    n = _national(digits, rules)
    if re.fullmatch(MOBILE, n) and not ext:
        v.normalized, kind = n, "mobile"
    elif m := re.fullmatch(LANDLINE, n):
        v.normalized, kind = f"{m.group(1)}-{m.group(2)}", "landline"
        v.parts.update(area_code=m.group(1), local=m.group(2))
    elif re.fullmatch(LOCAL, n):
        rules.append("assume_area_021")
        v.normalized, kind = f"{DEFAULT_AREA}-{n}", "landline"
        v.parts.update(area_code=DEFAULT_AREA, local=n)
    elif re.fullmatch(SERVICE, n) and not ext:
        v.normalized, kind = n, "service"
    else:
        v.rules = rules
        return v.fail("not a phone number: expected an 11-digit mobile, a landline with or without "
                      "area code, or a 400/800 number")
    if ext and kind == "landline":
        v.normalized = f"{v.normalized}-{ext}"
        v.parts["extension"] = ext
    v.parts["kind"] = kind
    v.rules = rules
    return v


def normalize_phone(raw: str | None) -> str | None:
    return check_phone(raw).normalized


# -- SQL ------------------------------------------------------------------------------------------
# Same steps as above, one macro per step so each stays readable; ``let`` binds each
# intermediate value once (see sqldefs.let).
_F = "fullwidth_to_halfwidth(x)"
macro("phone_ext", "x",
      let("f", _F, f"CASE WHEN regexp_full_match(f, '{DASHED_EXT}') THEN regexp_extract(f, '^{DASHED_EXT}$', 3)"
          f" ELSE regexp_extract(f, '{EXT_WORDS}\\s*(\\d{{1,6}})\\s*$', 1) END"),
      "Extension digits ('' when none).")
macro("phone_digits", "x",
      let("f", _F, "regexp_replace(CASE WHEN regexp_full_match(f, '" + DASHED_EXT + "')"
          " THEN regexp_replace(f, '^" + DASHED_EXT + "$', '\\1\\2')"
          " ELSE regexp_replace(f, '" + EXT_WORDS + "\\s*\\d{1,6}\\s*$', '') END, '[\\s\\-()]', '', 'g')"),
      "The number without extension and separators.")
macro("phone_national", "x",
      let("d", "phone_digits(x)", let(
          "r", "regexp_replace(d, '^(\\+86|0086)', '')",
          "CASE WHEN r <> d THEN CASE WHEN regexp_full_match(r, '" + MOBILE + "') THEN r ELSE '0' || r END"
          " WHEN regexp_full_match(d, '86" + MOBILE + "') THEN substr(d, 3) ELSE d END")),
      "The national number (country code removed, landline trunk 0 restored).")
_KIND = (f"CASE WHEN regexp_full_match(p, '{MOBILE}') AND e = '' THEN 'mobile'"
         f" WHEN regexp_full_match(p, '{LANDLINE}') THEN 'landline'"
         f" WHEN regexp_full_match(p, '{LOCAL}') THEN 'landline'"
         f" WHEN regexp_full_match(p, '{SERVICE}') AND e = '' THEN 'service' END")
macro("phone_parts", "x",
      "CASE WHEN x IS NOT NULL THEN " + let(
          "p", "phone_national(x)", let("e", "phone_ext(x)", f"struct_pack(p := p, e := e, k := {_KIND})")) + " END",
      "National number, extension and kind, bound once (used by the macros below).")
macro("phone_kind", "x", "phone_parts(x).k",
      "'mobile', 'landline', 'service', or NULL when not a phone number.")
macro("phone_normalize", "x",
      let("s", "phone_parts(x)",
          f"CASE s.k WHEN 'mobile' THEN s.p WHEN 'service' THEN s.p"
          f" WHEN 'landline' THEN CASE WHEN regexp_full_match(s.p, '{LOCAL}') THEN '{DEFAULT_AREA}-' || s.p"
          f" ELSE regexp_replace(s.p, '^{LANDLINE}$', '\\1-\\2') END"
          f" || CASE WHEN s.e = '' THEN '' ELSE '-' || s.e END END"),
      "Normal form: 13812345678, 021-12345678(-ext), 4008123123; NULL when not a phone number.")
# Fast path: a bare 11-digit mobile (most values in a register) is valid whatever the other steps
# do (no width, separators, extension or country code to fold); one regex instead of a dozen.
macro("is_valid_phone", "x", f"CASE WHEN x IS NULL THEN NULL WHEN regexp_full_match(x, '{MOBILE}') THEN TRUE"
      " ELSE phone_kind(x) IS NOT NULL END",
      "A mobile, landline or 400/800 number.")
