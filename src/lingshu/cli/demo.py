"""``lingshu demo``: the single main job. Builds the demo workspace and runs the packs end to end."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from lingshu.cli.common import console
from lingshu.cli.runs import run_with_progress
from lingshu.core.context import Context
from lingshu.core.errors import RunFailed
from lingshu.core.workspace import CONFIG_NAME, Workspace, init_workspace

DEMO_PACKS = ("example_enterprises", "road_archive", "congestion_index", "passenger_flow", "natural_person", "legal_person",
              "talent_governance")
# The synthetic Lingang world the scenario packs read from raw/synth: small, so `make demo` stays a
# few minutes, but with 30 days of floating-car speeds (GB/T 33171 free flow needs at least 30)
# and 40 days of passenger counts (they reach the National Day holiday and its alerts).
DEMO_SYNTH = {"scale": 0.2, "traffic_days": 30, "passenger_days": 40}


def ensure_synth_world(ws: Workspace) -> Path:
    """Generate the synthetic world into the workspace's raw/synth once (reused afterwards)."""
    from lingshu.synth import SynthConfig, generate

    out = ws.folder("raw") / "synth"
    if not (out / "manifest.json").exists():
        console.print("生成合成临港数据 generating the synthetic world -> raw/synth ...")
        generate(SynthConfig(**DEMO_SYNTH), out)
    return out


def build_demo(directory: Path) -> Context:
    """Create (or reuse) the demo workspace and run every demo pack; returns an open Context."""
    ws = Workspace.load(directory) if (directory / CONFIG_NAME).exists() else init_workspace(directory, name="demo")
    ensure_synth_world(ws)
    ctx = Context(ws)
    failed = []
    for pack_id in DEMO_PACKS:
        report = run_with_progress(ctx, pack_id, trigger="demo")
        if report.status != "success":
            failed.append(pack_id)
    if failed:
        ctx.close()
        raise RunFailed(f"demo packs failed: {', '.join(failed)}", hint="see the errors above")
    return ctx


DEMO_USER = "demo"
DEMO_SECRET = "demo-account"  # secrets/demo-account, 0600: the password is made per workspace


def ensure_demo_account(ctx: Context) -> str:
    """A console account for the demo (engineer, analyst, operator) with grants on the demo packs.

    Its password is random, made once per workspace and kept in ``secrets/`` (0600), so no
    password is ever in the repository. Returns the password to print for the person at the console.
    """
    secret = ctx.workspace.folder("secrets") / DEMO_SECRET
    if any(u["username"] == DEMO_USER for u in ctx.security.accounts.list_users()) and secret.exists():
        return secret.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(12)
    secret.touch(mode=0o600)
    secret.write_text(password + "\n", encoding="utf-8")
    if any(u["username"] == DEMO_USER for u in ctx.security.accounts.list_users()):
        ctx.security.accounts.set_password(DEMO_USER, password)
        return password
    ctx.security.accounts.add_user(DEMO_USER, ["engineer", "analyst", "operator"], password=password,
                                   display_name="演示用户", department="数据局")
    for pack_id in DEMO_PACKS:
        ctx.security.grants.add(f"user:{DEMO_USER}", f"indicator:{pack_id}.*", ["read", "export"], granted_by="demo")
        for table in ctx.catalog.get(pack_id).produces():
            ctx.security.grants.add(f"user:{DEMO_USER}", f"dataset:{table}", ["read", "export"], granted_by="demo")
    ctx.security.audit.record("demo", "user.add", f"user:{DEMO_USER}")
    return password


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        directory: Annotated[Path, typer.Option("--dir", help="Demo workspace folder / 演示工作区")] = Path("demo-workspace"),
        serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the console afterwards / 完成后启动控制台")] = True,
        host: Annotated[str, typer.Option(help="Address to bind / 监听地址")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port / 端口")] = 8600,
    ) -> None:
        """Build the demo workspace and run the main job / 构建演示工作区并运行主任务。"""
        with build_demo(directory) as ctx:
            console.print(f"\n[bold green]演示完成 demo done[/] · workspace {ctx.workspace.root}")
            console.print(f"  数仓 warehouse: {ctx.workspace.warehouse}")
            for pack_id in DEMO_PACKS:
                for table in sorted(ctx.catalog.get(pack_id).produces()):
                    layer, name = table.split(".")
                    console.print(f"  {table}: {ctx.engine.row_count(layer, name)} 行 rows")
            console.print(f"  更新日志 update log: lingshu -w {directory} runs")
            for pack_id in DEMO_PACKS:
                report = ctx.quality.report(pack_id, ctx.workspace.folder("reports") / f"quality_{pack_id}.html")
                console.print(f"  数据质量核验文档 quality report: {report}")
            if serve:
                from lingshu.cli.serve import serve_context

                password = ensure_demo_account(ctx)
                console.print(f"  控制台账号 console sign-in: {DEMO_USER} / {password}  "
                              f"(保存在 kept in {ctx.workspace.folder('secrets') / DEMO_SECRET})   "
                              f"看板 dashboard: http://{host}:{port}/dashboards/example_enterprises/overview")

                serve_context(ctx, host, port)
