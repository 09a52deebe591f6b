"""``lingshu quality PACK``: run a pack's quality rules on its built tables and write the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.errors import RunFailed
from lingshu.govern.quality.service import PackQuality
from lingshu.govern.quality.spec import Dimension

COLOURS = {"passed": "green", "failed": "red", "error": "yellow", "warning": "yellow"}
LABELS = {"passed": "通过 passed", "failed": "不通过 failed", "error": "无法核验 error", "warning": "有警告 warning"}


def print_quality(q: PackQuality) -> None:
    table = Table(title=f"数据质量核验 quality · {q.pack} · run #{q.run_id}")
    for col in ("表 table", "规则 rule", "类型 kind", "维度 dimension", "级别 severity", "核验 checked",
                "问题 failed", "问题率 ratio", "结果 status"):
        table.add_column(col)
    for r in q.results:
        colour = COLOURS.get(r.status, "white")
        table.add_row(r.table, r.rule_id, r.kind, r.dimension.label, r.severity.label, str(r.checked),
                      str(r.failed), f"{r.ratio:.2%}", f"[{colour}]{LABELS.get(r.status, r.status)}[/]")
    console.print(table)
    for r in q.results:
        if r.error:
            console.print(f"[yellow]{r.table}.{r.rule_id}[/]: {r.error}", highlight=False)
    dims = q.dimension_scores
    scores = "  ".join(f"{d.label} {dims[d.value]:.2f}" for d in Dimension if d.value in dims)
    total = f"{q.score:.2f}" if q.score is not None else "—"
    console.print(f"[bold]得分 score {total}[/]  {scores}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("quality")
    def quality(
        pack_id: Annotated[str, typer.Argument(help="Pack id / 场景包标识")],
        report: Annotated[Path | None, typer.Option(
            "--report", help="HTML report path / 核验文档路径 (default: reports/quality_<pack>.html)")] = None,
    ) -> None:
        """Run quality rules and write the report / 数据质量核验并生成核验文档。"""
        with open_context() as ctx:
            result = ctx.quality.check_pack(pack_id)
            print_quality(result)
            path = report or ctx.workspace.folder("reports") / f"quality_{pack_id}.html"
            ctx.quality.report(pack_id, path)
            console.print(f"数据质量核验文档 report: {path}", highlight=False)
        if result.blocking_failed:
            raise RunFailed(f"{len(result.blocking_failed)} blocking quality rule(s) of {pack_id} failed",
                            hint="see the samples in the report; fix the data or the model, then run again")
