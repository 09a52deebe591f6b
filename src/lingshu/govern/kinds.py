"""Validator kinds by name, for quality rules and the CLI: ``KINDS.get("id")``.

Each kind gives the SQL predicate template a quality rule compiles to (``{col}`` is replaced by
the quoted column expression), the SQL normaliser, and the Python single-value check returning a
``Verdict``. Rules say ``kind: id``; nothing else needs to know how an ID is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lingshu.core.registry import Registry
from lingshu.govern.address import check_address
from lingshu.govern.dates import check_date
from lingshu.govern.gb28181 import check_gb28181
from lingshu.govern.idcard import check_id
from lingshu.govern.industry import check_industry
from lingshu.govern.phone import check_phone
from lingshu.govern.projectcode import check_project_code
from lingshu.govern.uscc import check_uscc
from lingshu.govern.verdict import Verdict


@dataclass(frozen=True)
class ValidatorKind:
    name: str
    label: str  # Chinese and English, for reports and --help
    predicate: str  # SQL, true when valid; NULL input gives NULL (completeness is another rule)
    normalize: str  # SQL expression giving the standard form
    check: Callable[[str | None], Verdict]  # Python reference, one value
    standard: str  # the standard or convention it implements
    array_function: str  # SQL function giving the validity of each value, for arrays

    def predicate_sql(self, column: str) -> str:
        return self.predicate.format(col=column)

    def normalize_sql(self, column: str) -> str:
        return self.normalize.format(col=column)

    def validate_array(self, values: Any) -> pa.Array:
        """Vectorized: the SQL predicate over a whole array (see ``vector.apply_sql``)."""
        from lingshu.govern.vector import apply_sql

        result = apply_sql(self.array_function, values)
        if result.type == pa.bool_():
            return result
        # A parser (parse_cn_date): valid when it parsed; a NULL input stays NULL, as in SQL.
        return pc.if_else(pc.is_null(pa.array(values) if not isinstance(values, pa.Array) else values),
                          pa.scalar(None, pa.bool_()), pc.is_valid(result))


KINDS: Registry[ValidatorKind] = Registry("validator kind")
for _k in (
    ValidatorKind("id", "身份证号 / citizen ID number", "is_valid_id({col})", "id_normalize({col})",
                  check_id, "GB 11643-1999", "is_valid_id"),
    ValidatorKind("uscc", "统一社会信用代码 / unified social credit code", "is_valid_uscc({col})",
                  "uscc_normalize({col})", check_uscc, "GB 32100-2015", "is_valid_uscc"),
    ValidatorKind("gb28181", "视频设备编码 / video device code", "is_valid_gb28181({col})",
                  "gb28181_normalize({col})", check_gb28181, "GB/T 28181-2016 Annex D", "is_valid_gb28181"),
    ValidatorKind("project-code", "投资项目代码 / investment project code", "is_valid_project_code({col})",
                  "project_code_normalize({col})", check_project_code,
                  "GB/T 40058-2021 shape (check algorithm UNSETTLED)", "is_valid_project_code"),
    ValidatorKind("phone", "电话号码 / phone number", "is_valid_phone({col})", "phone_normalize({col})",
                  check_phone, "mobile / landline conventions, default area 021", "is_valid_phone"),
    ValidatorKind("date", "日期 / date", "(parse_cn_date({col}) IS NOT NULL)", "parse_cn_date({col})",
                  check_date, "Chinese date spellings, Excel serials", "parse_cn_date"),
    ValidatorKind("address", "上海地址 / Shanghai address", "is_valid_address({col})",
                  "address_standardize({col})", check_address, "Shanghai conventions, GB/T 39609-2020", "is_valid_address"),
    ValidatorKind("industry", "行业代码 / industry code", "is_valid_industry({col})", "industry_name({col})",
                  check_industry, "GB/T 4754-2017", "is_valid_industry"),
):
    KINDS.add(_k.name, _k)
