"""One tiny generated world shared by the synth tests (scale 0.05 generates in about a second)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lingshu.synth import generate
from lingshu.synth import SynthConfig

TINY = SynthConfig(scale=0.05, seed=7)



@pytest.fixture(scope="session")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "world"
    return generate(TINY, out)


@pytest.fixture(scope="session")
def defects(world) -> pd.DataFrame:
    return pd.read_parquet(Path(world.out) / "ground_truth" / "defects.parquet")


@pytest.fixture(scope="session")
def marked(defects):
    """marked(source, kinds=None): record ids of ``source`` with any defect (or one of ``kinds``)."""

    def ids(source: str, kinds: set[str] | None = None) -> set[str]:
        d = defects[defects["source"] == source]
        if kinds is not None:
            d = d[d["defect_kind"].isin(kinds)]
        return set(d["record_id"])

    return ids
