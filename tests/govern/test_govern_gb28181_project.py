"""GB/T 28181 device codes (section 3) and investment project codes (section 4)."""

from __future__ import annotations

from datetime import date

import pytest

from lingshu.govern.gb28181 import check_gb28181
from lingshu.govern.projectcode import check_project_code


@pytest.mark.parametrize("code, parts", [
    ("34020000001320000001", {"centre": "34020000", "industry": "00", "type": "132", "network": "0",
                              "serial": "000001", "type_name": "网络摄像机 IPC"}),
    ("42010000011325000001", {"industry": "01", "type": "132", "network": "5", "network_name": "公安信息网"}),
    ("42010000012005000001", {"type": "200", "type_name": "中心信令控制服务器", "network": "5"}),
])
def test_standard_vectors(code: str, parts: dict[str, str]) -> None:
    v = check_gb28181(code)
    assert v.valid
    assert {k: v.parts[k] for k in parts} == parts


def test_later_edition_types_accepted_and_named_by_edition() -> None:
    v = check_gb28181("31011500001215000001")
    assert v.valid and v.parts["type_name"] == "视频卡口" and v.parts["type_edition"] == "GB/T 28181-2022"
    assert check_gb28181("31011500001425000001").parts["type_edition"] == "GB/T 28181-2022"
    assert check_gb28181("31011500003505000001").parts["type_name"] == "中心用户"


@pytest.mark.parametrize("code", ["3402000000132000000", "99020000001320000001", "34020000001190000001", "3402000000132000000A"])
def test_invalid(code: str) -> None:
    assert not check_gb28181(code).valid


def test_gb28181_sql_agrees(sql_col) -> None:  # noqa: ANN001
    codes = ["34020000001320000001", "42010000011325000001", "42010000012005000001", "31011500001215000001",
             "99020000001320000001", "34020000001190000001", "31011500004995000001", "x", None]
    assert sql_col("is_valid_gb28181", codes) == [None if c is None else check_gb28181(c).valid for c in codes]
    assert sql_col("gb28181_type_name", codes)[:4] == ["网络摄像机 IPC", "网络摄像机 IPC", "中心信令控制服务器", "视频卡口"]
    assert sql_col("gb28181_network", codes)[:3] == ["0", "5", "5"]


def test_project_code_shape_region_and_version() -> None:
    v = check_project_code("2019-310115-65-03-012345", today=date(2024, 1, 1))
    assert v.valid and v.parts["code_format_version"] == "pre-2020"
    assert v.parts["check_verified"] is False  # UNSETTLED: the algorithm is not known
    v = check_project_code("2023-310115-04-01-A1B2C3", today=date(2024, 1, 1))
    assert v.valid and v.parts["code_format_version"] == "GB/T 40058-2021"
    assert check_project_code("2023310115040 1A1B2C3", today=date(2024, 1, 1)).normalized == "2023-310115-04-01-A1B2C3"
    assert not check_project_code("2023-319915-04-01-A1B2C3").valid  # not a Shanghai code
    assert not check_project_code("2023-310115-04-01-A1B2C").valid  # shape


def test_project_code_sql_agrees(sql_col) -> None:  # noqa: ANN001
    codes = ["2019-310115-65-03-012345", "2023-310115-04-01-A1B2C3", "2023310115040 1A1B2C3",
             "2023-319915-04-01-A1B2C3", "2023-440300-04-01-A1B2C3", "1999-310115-65-03-012345", None, "x"]
    assert sql_col("is_valid_project_code", codes) == [None if c is None else check_project_code(c).valid
                                                      for c in codes]
    assert sql_col("project_code_format_version", codes)[:2] == ["pre-2020", "GB/T 40058-2021"]
