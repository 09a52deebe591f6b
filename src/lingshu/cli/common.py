"""What every command shares: global options, consoles, opening the Context."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from lingshu.core.context import Context

def _console(stderr: bool = False) -> Console:
    """Rich wraps tables at 80 columns when piped; scripts and logs read better unwrapped."""
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=200)


console = _console()
err_console = _console(stderr=True)


@dataclass
class GlobalState:
    workspace: Path | None = None
    debug: bool = False


STATE = GlobalState()


def open_context(engine: str | None = None) -> Context:
    """The workspace's Context; ``engine`` overrides the workspace's engine setting."""
    return Context.open(STATE.workspace, engine=engine)
