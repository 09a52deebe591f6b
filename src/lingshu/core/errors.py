"""One exception family for everything a user can get wrong.

Every message says what went wrong and what to do about it. The CLI prints these without a
traceback (``--debug`` shows it); anything that is not a ``LingshuError`` is a bug in Lingshu.
"""

from __future__ import annotations


class LingshuError(Exception):
    """Base of every error Lingshu raises on purpose.

    ``hint`` is the fix, said to the user; ``where`` is a file (and line) when one is to blame.
    """

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def __str__(self) -> str:
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(f"fix: {self.hint}")
        return "\n".join(parts)


class ConfigError(LingshuError):
    """A YAML file (workspace, pack, rules, indicators, dashboards) is wrong."""


class WorkspaceError(LingshuError):
    """No workspace, or a workspace that cannot be opened."""


class PackError(LingshuError):
    """A pack cannot be found, loaded or resolved against other packs."""


class ModelError(LingshuError):
    """A model's SQL is wrong, its references dangle, or the model DAG has a cycle."""


class EngineError(LingshuError):
    """The engine cannot do what was asked (missing extension, failed statement)."""


class StateError(LingshuError):
    """The control-plane state store cannot be reached or migrated."""


class RunFailed(LingshuError):
    """A run finished with failed steps; the previous good tables are intact."""

    exit_code = 1
