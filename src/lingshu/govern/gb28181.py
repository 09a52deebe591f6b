"""Video device codes, GB/T 28181-2016 Annex D rule A: 20 digits, no check digit.

1-8 centre code (province, city, county per GB/T 2260 + 2 digits of the local unit), 9-10
industry, 11-13 type, 14 network, 15-20 serial. A code is valid when it is 20 digits, its
province exists and its type code is assigned in some edition: the 2016 list, or the range a
later edition (GB/T 28181-2022) added (120-125, 141-143), which we accept and name by edition.
Names for the later-edition codes other than 121 were not available: they say so.
"""

from __future__ import annotations

import re

from lingshu.govern.regions import provinces
from lingshu.govern.sqldefs import macro, sql_list, sql_map, sql_str
from lingshu.govern.text import fullwidth_to_halfwidth
from lingshu.govern.verdict import Verdict

ED_2016 = "GB/T 28181-2016"
ED_LATER = "GB/T 28181-2022"

TYPES_2016 = {
    "111": "DVR", "112": "视频服务器", "113": "编码器", "114": "解码器", "115": "视频切换矩阵",
    "116": "音频切换矩阵", "117": "报警控制器", "118": "NVR", "130": "HVR", "131": "摄像机",
    "132": "网络摄像机 IPC", "133": "显示器", "134": "报警输入设备", "135": "报警输出设备",
    "136": "语音输入", "137": "语音输出", "138": "移动传输设备", "139": "其他外围设备",
    "200": "中心信令控制服务器", "201": "Web应用服务器", "202": "媒体分发服务器", "203": "代理服务器",
    "204": "安全服务器", "205": "报警服务器", "206": "数据库服务器", "207": "GIS服务器",
    "208": "管理服务器", "209": "接入网关", "210": "媒体存储服务器", "211": "信令安全路由网关",
    "215": "业务分组", "216": "虚拟组织",
}
_UNNAMED = "后续版本新增类型（名称未核实）"
TYPES_LATER = {c: ("视频卡口" if c == "121" else _UNNAMED) for c in
               ("120", "121", "122", "123", "124", "125", "141", "142", "143")}
# Whole ranges of the 2016 edition: (low, high, name).
TYPE_RANGES = ((300, 399, "中心用户"), (400, 499, "终端用户"), (500, 599, "平台外接服务器"))

INDUSTRY_RANGES = (
    (0, 0, "社会治安路面接入"), (1, 1, "社会治安社区接入"), (2, 2, "社会治安内部接入"),
    (3, 3, "社会治安其他接入"), (4, 4, "交通路面接入"), (5, 5, "交通卡口接入"), (6, 6, "交通内部接入"),
    (7, 7, "交通其他接入"), (8, 8, "城市管理接入"), (9, 9, "卫生环保接入"), (10, 10, "商检海关接入"),
    (11, 11, "教育部门接入"), (12, 39, "政府机关预留"), (40, 79, "企业接入"), (80, 89, "居民自建"),
    (90, 99, "其他"),
)
NETWORKS = {**{str(i): "监控报警专网" for i in range(5)}, "5": "公安信息网", "6": "政务网",
            "7": "Internet", "8": "社会资源接入网", "9": "预留"}


def type_info(code: str) -> tuple[str, str] | None:
    """(name, edition) of a type code, or None when no edition assigns it."""
    if code in TYPES_2016:
        return TYPES_2016[code], ED_2016
    if code in TYPES_LATER:
        return TYPES_LATER[code], ED_LATER
    n = int(code)
    return next(((name, ED_2016) for lo, hi, name in TYPE_RANGES if lo <= n <= hi), None)


def industry_name(code: str) -> str:
    n = int(code)
    return next(name for lo, hi, name in INDUSTRY_RANGES if lo <= n <= hi)


def normalize_gb28181(raw: str | None) -> str | None:
    return None if raw is None else re.sub(r"\s+", "", fullwidth_to_halfwidth(raw) or "")


