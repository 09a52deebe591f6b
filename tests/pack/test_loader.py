"""Pack validation errors name the file, the line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import ORDERS_PACK, write_files
from lingshu.core.errors import ConfigError, ModelError, PackError
from lingshu.pack.loader import PackCatalog, load_pack


def _pack(tmp_path: Path, **overrides: str) -> Path:
    files = dict(ORDERS_PACK)
    files.update(overrides)
    return write_files(tmp_path / "orders", files)


def test_valid_pack_loads_models_and_refs(tmp_path: Path) -> None:
    pack = load_pack(_pack(tmp_path))
    assert [m.name for m in pack.models] == ["ads.orders_by_town", "dwd.orders"]
    by_name = {m.name: m for m in pack.models}
    assert by_name["ads.orders_by_town"].refs == {"dwd.orders": 1}
    assert by_name["dwd.orders"].unique_key == ["order_id"]


def test_unknown_key_names_file_line_and_suggests_fix(tmp_path: Path) -> None:
    yaml_text = ORDERS_PACK["pack.yaml"].replace("department: 测试部门", "department: 测试部门\n        shedule: x")
    root = _pack(tmp_path, **{"pack.yaml": yaml_text})
    with pytest.raises(ConfigError) as err:
        load_pack(root)
    text = str(err.value)
    assert f"{root / 'pack.yaml'}:5" in text
    assert "shedule" in text and "did you mean 'schedule'" in text


def test_wrong_type_and_bad_table_name_are_reported_with_lines(tmp_path: Path) -> None:
    yaml_text = (ORDERS_PACK["pack.yaml"]
                 .replace("target: ods.orders", "target: orders")
                 .replace("domain: example", "domain: sports"))
    root = _pack(tmp_path, **{"pack.yaml": yaml_text})
    with pytest.raises(ConfigError) as err:
        load_pack(root)
    text = str(err.value)
    assert "2 problem(s)" in text
    assert f"{root / 'pack.yaml'}:3: domain" in text
    assert f"{root / 'pack.yaml'}:9: sources.[0].target" in text


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    root = _pack(tmp_path, **{"pack.yaml": "id: orders\nname: [unclosed\ndomain: example\n"})
    with pytest.raises(ConfigError) as err:
        load_pack(root)
    assert str(root / "pack.yaml") in str(err.value)


def test_model_spec_without_sql_file_is_dangling(tmp_path: Path) -> None:
    root = _pack(tmp_path)
    (root / "models/ads/orders_by_town.sql").unlink()
    with pytest.raises(PackError) as err:
        load_pack(root)
    assert "models/ads/orders_by_town.sql" in str(err.value)
    assert err.value.where == f"{root / 'pack.yaml'}:17"


def test_reference_to_unknown_table_names_sql_line(tmp_path: Path) -> None:
    root = _pack(tmp_path, **{"models/ads/orders_by_town.sql": "SELECT town\nFROM dwd.order\n"})
    with pytest.raises(ModelError) as err:
        PackCatalog([load_pack(root)])
    assert err.value.where == f"{root / 'models/ads/orders_by_town.sql'}:2"
    assert "dwd.order" in err.value.message


def test_cross_pack_reference_needs_depends_on(tmp_path: Path) -> None:
    orders = load_pack(_pack(tmp_path))
    report = write_files(tmp_path / "report", {
        "pack.yaml": "id: report\nname: 报表\ndomain: example\ndepartment: 测试\n",
        "models/ads/report.sql": "SELECT * FROM ads.orders_by_town",
    })
    with pytest.raises(ModelError) as err:
        PackCatalog([orders, load_pack(report)])
    assert "depends_on" in err.value.hint
    (report / "pack.yaml").write_text("id: report\nname: 报表\ndomain: example\ndepartment: 测试\ndepends_on: [orders]\n",
                                      encoding="utf-8")
    catalog = PackCatalog([orders, load_pack(report)])
    assert catalog.dag.upstream("ads.report") == {"ads.orders_by_town", "dwd.orders", "ods.orders"}


def test_unknown_dependency_and_duplicate_producer(tmp_path: Path) -> None:
    orders = load_pack(_pack(tmp_path))
    ghost = write_files(tmp_path / "ghost", {
        "pack.yaml": "id: ghost\nname: 依赖缺失\ndomain: example\ndepartment: 测试\ndepends_on: [nothing]\n"})
    with pytest.raises(PackError) as err:
        PackCatalog([orders, load_pack(ghost)])
    assert err.value.where == f"{ghost / 'pack.yaml'}:5"
    twin = write_files(tmp_path / "twin", {
        "pack.yaml": "id: twin\nname: 重复\ndomain: example\ndepartment: 测试\n",
        "models/dwd/orders.sql": "SELECT 1 AS x"})
    with pytest.raises(PackError, match="produced by both"):
        PackCatalog([orders, load_pack(twin)])


def test_builtin_packs_validate() -> None:
    from lingshu.pack.loader import BUILTIN_PACKS, discover

    catalog = PackCatalog([load_pack(p) for p in discover([BUILTIN_PACKS])])
    assert "example_enterprises" in catalog.packs
    assert catalog.dag.order()
