"""Conformance of the master-data packs: entity resolution on DuckDB and on Spark gives the same tables.

The packs 自然人 (natural_person), 法人 (legal_person) and 人才 (talent_governance) each end in an
``er.golden`` step: Splink scores candidate pairs (DuckDBAPI on DuckDB, SparkAPI with Splink's
similarity jar on Spark), links over the threshold form clusters, master ids are issued in the
order of each cluster's smallest record key, and survivorship picks golden fields. So every output
table (records, golden, xref, change log, review queue, library and summaries) must be equal on
both engines, master ids included; match probabilities (review queue) within ``PROBABILITY_REL``.

Declared exceptions, never silent: ``logged_at`` in the change logs is the wall clock of the run
(two DuckDB runs differ too), so it is left out of the comparison.

The reference runs on DuckDB once; the ``duckdb`` parameter re-runs DuckDB (a run is
reproducible), the ``spark`` parameter (marker ``spark``) runs Spark in ``local[2]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.harness import ENGINES, PACKS_ROOT, Group, Outcome, assert_conforms, run_group
from lingshu.core.workspace import Workspace, init_workspace

# Splink computes a probability from the same m and u on both backends in double precision;
# only summation order differs, so agreement is to ~1e-15. Declared with a wide margin.
PROBABILITY_REL = 1e-9


def _master_data(root: Path, factory: pytest.TempPathFactory) -> Workspace:
    from lingshu.synth import SynthConfig, generate

    world = factory.mktemp("md_world")
    # Small enough for Spark in a few minutes; Excel is on because the talent source is a workbook.
    generate(SynthConfig(scale=0.03, seed=7, traffic_days=1, passenger_days=1), world)
    packs = [PACKS_ROOT / "talent" / "natural_person", PACKS_ROOT / "industry" / "legal_person",
             PACKS_ROOT / "talent" / "talent_governance"]
    ws = init_workspace(root, name="conformance-master-data", pack_paths=[str(p) for p in packs])
    ws.config.builtin_packs = False
    os.symlink(world, ws.folder("raw") / "synth")
    return ws


GROUP = Group("master_data", ["natural_person", "legal_person", "talent_governance"], _master_data,
              float_rel=PROBABILITY_REL, float_abs=1e-12,
              volatile=frozenset({"logged_at"}))  # wall-clock time of the run; not a result


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Outcome]]:
    ws = GROUP.setup(tmp_path_factory.mktemp("master_data") / "ws", tmp_path_factory)
    yield ws, run_group(ws, GROUP, "duckdb")


def test_reference_resolves_entities(reference: tuple[Workspace, Outcome]) -> None:
    """The comparison means something: golden records exist and some records were merged."""
    _, expected = reference
    assert not expected.failures, expected.failures
    for golden, xref in [("dwd.np_person_golden", "dwd.np_person_xref"),
                         ("dwd.lp_enterprise_golden", "dwd.lp_enterprise_xref")]:
        masters, records = expected.tables[golden].num_rows, expected.tables[xref].num_rows
        assert 0 < masters < records, (golden, masters, records)
    # One talent source (no cross-source duplicates at this scale): one master per record is right.
    assert expected.tables["dwd.tl_talent_golden"].num_rows > 0


@pytest.mark.parametrize("engine", ENGINES)
def test_master_data_conform(reference: tuple[Workspace, Outcome], engine: str) -> None:
    ws, expected = reference
    assert_conforms(ws, GROUP, expected, engine)
