"""Catalog nodes for Python steps (``steps:`` in pack.yaml); the runner is ``core/pysteps.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lingshu.pack.spec import LayeredName, ModelSpec, StepSpec


@dataclass
class StepNode(LayeredName):
    """A step's main table in the catalog (duck-types the parts of ``SqlModel`` others read)."""

    name: str
    pack: str
    path: Path  # the pack.yaml declaring it
    step: StepSpec
    refs: dict[str, int] = field(default_factory=dict)

    @property
    def spec(self) -> ModelSpec:
        s = self.step
        return ModelSpec(name=s.name, title=s.title, description=s.description, unique_key=s.unique_key,
                         columns=s.columns)

    @property
    def unique_key(self) -> list[str]:
        return self.step.unique_key


@dataclass
class StepOutput(LayeredName):
    """A further table written by a step (built together with the step's main table)."""

    name: str
    pack: str
    path: Path
    main: str  # the step's main table
    spec: ModelSpec | None = None
    unique_key: list[str] = field(default_factory=list)
