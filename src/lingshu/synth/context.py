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
    http: dict[str, str] = field(default_factory=dict)  # dataset name -> jsonl path, served by the HTTP service
    timings: dict[str, float] = field(default_factory=dict)

    def to_db(self, name: str, df: pd.DataFrame, description: str = "") -> None:
        """Write a table to the upstream database now (not kept in memory: scale 50 must fit in 4 GB)."""
        from lingshu.synth import upstream
        from lingshu.synth.writers import Entry

        upstream.write_tables(self.db_url(), {name: df})
        self.sink.record(Entry(self.db_rel or "(db_url)", name, "sql_table", len(df), "source", None, description))

    @property
    def db_rel(self) -> str | None:
        """The SQLite file's path inside the output, or None when an external db_url is used."""
        return None if self.cfg.db_url else "sources/upstream.sqlite"

    def db_url(self) -> str:
        from lingshu.synth import upstream

        if self.cfg.db_url:
            return self.cfg.db_url
        path = self.sink.out / "sources" / "upstream.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        return upstream.sqlite_url(path)

    def to_http(self, name: str, df: pd.DataFrame, description: str = "") -> None:
        """Publish a dataset on the stand-in data-sharing platform (backed by a JSON-lines file)."""
        rel = f"sources/http/{name}.jsonl"
        self.sink.write(df, rel, "jsonl", table=name, description=description)
        self.sink.entries[-1].extra["served_at"] = f"/api/v1/datasets/{name}"
        self.http[name] = rel
