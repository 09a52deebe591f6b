"""ER backends: Splink's DuckDB and Spark database APIs chosen by engine name, giving the same results.

The Spark test runs a full resolution and then an incremental batch (``predict_within`` and
``predict_between`` against existing records) on both backends and compares every output:
master ids, golden rows and events exactly, match probabilities within ``PROBABILITY_REL``.
"""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from lingshu.govern.er.backends import BACKENDS, backend_for, similarity_jar
from lingshu.govern.er.golden import FieldRule
from lingshu.govern.er.resolve import Config, Previous, resolve
from lingshu.govern.errors import GovernError

FIELDS = [FieldRule(name="name"), FieldRule(name="address", rule="complete"), FieldRule(name="phone_norm", rule="recent")]
PROBABILITY_REL = 1e-9
PACKS = Path(__file__).resolve().parents[3] / "packs"  # same m and u, double precision on both backends; only summation order differs


def test_backends_are_registered_by_engine_name():
    assert list(BACKENDS) == ["duckdb", "spark"]
    assert backend_for(SimpleNamespace(name="spark")) is BACKENDS.get("spark")


def test_an_engine_without_a_backend_is_rejected_by_name():
    with pytest.raises(GovernError, match="does not run on the postgres engine") as err:
        backend_for(SimpleNamespace(name="postgres"))
    assert "duckdb, spark" in (err.value.hint or "")


def test_similarity_jar_comes_from_the_installed_splink_wheel():
    import splink

    jar = similarity_jar()
    assert jar.suffix == ".jar" and jar.is_file()
    assert Path(splink.__file__).parent in jar.parents and "spark4" in jar.name


def test_saved_model_levels_are_rebuilt_for_spark_sql():
    """A model file holds DuckDB SQL; on Spark "name_py_l" would be a string literal, so levels are rebuilt."""
    from lingshu.govern.er.train import load_model, spec_for

    model = load_model(PACKS / "talent" / "natural_person" / "er" / "person.model.json")
    assert spec_for(model, "duckdb") is model.splink  # the file as trained
    spark = spec_for(model, "spark")
    conditions = [lv["sql_condition"] for c in spark["comparisons"] for lv in c["comparison_levels"]]
    assert "jaro_winkler(`name_py_l`, `name_py_r`) >= 0.9" in conditions
    assert not [c for c in conditions if '"' in c]
    trained = [lv.get("m_probability") for c in model.splink["comparisons"] for lv in c["comparison_levels"]]
    assert trained == [lv.get("m_probability") for c in spark["comparisons"] for lv in c["comparison_levels"]]


def test_a_model_trained_on_other_levels_must_be_retrained():
    import copy

    from lingshu.govern.er.train import load_model, spec_for

    model = load_model(PACKS / "talent" / "natural_person" / "er" / "person.model.json")
    model.splink = copy.deepcopy(model.splink)
    model.splink["comparisons"][0]["comparison_levels"][1]["sql_condition"] = "id17_l = id17_r"
    with pytest.raises(GovernError, match="other comparison levels") as err:
        spec_for(model, "spark")
    assert "retrain" in (err.value.hint or "")


def _split(records: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The base (every 8th record held back) and the whole set (the held-back ones are the batch)."""
    keys = sorted(records.column("record_key").to_pylist())
    held = set(keys[::8])
    base = records.filter(pc.invert(pc.is_in(records.column("record_key"), value_set=pa.array(sorted(held)))))
    return base, records


def _run_both(engine, records, model) -> list:
    base, full = _split(records)
    cfg = Config(prefix="NP", fields=FIELDS)
    with BACKENDS.get(engine.name).api(engine) as api:
        first = resolve(base, model, None, cfg, db_api=api)
        second = resolve(full, model, Previous(first.xref, first.golden, first.review), cfg, db_api=api)
    return [first, second]


def _same_table(a: pa.Table, b: pa.Table) -> None:
    assert a.column_names == b.column_names and a.num_rows == b.num_rows
    for name in a.column_names:
        x, y = a.column(name).to_pylist(), b.column(name).to_pylist()
        if name == "match_probability":
            assert all(math.isclose(p, q, rel_tol=PROBABILITY_REL) for p, q in zip(x, y, strict=True)), name
        else:
            assert x == y, name


@pytest.mark.spark
def test_spark_backend_resolves_like_duckdb_full_and_incremental(tmp_path, person_records, person_model):
    from lingshu.engines.duckdb import DuckDBEngine
    from lingshu.engines.spark.engine import SparkEngine

    duck = DuckDBEngine(tmp_path / "w.duckdb", extensions=())
    spark = SparkEngine(tmp_path / "warehouse-spark")
    try:
        want = _run_both(duck, person_records, person_model)
        got = _run_both(spark, person_records, person_model)
        # Splink's persisted tables were uncached when the backend closed (the engine caches nothing).
        assert spark.spark._jsparkSession.sharedState().cacheManager().isEmpty()
    finally:
        spark.close()
        duck.close()
    assert want[1].stats["batch_records"] > 0 and want[1].stats["pairs_scored"] > 0
    for w, g in zip(want, got, strict=True):
        assert g.stats == w.stats and g.events == w.events
        _same_table(w.xref, g.xref)
        _same_table(w.golden, g.golden)
        _same_table(w.review, g.review)
