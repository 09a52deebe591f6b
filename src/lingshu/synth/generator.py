"""``generate(config, out)``: build the synthetic Lingang world and deliver it as upstream sources.

Steps run in a fixed order and each draws from its own seeded generator, so one step's change
never shifts another's data. Output layout::

    OUT/manifest.json            every file: rows, bytes, sha256, format, encoding, role
    OUT/reference/               geography and the standard address base (GeoJSON + CSV)
    OUT/sources/csv/             CSV sources, UTF-8 or GBK (see manifest "encoding")
    OUT/sources/excel/           Excel workbooks with title rows and Chinese headers
    OUT/sources/http/            JSON-lines backing the local data-sharing HTTP service
    OUT/sources/docs/            policy documents (text and HTML)
    OUT/sources/upstream.sqlite  upstream relational tables (unless a db_url is given)
    OUT/ground_truth/            defects, entity links and clean registers: never read by pipelines
"""

from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lingshu.synth.config import SynthConfig
from lingshu.synth.context import Context
from lingshu.synth.errors import SynthError
from lingshu.synth.writers import Sink

Step = Callable[[Context], None]
STEPS: list[tuple[str, Step]] = []


def step(name: str) -> Callable[[Step], Step]:
    """Register a generation step; steps run in registration order (see ``_load_steps``)."""

    def deco(fn: Step) -> Step:
        if any(n == name for n, _ in STEPS):
            raise ValueError(f"synth step {name!r} registered twice")
        STEPS.append((name, fn))
        return fn

    return deco


def _load_steps() -> None:
    # Importing the step modules registers them, in this order (later steps read earlier results).
    from lingshu.synth import steps  # noqa: F401


@dataclass
class Result:
    out: Path
    manifest: dict
    timings: dict[str, float]
    ground_truth: Context


def generate(config: SynthConfig | None = None, out: str | Path = "synth-out", *, clean: bool = True,
             progress: Callable[[str], None] | None = None) -> Result:
    """Generate the world for ``config`` into ``out`` and return the manifest and step timings."""
    cfg = config or SynthConfig()
    out = Path(out)
    if clean and out.exists():
        if not (out / "manifest.json").exists() and any(out.iterdir()):
            raise SynthError(f"{out} exists, is not empty and holds no synth manifest.json",
                             hint="choose an empty or new --out folder (synth replaces its own output only)")
        shutil.rmtree(out)
    _load_steps()
    if cfg.db_url is None:
        (out / "sources" / "upstream.sqlite").unlink(missing_ok=True)
    ctx = Context(cfg, Sink(out))
    ctx.gt.link_path = out / "ground_truth" / "entity_map.parquet"
    for name, fn in STEPS:
        if progress:
            progress(name)
        t0 = time.perf_counter()
        fn(ctx)
        gc.collect()  # big intermediate frames die here, not at some later allocation
        ctx.timings[name] = round(time.perf_counter() - t0, 3)
    manifest = ctx.sink.manifest(cfg.model_dump(mode="json"))
    return Result(out, manifest, ctx.timings, ctx)
