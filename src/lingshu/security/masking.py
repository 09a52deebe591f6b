"""Masking (脱敏) per kind of value, vectorised in Arrow compute; a registry by name.

Kinds (registry ``MASKERS``; ``masker("keep:2:3")`` builds a parametrised one):

=============  =====================================  ==========================================
name           rule                                   example
=============  =====================================  ==========================================
``id``         keep first 3, last 4                   ``110***********002X``
``phone``      mobile: first 3 + ``****`` + last 4;   ``138****1234``
               other numbers: keep first 3, last 4
``name``       keep the surname (compound surnames    ``张*``, ``欧阳**``
               such as 欧阳 keep two characters)
``address``    keep up to the road (路/街/巷/大道),    ``上海市浦东新区环湖西二路****``
               after an optional 街道; without a road
               keep the first 6 characters
``uscc``       keep first 8 (authority, type,         ``91310115********1X``
               region), last 2
``bank_card``  keep first 6 (issuer BIN), last 4      ``622848*********1234``
``email``      first character + ``***`` + ``@domain``   ``z***@example.com``
``full``       every character masked                 ``****``
``keep:F:L``   keep first F, last L characters
=============  =====================================  ==========================================

A value too short to hide anything under its rule (length <= F + L) is masked entirely. Nulls stay
null. Masks count characters (code points), never bytes, so Chinese text is not cut mid-character.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.core.registry import Registry
from lingshu.security.arrowutil import ArrayLike, as_array
from lingshu.security.errors import SecurityError

Masker = Callable[[ArrayLike], pa.Array]
MASKERS: Registry[Masker] = Registry("masking kind")
FILL = "*"

# 复姓: the compound surnames common enough to matter; a two-character name never counts as one
# (司马 alone is more likely a given name pair than a bare surname).
COMPOUND_SURNAMES = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 "
    "西门 百里 呼延 万俟 澹台 公冶 太史 申屠 钟离 闻人 赫连 濮阳 单于 第五 乐正 东郭 司空 "
    "左丘 谷梁 拓跋 梁丘 宰父 仲孙 鲜于 闾丘 亓官 公羊 公西 壤驷 漆雕"
).split()
_COMPOUND_RE = "^(?:" + "|".join(COMPOUND_SURNAMES) + ")"

_MOBILE_RE = r"^(?:\+?86[ -]?)?(1\d{2})[ -]?\d{4}[ -]?(\d{4})$"
# An optional 街道 (sub-district, above road level) first, then the first road-level word.
_ROAD_RE = r"^((?:.*?街道)?.*?(?:大道|路|街|巷))(.*)$"
_EMAIL_RE = r"^([^@])[^@]*(@[^@]+)$"


def _text(values: ArrayLike) -> pa.Array:
    arr = as_array(values)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr
    return pc.cast(arr, pa.string())


def _stars(counts: pa.Array) -> pa.Array:
    fill = pa.array([FILL] * len(counts), type=pa.string())
    return pc.binary_repeat(fill, counts)


def mask_keep(values: ArrayLike, first: int, last: int) -> pa.Array:
    """Keep the first ``first`` and last ``last`` characters; mask the rest one-for-one."""
    if first < 0 or last < 0:
        raise SecurityError(f"keep-mask counts must be >= 0, got first={first}, last={last}",
                            hint="use e.g. keep:3:4")
    arr = _text(values)
    length = pc.utf8_length(arr)
    head = pc.utf8_slice_codeunits(arr, 0, first)
    # start=-0 would mean "from the beginning", so last == 0 needs an explicit empty tail.
    tail = pc.utf8_slice_codeunits(arr, -last) if last else pc.utf8_slice_codeunits(arr, 0, 0)
    hidden = pc.max_element_wise(pc.subtract(length, first + last), 0)
    kept = pc.binary_join_element_wise(head, _stars(hidden), tail, "")
    too_short = pc.less_equal(length, first + last)
    return pc.if_else(too_short, _stars(length), kept)


def _regex_or(values: ArrayLike, pattern: str, replacement: str, fallback: Masker) -> pa.Array:
    arr = _text(values)
    hit = pc.match_substring_regex(arr, pattern)
    return pc.if_else(hit, pc.replace_substring_regex(arr, pattern, replacement), fallback(arr))


@MASKERS.register("id")
def mask_id(values: ArrayLike) -> pa.Array:
    return mask_keep(values, 3, 4)


@MASKERS.register("phone")
def mask_phone(values: ArrayLike) -> pa.Array:
    return _regex_or(values, _MOBILE_RE, r"\1****\2", partial(mask_keep, first=3, last=4))


@MASKERS.register("name")
def mask_name(values: ArrayLike) -> pa.Array:
    arr = pc.utf8_trim_whitespace(_text(values))
    length = pc.utf8_length(arr)
    compound = pc.and_(pc.match_substring_regex(arr, _COMPOUND_RE), pc.greater(length, 2))
    surname = pc.if_else(compound, pc.utf8_slice_codeunits(arr, 0, 2), pc.utf8_slice_codeunits(arr, 0, 1))
    hidden = pc.max_element_wise(pc.subtract(length, pc.utf8_length(surname)), 0)
    masked = pc.binary_join_element_wise(surname, _stars(hidden), "")
    # A one-character "name" is only a surname: still mask it, or it would be shown in full.
    return pc.if_else(pc.less_equal(length, 1), _stars(length), masked)


@MASKERS.register("address")
def mask_address(values: ArrayLike) -> pa.Array:
    return _regex_or(values, _ROAD_RE, r"\1****", partial(mask_keep, first=6, last=0))


@MASKERS.register("uscc")
def mask_uscc(values: ArrayLike) -> pa.Array:
    return mask_keep(values, 8, 2)


@MASKERS.register("bank_card")
def mask_bank_card(values: ArrayLike) -> pa.Array:
    return mask_keep(values, 6, 4)


@MASKERS.register("email")
def mask_email(values: ArrayLike) -> pa.Array:
    return _regex_or(values, _EMAIL_RE, r"\1***\2", partial(mask_keep, first=1, last=0))


@MASKERS.register("full")
def mask_full(values: ArrayLike) -> pa.Array:
    arr = _text(values)
    return _stars(pc.utf8_length(arr))


def masker(spec: str) -> Masker:
    """A masking function from a name (``id``) or a parametrised spec (``keep:3:4``)."""
    name, _, args = spec.partition(":")
    if name == "keep":
        try:
            first, last = (int(a) for a in args.split(":"))
        except ValueError:
            raise SecurityError(f"bad masking spec {spec!r}",
                                hint="write keep:F:L with two whole numbers, e.g. keep:3:4") from None
        return partial(mask_keep, first=first, last=last)
    return MASKERS.get(spec)


def mask(values: ArrayLike, spec: str) -> pa.Array:
    return masker(spec)(values)
