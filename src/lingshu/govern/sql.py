"""Install every governance function on an engine under a stable SQL name: ``register_sql(engine)``.

The platform calls this whenever it opens an engine, so model SQL and quality rules can say
``WHERE NOT is_valid_id(id_no)``. Macros are TEMP (they work on read-only warehouses);
installing twice on the same engine is a no-op.

SQL functions (M = DuckDB macro, U = vectorized Arrow UDF):

text
  M fullwidth_to_halfwidth(x)          full-width ASCII and U+3000 -> half-width
regions (GB/T 2260, Shanghai table with retired codes; 临港新片区 functional zone)
  M region_name(code)                  M region_is_retired(code)      M region_code_plausible(code)
  M lingang_town(town)                 M functional_zone(town)
ID numbers (GB 11643)
  M id_check_char(body17)              M id_upgrade15(id15)           M id_normalize(x)
  M id_birth_date_raw(n)               M is_valid_id(x)               M id_birth_date(x)
  M id_sex(x) -> 'M'/'F'               M id_region_code(x)            M id_valid_normalized(n)
  U id_check_ok(n) (check character, numpy)
unified social credit codes (GB 32100)
  M uscc_normalize(x)                  M uscc_check_char(body17)      M org_code_check_char(body8)
  M is_valid_uscc(x)                   M uscc_org_code(x)             M uscc_region_code(x)
  M uscc_authority_name(x)             U uscc_checks_ok(x) (both check characters, numpy)
video device codes (GB/T 28181)
  M gb28181_normalize(x)               M is_valid_gb28181(x)          M gb28181_centre(x)
  M gb28181_industry(x)                M gb28181_type(x)              M gb28181_network(x)
  M gb28181_serial(x)                  M gb28181_type_name(x)         M gb28181_type_edition(x)
  M gb28181_industry_name(ii)
investment project codes (GB/T 40058-2021 shape; check algorithm UNSETTLED)
  M project_code_normalize(x)          M is_valid_project_code(x)     M project_code_format_version(x)
phones
  M phone_normalize(x)                 M phone_kind(x)                M is_valid_phone(x)
  M phone_ext(x)  M phone_digits(x)  M phone_national(x)  M phone_parts(x) (the steps, exposed)
dates
  M parse_cn_date(x) -> DATE           M excel_serial_to_date(n)
industry (GB/T 4754-2017)
  M industry_section(code)             M industry_name(code)          M is_valid_industry(code)
coordinates (WGS-84 / GCJ-02 / BD-09; CGCS2000 = WGS-84 at metre level)
  U wgs84_to_gcj02_lng(lng, lat)  U wgs84_to_gcj02_lat(lng, lat)  and likewise for every pair of
  wgs84, gcj02, bd09: gcj02_to_wgs84_*, gcj02_to_bd09_*, bd09_to_gcj02_*, wgs84_to_bd09_*,
  bd09_to_wgs84_* (GCJ->WGS is the iterative inverse)
addresses (Shanghai)
  U address_standardize(x) -> VARCHAR  U address_parse(x) -> STRUCT(...)  U address_numerals(x)
  M is_valid_address(x)
amounts (govern/money.py)
  M amount_to_yuan(x, default_unit)    M amount_currency(x, default_currency)
entity resolution keys (govern/er/standardize.py)
  U name_pinyin(x) (surname readings: 曾 zeng)  U name_pinyin_plain(x)  U surname_pinyin(x)
  U name_key(x) (surname + initials)  U person_name_clean(x)  U ent_name_clean(x)  U ent_name_core(x)
  U ent_name_core_pinyin(x)

Engines that do not speak DuckDB SQL (Spark) get every function as a vectorized UDF when they
support Python UDFs: the Arrow UDFs as they are, and each macro wrapped so that a batch of values
runs through ``vector.apply_sql`` (the macro on a private in-memory DuckDB in the worker).
"""

from __future__ import annotations

import importlib
from functools import lru_cache, partial

from lingshu.engines.base import Engine
from lingshu.govern.sqldefs import CATALOGUE, ArrowUdf, SqlMacro
from lingshu.govern.vector import apply_sql

# Import order = creation order: a macro may call only functions created before it.
MODULES = (
    "lingshu.govern.text",
    "lingshu.govern.regions",
    "lingshu.govern.idcard",
    "lingshu.govern.uscc",
    "lingshu.govern.gb28181",
    "lingshu.govern.projectcode",
    "lingshu.govern.phone",
    "lingshu.govern.dates",
    "lingshu.govern.industry",
    "lingshu.govern.coords",
    "lingshu.govern.address",
    "lingshu.govern.money",
    "lingshu.govern.er.standardize",
)

_INSTALLED = "_lingshu_govern_sql"


def ensure_loaded() -> None:
    for m in MODULES:
        importlib.import_module(m)


def sql_function_names() -> list[str]:
    ensure_loaded()
    return list(CATALOGUE)


def register_sql(engine: Engine) -> list[str]:
    """Install all governance macros and UDFs on ``engine``; returns the names installed."""
    ensure_loaded()
    if getattr(engine, _INSTALLED, False):
        return list(CATALOGUE)
    installed: list[str] = []
    for name, fn in CATALOGUE.items():
        if isinstance(fn, SqlMacro):
            if engine.dialect == "duckdb":
                engine.execute(fn.create_sql())
            elif engine.capabilities.python_udfs and (returns := macro_returns(fn)) is not None:
                # Another engine runs the very same macro as a vectorized UDF: each batch goes
                # through the array API's private DuckDB, so results equal DuckDB's by construction.
                engine.register_function(fn.name, partial(apply_sql, fn.name), ["VARCHAR"] * len(fn.params),
                                         returns)
            else:
                continue
        elif isinstance(fn, ArrowUdf):
            if not engine.capabilities.python_udfs:
                continue
            engine.register_function(fn.name, fn.func, list(fn.params), fn.returns)
        installed.append(name)
    setattr(engine, _INSTALLED, True)
    return installed


@lru_cache(maxsize=None)
def macro_returns(fn: SqlMacro) -> str | None:
    """The DuckDB type a macro returns for text arguments (numbers where text does not bind).

    None when it binds with neither: such a macro is only a helper of other macros.
    """
    from lingshu.govern.vector import PRIVATE

    con = PRIVATE.engine.con
    # A sample value, not NULL: with NULL arguments DuckDB may fold the body to a NULL constant.
    for value in ("'0'", "CAST(1 AS DOUBLE)", "CAST(NULL AS VARCHAR)"):
        args = ", ".join(value for _ in fn.params)
        try:
            found = str(con.execute(f"SELECT typeof({fn.name}({args}))").fetchone()[0])
        except Exception:  # noqa: BLE001 - a binder error means "try the next argument type"
            continue
        if found != '"NULL"':
            return found
    return None
