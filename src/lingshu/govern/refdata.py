"""Loading the reference tables shipped in ``govern/data`` (CSV and YAML), validated once, cached.

The tables are data, not code, so a corrected name or a newly retired code is a data change with
its own review, and every table says in its header how sure it is and what it covers.
"""

from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

import yaml

from lingshu.govern.errors import GovernError


def _text(name: str) -> str:
    try:
        return resources.files("lingshu.govern").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise GovernError(
            f"the reference table govern/data/{name} is missing",
            hint="reinstall lingshu (pip install -e .); the data files ship inside the package",
        ) from None


@functools.cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a CSV; lines starting with ``#`` are the file's own notes and are skipped."""
    lines = [ln for ln in _text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    return tuple(dict(row) for row in csv.DictReader(lines))


@functools.cache
def read_yaml(name: str) -> Any:
    try:
        return yaml.safe_load(_text(name))
    except yaml.YAMLError as exc:
        raise GovernError(f"govern/data/{name} is not valid YAML: {exc}", hint="fix the file") from None
