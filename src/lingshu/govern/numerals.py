"""Chinese numerals in addresses (STANDARDS.md section 10), the scalar rule.

Only a number directly before an address unit (弄 号 幢 栋 室 层 单元 支弄) is converted: digit by
digit when there is no 十/百/千 (二〇一室 -> 201室), by place value otherwise (二十三号 -> 23号,
一百零五室 -> 105室). Numbers inside road names (三林路, 浦东南路, 环湖西二路) are never touched,
because a road name is followed by 路, not by a unit.
"""

from __future__ import annotations

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
PLACES = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(PLACES)
UNITS = ("支弄", "单元", "弄", "号", "幢", "栋", "室", "层")
UNIT_ALT = "|".join(UNITS)
# Python form (with lookahead) for the conversion; RE2 form (no lookahead) for vectorized masks.
PATTERN = re.compile(f"([{NUMERAL_CHARS}]+)(?={UNIT_ALT})")
RE2_MASK = f"[{NUMERAL_CHARS}]+(?:{UNIT_ALT})"


def cn_number(s: str) -> str:
    """One Chinese numeral string -> its Arabic digits."""
    if not any(ch in PLACES for ch in s):
        return "".join(str(DIGITS[ch]) for ch in s)
    total, current = 0, 0
    for ch in s:
        if ch in PLACES:
            total += (current or 1) * PLACES[ch]  # 十二 = 12: a bare 十 means one ten
            current = 0
        else:
            current = DIGITS[ch]
    return str(total + current)


def convert_address_numerals(s: str) -> str:
    return PATTERN.sub(lambda m: cn_number(m.group(1)), s)
