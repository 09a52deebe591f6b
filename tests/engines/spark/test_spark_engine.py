"""The Spark engine on a real local Spark: atomic swaps, DML on Parquet, governance functions.

One engine per module (starting Spark costs tens of seconds on a shared machine).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from lingshu.core.errors import EngineError, ModelError
from lingshu.engines import open_engine
from lingshu.govern.sql import register_sql
from lingshu.govern.vector import apply_sql

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    engine = open_engine("spark", tmp_path_factory.mktemp("wh") / "warehouse-spark")
    register_sql(engine)
    yield engine
    engine.close()


def _versions(engine, schema: str, name: str) -> list[Path]:
    return sorted(p for p in engine.storage.table_dir(schema, name).iterdir() if p.is_dir())


def test_failed_build_keeps_the_old_table(spark) -> None:
    spark.replace_table("dwd", "t", "SELECT 1 AS a UNION ALL SELECT 2")
    with pytest.raises(EngineError):
        spark.replace_table("dwd", "t", "SELECT CAST('x' AS INTEGER) AS a")  # ANSI: raises, no NULL
    assert spark.query("SELECT sum(a) AS s FROM dwd.t").column("s")[0].as_py() == 3
    assert len(_versions(spark, "dwd", "t")) == 1  # the failed version folder is gone


def test_inspect_sees_both_versions_and_can_veto(spark) -> None:
    spark.replace_table("dwd", "k", "SELECT 1 AS id, 'a' AS v")

    def veto(side: str) -> None:
        assert spark.scalar(f"SELECT count(*) FROM {side}") == 2
        assert spark.scalar('SELECT count(*) FROM "dwd"."k"') == 1
        raise ModelError("duplicated key")

    with pytest.raises(ModelError):
        spark.replace_table("dwd", "k", "SELECT 1 AS id, 'b' AS v UNION ALL SELECT 1, 'c'", veto)
    assert spark.query("SELECT v FROM dwd.k").column("v").to_pylist() == ["a"]


def test_dml_rebuilds_parquet_tables(spark) -> None:
    spark.execute("CREATE TABLE quarantine.q AS SELECT 1 AS _run_id, 'x' AS a")
    spark.execute('ALTER TABLE quarantine.q ADD COLUMN "b" VARCHAR')
    spark.execute("INSERT INTO quarantine.q BY NAME SELECT 2 AS _run_id, 'y' AS b")
    spark.execute("DELETE FROM quarantine.q WHERE _run_id = ?", [1])
    assert spark.query("SELECT _run_id, a, b FROM quarantine.q").to_pylist() == [{"_run_id": 2, "a": None, "b": "y"}]
    spark.execute("DROP TABLE quarantine.q")
    assert not spark.table_exists("quarantine", "q")


def test_duckdb_reads_the_spark_warehouse(spark) -> None:
    spark.replace_table_from_arrow("ods", "arrow", pa.table({"n": [1, 2, 3], "s": ["a", None, "c"]}))
    folder = spark.storage.current("ods", "arrow")
    got = duckdb.sql(f"SELECT sum(n), count(s) FROM read_parquet('{folder}/*.parquet')").fetchone()
    assert got == (6, 2)


VALUES = {
    "is_valid_id": ["11010519491231002X", "110105194912310021", "１１０１０５１９４９１２３１００２Ｘ", None, ""],
    "id_normalize": ["11010519491231002x", " 110105194912310021 ", None],
    "is_valid_uscc": ["91310000MA1FL4XQ01", "91310000MA1FL4XQ02", "９１３１００００ＭＡ１ＦＬ４ＸＱ０１", None],
    "uscc_normalize": [" 91310115ma1k3a6n71 ", "９１３１", None],
    "is_valid_phone": ["13812345678", "021-68881234", "12345", "１３８１２３４５６７８", None],
    "phone_normalize": ["+86 138 1234 5678", "(021)6888-1234", None],
    "parse_cn_date": ["2023年5月1日", "2023.5.1", "20230501", "45000", "2023-02-30", "２０２３-０５-０１", None],
    "fullwidth_to_halfwidth": ["ＡＢＣ１２３", "临港　新片区", None],
}


@pytest.mark.parametrize("function", list(VALUES))
def test_governance_functions_equal_duckdb(spark, function: str) -> None:
    values = pa.array(VALUES[function], pa.string())
    spark.load_temp("vals", pa.table({"i": list(range(len(values))), "x": values}))
    got = spark.query(f"SELECT i, {function}(x) AS r FROM vals ORDER BY i").column("r").to_pylist()
    assert got == apply_sql(function, values).to_pylist()


def test_untranslatable_sql_is_rejected_by_name(spark) -> None:
    with pytest.raises(EngineError, match="epoch_ms.*spark"):
        spark.query("SELECT epoch_ms(n) FROM ods.arrow")
