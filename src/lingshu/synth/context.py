"""The state shared by generation steps: config, output sink, ground truth, and the world so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lingshu.synth.config import SynthConfig
from lingshu.synth.defects import GroundTruth
from lingshu.synth.writers import Sink


@dataclass
class Context:
    cfg: SynthConfig
    sink: Sink
    gt: GroundTruth = field(default_factory=GroundTruth)
    world: dict[str, Any] = field(default_factory=dict)  # shared registers by name (geo, enterprises, ...)
    db_tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # written to the upstream DB at the end
    http: dict[str, str] = field(default_factory=dict)  # dataset name -> jsonl path, served by the HTTP service
    timings: dict[str, float] = field(default_factory=dict)

    def to_db(self, name: str, df: pd.DataFrame, description: str = "") -> None:
        """Queue a table for the upstream database (written once, at the end, in one transaction)."""
        self.db_tables[name] = df
        self.world.setdefault("_db_desc", {})[name] = description

    def to_http(self, name: str, df: pd.DataFrame, description: str = "") -> None:
        """Publish a dataset on the stand-in data-sharing platform (backed by a JSON-lines file)."""
        rel = f"sources/http/{name}.jsonl"
        self.sink.write(df, rel, "jsonl", table=name, description=description)
        self.sink.entries[-1].extra["served_at"] = f"/api/v1/datasets/{name}"
        self.http[name] = rel
