"""Helpers for the quality tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

from lingshu.govern.quality.spec import RuleSpec, load_rules

_names = itertools.count()


def rules_from_yaml(tmp_path: Path, text: str) -> dict[str, list[RuleSpec]]:
    """Write ``text`` as a rules file and load it (through the real loader)."""
    path = tmp_path / f"rules_{next(_names)}.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_rules(path).tables
