"""Entry point. Each command module exposes ``register(app)``; this file only assembles them.

User errors (every ``LingshuError``) print what went wrong and the fix, without a traceback, and
exit with the error's code (2 for bad input, 1 for a failed run); ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from lingshu import __version__
from lingshu.cli.common import STATE, console, err_console
from lingshu.core.errors import LingshuError

COMMAND_MODULES = ("workspace", "packs", "runs", "sources", "synth", "quality", "metric", "check", "security", "decrypt",
                   "ops", "serve", "demo", "docs")

app = typer.Typer(
    name="lingshu",
    help="Lingshu (临数) data platform / 临数数据平台：数据对接、治理、建模、服务与运维。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global(
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", envvar="LINGSHU_WORKSPACE",
        help="Workspace folder / 工作区目录 (default: the current folder or a parent)")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks / 显示调用栈")] = False,
) -> None:
    STATE.workspace = workspace
    STATE.debug = debug


@app.command("version")
def version() -> None:
    """Print the version / 显示版本。"""
    console.print(f"lingshu {__version__}")


for _name in COMMAND_MODULES:
    importlib.import_module(f"lingshu.cli.{_name}").register(app)


def main(argv: list[str] | None = None) -> None:
    try:
        result = app(args=argv, standalone_mode=False)
    except LingshuError as exc:
        if STATE.debug:
            raise
        err_console.print(f"[bold red]错误 error:[/] {exc.where + ': ' if exc.where else ''}{exc.message}",
                          highlight=False)
        if exc.hint:
            err_console.print(f"[yellow]处理 fix:[/] {exc.hint}", highlight=False)
        sys.exit(exc.exit_code)
    except Exception as exc:
        # Typer ships its own copy of click, so match click's usage errors by shape, not class.
        if type(exc).__name__ == "Abort":
            err_console.print("已取消 aborted")
            sys.exit(130)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            sys.exit(exc.exit_code)
        raise
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