def check_gb28181(raw: str | None) -> Verdict:
    v = Verdict("gb28181", raw, valid=True)
    n = normalize_gb28181(raw)
    if not n or not re.fullmatch(r"\d{20}", n):
        return v.fail("not a GB/T 28181 code: expected 20 digits")
    v.normalized = n
    centre, industry, typ, net, serial = n[:8], n[8:10], n[10:13], n[13], n[14:]
    info = type_info(typ)
    v.parts.update(centre=centre, province=provinces().get(n[:2]), industry=industry,
                   industry_name=industry_name(industry), type=typ,
                   type_name=info[0] if info else None, type_edition=info[1] if info else None,
                   network=net, network_name=NETWORKS[net], serial=serial)
    if n[:2] not in provinces():
        v.fail(f"centre code {centre}: {n[:2]} is not a province code")
    if info is None:
        v.fail(f"type code {typ} is not assigned in {ED_2016} or {ED_LATER}")
    return v


def is_valid_gb28181(raw: str | None) -> bool:
    return check_gb28181(raw).valid


# -- SQL ------------------------------------------------------------------------------------------
_N = "gb28181_normalize(x)"
_T = f"substr({_N}, 11, 3)"
_ranges = " ".join(f"WHEN TRY_CAST({_T} AS INTEGER) BETWEEN {lo} AND {hi} THEN {sql_str(name)}"
                   for lo, hi, name in TYPE_RANGES)
_ind = " ".join(f"WHEN CAST(i AS INTEGER) BETWEEN {lo} AND {hi} THEN {sql_str(name)}"
                for lo, hi, name in INDUSTRY_RANGES)
_range_sql = " OR ".join(f"TRY_CAST({_T} AS INTEGER) BETWEEN {lo} AND {hi}" for lo, hi, _ in TYPE_RANGES)

macro("gb28181_normalize", "x", "regexp_replace(fullwidth_to_halfwidth(x), '\\s+', '', 'g')",
      "Half-width, no spaces.")
macro("gb28181_type_name", "x",
      f"CASE WHEN NOT regexp_full_match({_N}, '\\d{{20}}') THEN NULL"
      f" WHEN {sql_map({**TYPES_2016, **TYPES_LATER})}[{_T}] IS NOT NULL"
      f" THEN {sql_map({**TYPES_2016, **TYPES_LATER})}[{_T}] {_ranges} END",
      "Name of the device type (11-13), by whichever edition assigns it.")
macro("gb28181_type_edition", "x",
      f"CASE WHEN NOT regexp_full_match({_N}, '\\d{{20}}') THEN NULL"
      f" WHEN list_contains({sql_list(list(TYPES_LATER))}, {_T}) THEN {sql_str(ED_LATER)}"
      f" WHEN list_contains({sql_list(list(TYPES_2016))}, {_T}) OR {_range_sql} THEN {sql_str(ED_2016)} END",
      "Edition that assigns the type code.")
macro("is_valid_gb28181", "x",
      f"CASE WHEN x IS NULL THEN NULL ELSE regexp_full_match({_N}, '\\d{{20}}')"
      f" AND list_contains({sql_list(list(provinces()))}, substr({_N}, 1, 2))"
      f" AND gb28181_type_edition(x) IS NOT NULL END",
      "20 digits, a real province, a type code assigned by some edition.")
for _name, _start, _len in (("centre", 1, 8), ("industry", 9, 2), ("type", 11, 3),
                            ("network", 14, 1), ("serial", 15, 6)):
    macro(f"gb28181_{_name}", "x", f"CASE WHEN is_valid_gb28181(x) THEN substr({_N}, {_start}, {_len}) END",
          f"The {_name} field of a valid code.")
macro("gb28181_industry_name", "i", f"CASE WHEN regexp_full_match(i, '\\d{{2}}') THEN CASE {_ind} END END",
      "Name of a 2-digit industry code (00 社会治安路面接入 ...).")
