"""Region codes (GB/T 2260) and the 临港新片区 functional-zone dimension.

Only Shanghai's table ships (with its retired codes: a person keeps the code issued at
registration, so 310108 闸北 and 310230 崇明县 stay valid in old records). For other provinces
only the 2-digit province is checked, since the national table is not bundled: the verdict says
so instead of pretending to know.

Lingang has no region code; it is a 功能区 dimension over towns (data/lingang.yaml).
"""

from __future__ import annotations

import functools

from pydantic import BaseModel

from lingshu.govern.refdata import read_csv, read_yaml
from lingshu.govern.sqldefs import macro, sql_list, sql_map, sql_str


class Region(BaseModel):
    code: str
    name: str
    level: str
    status: str  # current | retired
    retired_year: int | None = None
    successor: str | None = None
    certainty: str


class ZoneMember(BaseModel):
    town: str
    district_code: str
    district: str
    part: str  # whole | partial
    aliases: list[str] = []


class FunctionalZone(BaseModel):
    zone: str
    zone_en: str
    area_km2: float
    centre: dict[str, float | str]
    members: list[ZoneMember]


@functools.cache
def shanghai_regions() -> dict[str, Region]:
    return {
        r["code"]: Region(**{k: (v or None) for k, v in r.items()})  # type: ignore[arg-type]
        for r in read_csv("regions_shanghai.csv")
    }


@functools.cache
def provinces() -> dict[str, str]:
    return {r["code"]: r["name"] for r in read_csv("provinces.csv")}


@functools.cache
def lingang() -> FunctionalZone:
    return FunctionalZone(**read_yaml("lingang.yaml"))


@functools.cache
def town_aliases() -> dict[str, str]:
    """Every spelling of a Lingang town (its name and aliases) -> the standard town name."""
    out: dict[str, str] = {}
    for m in lingang().members:
        out[m.town] = m.town
        for a in m.aliases:
            out[a] = m.town
    return out


def region_check(code: str) -> tuple[bool, str | None, str]:
    """(plausible, name, note) for a 6-digit region code as found inside an ID or other code.

    Shanghai codes must be in the table (retired accepted); elsewhere the province must exist.
    """
    if len(code) != 6 or not code.isdigit():
        return False, None, "region code must be 6 digits"
    if code[:2] == "31":
        r = shanghai_regions().get(code)
        if r is None:
            return False, None, f"{code} is not a Shanghai region code (current or retired)"
        note = f"retired in {r.retired_year}" if r.status == "retired" else "current"
        return True, r.name, note
    name = provinces().get(code[:2])
    if name is None:
        return False, None, f"{code[:2]} is not a province code"
    return True, name, "province checked only (national table not bundled)"


def zone_of_town(town: str | None) -> str | None:
    """The functional zone a town (or its alias) belongs to, e.g. 泥城 -> 临港新片区."""
    return lingang().zone if town and town in town_aliases() else None


# -- SQL ------------------------------------------------------------------------------------------
_sh = shanghai_regions()
_ok_sh = [c for c in _sh]
_prov = [p for p in provinces() if p != "31"]

macro("region_name", "code", f"{sql_map({c: r.name for c, r in _sh.items()})}[code]",
      "Name of a Shanghai GB/T 2260 code, current or retired; NULL elsewhere.")
macro("region_is_retired", "code",
      f"CASE WHEN code IS NULL THEN NULL ELSE list_contains("
      f"{sql_list([c for c, r in _sh.items() if r.status == 'retired'])}, code) END",
      "True for a retired Shanghai code (310108 闸北区 ...).")
macro("region_code_plausible", "code",
      f"CASE WHEN code IS NULL THEN NULL WHEN NOT regexp_full_match(code, '\\d{{6}}') THEN false "
      f"WHEN substr(code, 1, 2) = '31' THEN list_contains({sql_list(_ok_sh)}, code) "
      f"ELSE list_contains({sql_list(_prov)}, substr(code, 1, 2)) END",
      "Shanghai codes must be in the table (retired accepted); elsewhere the province must exist.")
macro("lingang_town", "town", f"{sql_map(town_aliases())}[town]",
      "Standard Lingang town name for a town or alias (临港新城 -> 南汇新城镇); NULL if not in Lingang.")
macro("functional_zone", "town",
      f"CASE WHEN lingang_town(town) IS NOT NULL THEN {sql_str(lingang().zone)} END",
      "临港新片区 for a Lingang member town (or alias), else NULL.")
