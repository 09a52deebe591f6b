"""register_sql: every function installed, documented, idempotent; kinds registry; array path."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from lingshu.core.errors import ConfigError
from lingshu.engines import open_engine
from lingshu.govern import sql as govsql
from lingshu.govern.kinds import KINDS
from lingshu.govern.sqldefs import CATALOGUE, ArrowUdf
from lingshu.govern.vector import apply_sql


def test_every_sql_function_is_documented_in_the_module_docstring() -> None:
    names = govsql.sql_function_names()
    doc = govsql.__doc__ or ""
    documented = set(re.findall(r"\b([a-z0-9_]+)\(", doc))
    # Coordinate UDFs are documented as a family (``wgs84_to_gcj02_lng`` ... "every pair").
    missing = [n for n in names if n not in documented and not re.fullmatch(r"(wgs84|gcj02|bd09)_to_\w+_(lng|lat)", n)]
    assert not missing, f"add to the sql.py docstring: {missing}"


def test_register_sql_installs_all_and_is_idempotent() -> None:
    eng = open_engine("duckdb", ":memory:", extensions=())
    try:
        installed = govsql.register_sql(eng)
        assert installed == list(CATALOGUE)
        assert govsql.register_sql(eng) == installed  # second call: no error, nothing re-created
        assert eng.scalar("SELECT is_valid_id('11010519491231002X')") is True
    finally:
        eng.close()


def test_kinds_registry_names_and_predicates(gov_engine) -> None:  # noqa: ANN001
    assert set(KINDS) >= {"id", "uscc", "gb28181", "project-code", "phone", "date", "address"}
    samples = {"id": "11010519491231002X", "uscc": "914403001922038216", "gb28181": "34020000001320000001",
               "project-code": "2019-310115-65-03-012345", "phone": "13812345678", "date": "2023年5月1日",
               "address": "环湖西二路888号", "industry": "C3973"}
    for name, value in samples.items():
        kind = KINDS.get(name)
        assert kind.check(value).valid, name
        assert gov_engine.scalar(f"SELECT {kind.predicate_sql('v')} FROM (SELECT ? AS v)", [value]) is True, name
        assert gov_engine.scalar(f"SELECT {kind.normalize_sql('v')} IS NOT NULL FROM (SELECT ? AS v)", [value])


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as err:
        KINDS.get("passport")
    assert "uscc" in str(err.value)


def test_array_path_is_vectorized_sql(monkeypatch: pytest.MonkeyPatch) -> None:
    import lingshu.govern.idcard as idcard

    # If the array path fell back to the Python reference, this would blow up.
    monkeypatch.setattr(idcard, "check_id", lambda *_: (_ for _ in ()).throw(AssertionError("per-row path")))
    out = KINDS.get("id").validate_array(pa.array(["11010519491231002X", "110105194912310021", None] * 1000))
    assert out.to_pylist()[:3] == [True, False, None] and len(out) == 3000


def test_address_udf_is_an_arrow_function() -> None:
    assert isinstance(CATALOGUE["address_parse"], ArrowUdf)
    assert apply_sql("address_standardize", pa.array(["泥城镇云汉路12-3-1001"])).to_pylist() == [
        "浦东新区泥城镇云汉路12幢3单元1001室"]


def test_macros_work_on_a_read_only_warehouse(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "w.duckdb"
    open_engine("duckdb", path, extensions=()).close()
    eng = open_engine("duckdb", path, extensions=(), read_only=True)
    try:
        govsql.register_sql(eng)
        assert eng.scalar("SELECT id_sex('440524188001010014')") == "M"
    finally:
        eng.close()
