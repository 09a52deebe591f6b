"""What every command shares: global options, consoles, opening the Context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from lingshu.core.context import Context

console = Console()
err_console = Console(stderr=True)


@dataclass
class GlobalState:
    workspace: Path | None = None
    debug: bool = False


STATE = GlobalState()


def open_context() -> Context:
    return Context.open(STATE.workspace)
