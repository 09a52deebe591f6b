"""One tiny synthetic world and trained models, shared by the ER tests (scale 0.05: seconds)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from lingshu.synth import SynthConfig, generate

WORLD = SynthConfig(scale=0.05, seed=11, excel=False)


@pytest.fixture(scope="session")
def er_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("er_world")
    generate(WORLD, out)
    return out


@pytest.fixture(scope="session")
def std_engine():
    from lingshu.engines.duckdb import DuckDBEngine
    from lingshu.govern.sql import register_sql

    engine = DuckDBEngine(":memory:", extensions=())
    register_sql(engine)
    return engine


def standardize(engine, inputs: pa.Table, kind: str) -> pa.Table:
    from lingshu.govern.er.steps import standardized

    engine.con.register("er_in", inputs)
    try:
        return standardized(engine, "er_in", kind)
    finally:
        engine.con.unregister("er_in")


@pytest.fixture(scope="session")
def person_records(er_world, std_engine) -> pa.Table:
    from lingshu.govern.er.evaluate import synth_inputs

    return standardize(std_engine, synth_inputs(er_world, "person", ["ga_population", "sq_resident"]), "person")


@pytest.fixture(scope="session")
def enterprise_records(er_world, std_engine) -> pa.Table:
    from lingshu.govern.er.evaluate import synth_inputs

    return standardize(std_engine, synth_inputs(er_world, "enterprise"), "enterprise")


@pytest.fixture(scope="session")
def person_model(person_records):
    from lingshu.govern.er.train import train

    return train(person_records.drop_columns(["row_hash"]), "person")


@pytest.fixture(scope="session")
def enterprise_model(enterprise_records):
    from lingshu.govern.er.train import train

    return train(enterprise_records.drop_columns(["row_hash"]), "enterprise")
