"""``lingshu synth``: generate the synthetic Lingang world (合成临港数据)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``synth`` command to ``app`` (called by the main CLI)."""
    app.command("synth")(synth)


def synth(
    scale: Annotated[float, typer.Option("--scale", "-s", help="Size multiplier; 1 = demo world / 规模倍数")] = 1.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same bytes / 随机种子")] = 20240101,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder / 输出目录")] = Path("synth-out"),
    db_url: Annotated[str | None, typer.Option("--db-url", help="Upstream DB SQLAlchemy URL (default SQLite in OUT)")] = None,
    no_excel: Annotated[bool, typer.Option("--no-excel", help="Write CSV instead of Excel workbooks (faster)")] = False,
) -> None:
    """Generate the synthetic Lingang world as upstream sources / 生成合成临港数据。"""
    from rich.console import Console
    from rich.table import Table

    from lingshu.synth import SynthConfig, generate

    console = Console()
    cfg = SynthConfig(scale=scale, seed=seed, db_url=db_url, excel=not no_excel)
    t0 = time.perf_counter()
    with console.status("生成中 generating ...") as status:
        result = generate(cfg, out, progress=lambda name: status.update(f"生成中 generating: {name}"))
    rows: dict[str, int] = {}
    for f in result.manifest["files"]:
        rows[f["table"]] = rows.get(f["table"], 0) + f["rows"]
    table = Table(title=f"合成临港 synthetic Lingang, scale {scale}, seed {seed}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, n in sorted(rows.items(), key=lambda kv: -kv[1]):
        table.add_row(name, f"{n:,}")
    console.print(table)
    console.print(f"完成 done in {time.perf_counter() - t0:.1f}s -> {out}/manifest.json")
