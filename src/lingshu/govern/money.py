"""Registered capital and other amounts written the way registers write them: to yuan.

``amount_to_yuan(x, default_unit)``: a number with an optional unit (元, 万元, 亿元, 万, 亿, 千元) and
optional currency word, full-width folded and thousands separators removed, as an amount in *yuan of
its own currency*; ``default_unit`` applies when the text has none (a column headed 注册资本(万元)
holds bare numbers in 万元). ``amount_currency(x, default_currency)``: the ISO code of the currency
word (人民币 CNY, 美元 USD, 欧元 EUR, 港元/港币 HKD, 日元 JPY, 英镑 GBP), else the default.
Converting to CNY needs exchange rates, which are configuration (a dated rate table in the pack),
never constants in code.
"""

from __future__ import annotations

from lingshu.govern.sqldefs import let, macro, sql_map

UNITS = {"元": "1", "千元": "1000", "万元": "10000", "万": "10000", "亿元": "100000000", "亿": "100000000",
         "百万": "1000000", "百万元": "1000000"}
CURRENCIES = {"人民币": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD", "港币": "HKD", "日元": "JPY",
              "英镑": "GBP"}
_UNIT_RE = "(千元|万元|亿元|百万元|百万|万|亿|元)"

macro("amount_to_yuan", "x, default_unit", let(
    "s", "replace(replace(fullwidth_to_halfwidth(CAST(x AS VARCHAR)), ',', ''), ' ', '')",
    "TRY_CAST(regexp_extract(s, '(-?\\d+(\\.\\d+)?)', 1) AS DECIMAL(24, 4))"
    f" * CAST(coalesce({sql_map(UNITS)}[nullif(regexp_extract(replace(s, '美元', '元'), '{_UNIT_RE}', 1), '')],"
    f" {sql_map(UNITS)}[default_unit], '1') AS DECIMAL(24, 4))"),
    "Amount in yuan of its currency: '1.2亿元' -> 120000000; '500' with default_unit '万元' -> 5000000.")
macro("amount_currency", "x, default_currency",
      f"coalesce({sql_map(CURRENCIES)}[nullif(regexp_extract(CAST(x AS VARCHAR), '(人民币|美元|欧元|港元|港币|日元|英镑)', 1), '')],"
      f" {sql_map(CURRENCIES)}[default_currency], default_currency)",
      "ISO currency of an amount's currency word (美元 -> USD), else the default (a word or a code).")
