"""Standardized columns for matching, computed before Splink sees a record.

Names
  ``name_pinyin``: toneless pinyin, no separators, with the *surname* read as a surname: 单 shan,
  曾 zeng, 解 xie, 仇 qiu, 朴 piao, 区 ou, 查 zha, 覃 qin, 乐 yue, 缪 miao, 翟 zhai... Dictionary
  readings get these wrong (曾 -> ceng), and a record typed in pinyin by a police or passport
  system uses the surname reading. A name already in Latin letters (``ZHANG WEI``) is lowercased
  and joined, so both spellings meet in one column.
  ``name_pinyin_plain``: dictionary readings throughout; some systems romanise that way, so a
  pinyin record is compared with both.
  ``surname_pinyin`` and ``name_key`` (surname + initials of the given-name syllables,
  ``zhang|wq``): Latin given names are split into pinyin syllables to find their initials.
Enterprises
  ``ent_name_clean``: width-folded, brackets half-width, no spaces.
  ``ent_name_core``: the trade name and business words left after removing legal-form words
  (有限责任公司, 股份有限公司, 有限公司, 集团...) and place words (上海, (上海), 临港新片区...).
IDs, codes, phones, addresses and dates reuse the govern functions (id_normalize, uscc_normalize,
phone_normalize, address_parse, parse_cn_date); ``standardize_sql`` assembles them per kind.

All functions are vectorized Arrow UDFs computing each distinct value once (names repeat a lot).
They return '' (not NULL) when a value gives nothing (DuckDB's Arrow UDFs may not return NULL), so
SQL wraps them in ``nullif(..., '')``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.govern.sqldefs import as_array, udf

# Surnames whose surname reading differs from the dictionary's first reading (why: 曾 reads ceng
# in 曾经 but zeng as a surname). Compound surnames are matched first.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "朴": "piao", "区": "ou", "查": "zha",
    "覃": "qin", "乐": "yue", "缪": "miao", "翟": "zhai", "盖": "ge", "尉": "yu", "种": "chong",
    "召": "shao", "繁": "po", "燕": "yan", "任": "ren", "华": "hua", "纪": "ji", "单于": "chanyu",
    "尉迟": "yuchi", "万俟": "moqi", "长孙": "zhangsun", "澹台": "tantai", "秘": "bi", "员": "yun",
    "宁": "ning", "相": "xiang", "沈": "shen", "薄": "bo", "贲": "ben", "褚": "chu", "阚": "kan",
    "那": "na", "句": "gou", "折": "she", "牟": "mou", "黑": "he", "区区": "ouou",
}
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "万俟", "长孙", "慕容", "令狐",
                     "夏侯", "公孙", "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "司徒", "澹台", "单于")
_HAN = re.compile(r"[\u3400-\u9fff]")
_NAME_NOISE = re.compile(r"[\s·•．.\-_,，]+")

# Legal-form words and place words removed from an enterprise name to get its core. Longest first,
# so 有限责任公司 goes before 有限公司 and 公司.
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限合伙", "个人独资企业", "合伙企业", "有限公司", "股份公司",
               "集团", "公司", "商行", "企业", "厂")
PLACE_WORDS = ("中国(上海)自由贸易试验区临港新片区", "中国(上海)自由贸易试验区", "临港新片区", "上海市", "上海",
               "浦东新区", "浦东", "奉贤区", "奉贤", "南汇新城", "南汇", "临港新城", "临港", "中国")


@functools.cache
def _pinyin() -> Callable[[str], list[str]]:
    from pypinyin import lazy_pinyin  # lazy: loading its dictionary costs a few hundred ms

    return lazy_pinyin


@functools.cache
def syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (to split Latin given names)."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: set[str] = set()
    for readings in pinyin_dict.values():
        for r in readings.split(","):
            s = unicodedata.normalize("NFKD", r).encode("ascii", "ignore").decode().lower()
            if s.isalpha():
                out.add(s)
    return frozenset(out | {"lv", "lve", "nv", "nve"})


def split_syllables(latin: str) -> list[str]:
    """``weiqiang`` -> ``[wei, qiang]``: fewest syllables (dynamic programming); letters if none fit."""
    sy = syllables()
    n = len(latin)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(min(n, i + 6), i, -1):
            if latin[i:j] in sy:
                cand = best[i] + [latin[i:j]]  # type: ignore[operator]
                if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                    best[j] = cand
    return best[n] or list(latin)


def clean_person_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    s = unicodedata.normalize("NFKC", raw).strip()
    s = _NAME_NOISE.sub(" " if not _HAN.search(s) else "", s).strip()
    return (s.upper() if not _HAN.search(s) else s) or None


def _split_surname(name: str) -> tuple[str, str]:
    for comp in COMPOUND_SURNAMES:
        if name.startswith(comp) and len(name) > len(comp):
            return comp, name[len(comp):]
    return name[:1], name[1:]


@functools.lru_cache(maxsize=8192)
def _char_pinyin(c: str) -> str:
    """One character's dictionary reading (cached: a name register uses a few thousand characters).

    Per character rather than per string: names are not phrases, and phrase readings would apply
    word context that names do not have.
    """
    return "".join(p for p in _pinyin()(c) if p.isalpha()).lower()


@functools.lru_cache(maxsize=1 << 20)
def name_parts(raw: str | None) -> tuple[str, str, str, tuple[str, ...]] | None:
    """(pinyin surname-aware, pinyin plain, surname pinyin, given-name syllables) of one name."""
    name = clean_person_name(raw)
    if not name:
        return None
    if _HAN.search(name):
        sur, given = _split_surname(name)
        sur_plain = "".join(_char_pinyin(c) for c in sur)
        sur_py = SURNAME_READINGS.get(sur, sur_plain)
        given_py = [p for p in (_char_pinyin(c) for c in given) if p]
        return sur_py + "".join(given_py), sur_plain + "".join(given_py), sur_py, tuple(given_py)
    tokens = [t for t in re.split(r"[^A-Za-z]+", name.lower()) if t]
    if not tokens:
        return None
    # Chinese order (surname first), as registers and the synthetic world write it.
    joined = "".join(tokens)
    return joined, joined, tokens[0], tuple(s for t in tokens[1:] for s in split_syllables(t))


def clean_ent_name(raw: str | None) -> str | None:
    if raw is None:
        return None
    s = unicodedata.normalize("NFKC", raw)  # full-width letters, digits and brackets -> ASCII
    s = re.sub(r"\s+", "", s).replace("【", "(").replace("】", ")")
    return s or None


@functools.lru_cache(maxsize=1 << 18)
def ent_name_core(raw: str | None) -> str | None:
    s = clean_ent_name(raw)
    if not s:
        return None
    # Leading place words first (the long zone names contain "(上海)"), then bracketed place words
    # anywhere ((上海), (中国)), then one legal form at the end; never down to nothing.
    bracketed = re.compile(r"\((?:" + "|".join(map(re.escape, PLACE_WORDS)) + r")\)")
    changed = True
    while changed:
        changed = False
        for w in PLACE_WORDS:
            if s.startswith(w) and len(s) > len(w):
                s, changed = s[len(w):], True
        stripped = bracketed.sub("", s)
        if stripped != s and stripped:
            s, changed = stripped, True
    for w in LEGAL_FORMS:
        if s.endswith(w):
            s = s[: -len(w)] if len(s) > len(w) else s
            break
    return s or None


def _per_distinct(values: pa.Array, fn: Callable[[str | None], str | None]) -> pa.Array:
    """Apply ``fn`` once per distinct value (names and firms repeat), keeping row order."""
    arr = pc.cast(as_array(values), pa.string())
    enc = pc.dictionary_encode(arr).combine_chunks() if isinstance(arr, pa.ChunkedArray) else pc.dictionary_encode(arr)
    # DuckDB's Arrow UDFs may not return NULL (NULL inputs never reach them): '' means "no value".
    mapped = pa.array([fn(v) or "" for v in enc.dictionary.to_pylist()], pa.string())
    return pc.take(mapped, enc.indices)


def _part(i: int) -> Callable[[str | None], str | None]:
    def get(v: str | None) -> str | None:
        p = name_parts(v)
        return None if p is None else p[i]

    return get


def _name_key(v: str | None) -> str | None:
    p = name_parts(v)
    if p is None:
        return None
    return p[2] + "|" + "".join(s[0] for s in p[3])


@udf("name_pinyin", ["VARCHAR"], "VARCHAR", "Toneless pinyin of a person name, surname read as a surname (曾 zeng).")
def name_pinyin(x: pa.Array) -> pa.Array:
    return _per_distinct(x, _part(0))


@udf("name_pinyin_plain", ["VARCHAR"], "VARCHAR", "Toneless pinyin with dictionary readings (曾 ceng).")
def name_pinyin_plain(x: pa.Array) -> pa.Array:
    return _per_distinct(x, _part(1))


@udf("surname_pinyin", ["VARCHAR"], "VARCHAR", "Pinyin of the surname (compound surnames whole).")
def surname_pinyin(x: pa.Array) -> pa.Array:
    return _per_distinct(x, _part(2))


@udf("name_key", ["VARCHAR"], "VARCHAR", "Surname pinyin + initials of the given name: 张伟强 -> zhang|wq.")
def name_key(x: pa.Array) -> pa.Array:
    return _per_distinct(x, _name_key)


@udf("person_name_clean", ["VARCHAR"], "VARCHAR", "Person name without spaces and dots; Latin names upper-case.")
def person_name_clean(x: pa.Array) -> pa.Array:
    return _per_distinct(x, clean_person_name)


@udf("ent_name_clean", ["VARCHAR"], "VARCHAR", "Enterprise name width-folded, brackets half-width, no spaces.")
def ent_name_clean_udf(x: pa.Array) -> pa.Array:
    return _per_distinct(x, clean_ent_name)


@udf("ent_name_core", ["VARCHAR"], "VARCHAR", "Enterprise name without legal-form and place words.")
def ent_name_core_udf(x: pa.Array) -> pa.Array:
    return _per_distinct(x, ent_name_core)


@udf("ent_name_core_pinyin", ["VARCHAR"], "VARCHAR", "Toneless pinyin of the enterprise name core (homophones meet).")
def ent_name_core_pinyin(x: pa.Array) -> pa.Array:
    def fn(v: str | None) -> str | None:
        core = ent_name_core(v)
        return None if core is None else "".join(_pinyin()(core)).lower()

    return _per_distinct(x, fn)
