"""Shanghai address standardization: fold, clean, parse into components, standard form, rules fired.

Hierarchy (STANDARDS.md section 10): 区 -> 镇/街道 -> 路 -> 弄 -> (支弄) -> 号 -> 幢 -> 单元 -> 层 -> 室.
Inside a lane the 号 is a building number (``X路Y弄Z号W室``); without 弄 it is a door number:
``number_kind`` says which. Landmarks in brackets and phone numbers glued to the end are split off;
legacy names are renamed (临港新城 -> 南汇新城镇, 南汇区 -> 浦东新区); ``12-3-1001`` is 幢-单元-室.

Defined once, vectorized: every rule is a named step over a whole Arrow array (Arrow's RE2
kernels), recording a mask of the rows it changed, so each result lists the rules that fired.
The one step that needs arithmetic (Chinese numerals with 十/百/千) runs its scalar rule only on
the rows a vectorized RE2 mask selects, which are few. ``standardize_address`` (one value) just
calls the array path with one element.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lingshu.govern.numerals import RE2_MASK, convert_address_numerals
from lingshu.govern.regions import lingang, shanghai_regions, town_aliases
from lingshu.govern.sqldefs import as_array, macro, udf
from lingshu.govern.verdict import Verdict

COMPONENTS = ("district", "town", "road", "lane", "sub_lane", "number", "building", "unit", "floor", "room")
SUFFIX = {"lane": "弄", "sub_lane": "支弄", "number": "号", "building": "幢", "unit": "单元", "floor": "层",
          "room": "室"}

# Legacy and variant names -> current ones (longest first where one contains another).
LEGACY: tuple[tuple[str, str], ...] = (
    (r"临港新城镇?", "南汇新城镇"),
    (r"芦潮港镇", "南汇新城镇"),
    (r"南汇新城镇?", "南汇新城镇"),
    (r"南汇区", "浦东新区"),
    (r"闸北区", "静安区"),
    (r"卢湾区", "黄浦区"),
    (r"南市区", "黄浦区"),
    (r"崇明县", "崇明区"),
)
DISTRICTS = sorted({r.name for r in shanghai_regions().values() if r.level == "district" and r.status == "current"},
                   key=len, reverse=True)
PHONE = r"(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})"
PHONE_TAIL = r"(?:联系)?(?:电话|手机|tel|TEL|Tel)?[:：]?" + PHONE + "$"
BRACKETS = r"[(\[【{][^)\]】}]*[)\]】}]"
# Lingang towns whose name has no 镇/街道/乡 (小洋山): named, so the town is not read as part of
# the road. Short aliases (洋山) are left out: they begin road names (洋山路).
NAMED_TOWNS = sorted({n for m in lingang().members if not m.town.endswith(("镇", "街道", "乡"))
                      for n in (m.town, *m.aliases) if len(n) >= 3}, key=len, reverse=True)
# A district written short before one of its Lingang towns (浦东南汇新城镇, 奉贤四团镇). 小洋山 belongs
# to 嵊泗县 but is run from 临港, and addresses write it under 浦东新区 (浦东小洋山...).
SHORT_DISTRICTS = tuple(
    (f"^{short}(" + "|".join(sorted({n for m in lingang().members if m.district == district
                                     for n in (m.town, *m.aliases)}
                                    | (set(NAMED_TOWNS) if district == "浦东新区" else set()),
                                    key=len, reverse=True)) + ")",
     district + r"\1")
    for district in sorted({m.district for m in lingang().members if m.district in DISTRICTS})
    for short in [district.removesuffix("新区").removesuffix("区")])
PARSE = (
    "^(?P<district>" + "|".join(DISTRICTS) + ")?"
    r"(?P<town>" + "".join(f"{t}|" for t in NAMED_TOWNS) + r"[^\d路弄号]{1,6}?(?:镇|街道|乡))?"
    r"(?P<road>[^\d]+?(?:大道|公路|路|街|巷))?"
    r"(?:(?P<lane>\d+)弄)?(?:(?P<sub_lane>\d+)支弄)?"
    r"(?:(?P<number>\d+(?:-\d+)?)号)?(?:(?P<building>[0-9A-Z]+)幢)?(?:(?P<unit>\d+)单元)?"
    r"(?:(?P<floor>-?\d+)层)?(?:(?P<room>[0-9A-Z]+)室)?(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Step:
    """A rewrite of the whole array; ``name`` is reported for every row it changed."""

    name: str
    apply: Callable[[pa.Array], pa.Array]


def _regex(pattern: str, repl: str) -> Callable[[pa.Array], pa.Array]:
    return lambda a: pc.replace_substring_regex(a, pattern=pattern, replacement=repl)


def _numerals(a: pa.Array) -> pa.Array:
    mask = pc.fill_null(pc.match_substring_regex(a, RE2_MASK), False)
    idx = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    if idx.size == 0:
        return a
    # Scalar rule on the selected rows only (rare: most addresses use Arabic digits).
    fixed = pa.array([convert_address_numerals(s) for s in a.take(pa.array(idx)).to_pylist()], pa.string())
    return pc.replace_with_mask(a, mask, fixed)


STEPS: tuple[Step, ...] = (
    Step("fold_width", lambda a: pc.utf8_normalize(a, form="NFKC")),
    Step("strip_spaces", _regex(r"\s+", "")),
    Step("drop_city_prefix", _regex(r"^(?:中国)?上海市?", "")),
    Step("drop_zone_name", _regex(r"(?:中国\(上海\)自由贸易试验区|自贸区)?临港新片区", "")),
    Step("numerals", _numerals),
    Step("shorthand_building_unit_room", _regex(r"(\d+)-(\d+)-(\d+)$", r"\1幢\2单元\3室")),
    Step("shorthand_lane_number_room", _regex(r"弄(\d+)-(\d+)$", r"弄\1号\2室")),
    Step("building_suffix", _regex(r"(\d+|[A-Z])(?:号楼|栋|座)", r"\1幢")),
    Step("floor_suffix", _regex(r"(\d+)楼", r"\1层")),
    Step("room_suffix", _regex(r"(\d+)(?:房间|号房)", r"\1室")),
    *(Step("legacy_name", _regex(p, r)) for p, r in LEGACY),
    *(Step("district_short_name", _regex(p, r)) for p, r in SHORT_DISTRICTS),
)


def _rules_column(names: list[str], masks: list[np.ndarray]) -> pa.Array:
    """Masks (one per step) -> a list<string> column of the distinct rule names fired per row."""
    unique = list(dict.fromkeys(names))
    matrix = np.zeros((len(masks[0]) if masks else 0, len(unique)), dtype=bool)
    for n, m in zip(names, masks, strict=True):
        matrix[:, unique.index(n)] |= m
    rows, cols = np.nonzero(matrix)
    offsets = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=matrix.shape[0]))]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(np.array(unique, dtype=object)[cols], pa.string()))


def _changed(before: pa.Array, after: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.not_equal(before, after), False).to_numpy(zero_copy_only=False))


def _empty_to_null(a: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)


def parse_addresses(values: Any) -> pa.StructArray:
    """Parse an array of addresses; one struct per row (see ``COMPONENTS`` and ``rules``)."""
    a = pc.cast(as_array(values), pa.string())
    names: list[str] = []
    masks: list[np.ndarray] = []

    def run(name: str, fn: Callable[[pa.Array], pa.Array]) -> None:
        nonlocal a
        before, a = a, fn(a)
        names.append(name)
        masks.append(_changed(before, a))

    for step in STEPS[:4]:
        run(step.name, step.apply)
    # Split off noise (a phone glued to the end) and landmarks (brackets) before parsing.
    noise = _extract(a, r"^.*?(?:(?:联系)?(?:电话|手机|tel|TEL|Tel)?[:：]?(?P<x>" + PHONE + "))?$")
    run("strip_phone_noise", _regex(PHONE_TAIL, ""))
    landmark = _extract(a, r"^[^(\[【{]*(?:[(\[【{](?P<x>[^)\]】}]*)[)\]】}])?")
    run("strip_landmark", _regex(BRACKETS, ""))
    for step in STEPS[4:]:
        run(step.name, step.apply)

    parts = pc.extract_regex(a, PARSE)
    fields = {c: _empty_to_null(pc.struct_field(parts, [i])) for i, c in enumerate((*COMPONENTS, "rest"))}
    # A Lingang town without its district: the district is known from the town.
    town_to_district = {m.town: m.district for m in lingang().members}
    std_town = pc.fill_null(_map(fields["town"], town_aliases()), fields["town"])
    inferred = _map(std_town, town_to_district)
    need = pc.and_(pc.is_null(fields["district"]), pc.is_valid(inferred))
    names.append("infer_district")
    masks.append(np.asarray(pc.fill_null(need, False).to_numpy(zero_copy_only=False)))
    fields["district"] = pc.if_else(need, inferred, fields["district"])
    fields["town"] = std_town
    zone = pc.if_else(pc.is_valid(_map(std_town, town_to_district)), pa.scalar(lingang().zone),
                      pa.scalar(None, pa.string()))
    standard = _standard_form(fields)
    valid_input = pc.is_valid(as_array(values))
    standard = pc.if_else(valid_input, standard, pa.scalar(None, pa.string()))
    has_lane = pc.is_valid(fields["lane"])
    number_kind = pc.if_else(pc.is_null(fields["number"]), pa.scalar(None, pa.string()),
                             pc.if_else(has_lane, pa.scalar("楼号"), pa.scalar("门牌号")))
    rules = _rules_column(names, masks)
    arrays = [fields[c] for c in COMPONENTS] + [number_kind, landmark, noise, fields["rest"], zone, standard, rules]
    out_names = [*COMPONENTS, "number_kind", "landmark", "noise", "rest", "zone", "standard", "rules"]
    return pa.StructArray.from_arrays([as_array(x) for x in arrays], names=out_names,
                                      mask=pc.invert(valid_input))


def _extract(a: pa.Array, pattern: str) -> pa.Array:
    """The one named group ``x`` of ``pattern`` (NULL when it did not take part)."""
    return _empty_to_null(pc.struct_field(pc.extract_regex(a, pattern), [0]))


def _map(a: pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = pa.array(list(mapping), pa.string())
    idx = pc.index_in(a, value_set=keys)
    return pc.take(pa.array(list(mapping.values()), pa.string()), idx)


def _standard_form(f: dict[str, pa.Array]) -> pa.Array:
    pieces = []
    for c in COMPONENTS:
        suffix = SUFFIX.get(c, "")
        pieces.append(pc.fill_null(pc.binary_join_element_wise(f[c], pa.scalar(suffix), ""), ""))
    return pc.binary_join_element_wise(*pieces, "")


def standardize_address(raw: str | None) -> dict[str, Any] | None:
    """One address -> its parsed components, standard form and the rules that fired."""
    return parse_addresses(pa.array([raw], pa.string())).to_pylist()[0]


def check_address(raw: str | None) -> Verdict:
    v = Verdict("address", raw, valid=True)
    p = standardize_address(raw)
    if p is None:
        return v.fail("empty")
    v.normalized = p["standard"] or None
    v.rules = p.pop("rules")
    v.parts = {k: val for k, val in p.items() if val is not None and k != "standard"}
    if not p["road"]:
        v.fail("no road (路/街/大道/公路) found: cannot place the address")
    if p["rest"]:
        v.errors.append(f"unparsed remainder: {p['rest']}")
    return v


# -- SQL ------------------------------------------------------------------------------------------
_PARSE_TYPE = ("STRUCT(" + ", ".join(f"{c} VARCHAR" for c in
               (*COMPONENTS, "number_kind", "landmark", "noise", "rest", "zone", "standard"))
               + ", rules VARCHAR[])")


@udf("address_parse", ["VARCHAR"], _PARSE_TYPE, "Parse a Shanghai address into components + rules fired.")
def _address_parse_udf(x: pa.Array) -> pa.Array:
    return parse_addresses(x)


@udf("address_standardize", ["VARCHAR"], "VARCHAR", "Standard form string of a Shanghai address.")
def _address_standardize_udf(x: pa.Array) -> pa.Array:
    return pc.struct_field(parse_addresses(x), "standard")


@udf("address_numerals", ["VARCHAR"], "VARCHAR", "Chinese numerals before address units -> digits.")
def _address_numerals_udf(x: pa.Array) -> pa.Array:
    return _numerals(pc.cast(x, pa.string()))


macro("is_valid_address", "x",
      "CASE WHEN x IS NULL THEN NULL ELSE address_parse(x).road IS NOT NULL END",
      "An address with at least a road, so it can be placed (matched to the address base).")
