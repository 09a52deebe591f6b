"""Helpers for quality tests: real DuckDB tables and rules written as YAML."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from lingshu.govern.quality.compile import compile_table
from lingshu.govern.quality.execute import run_plan
from lingshu.govern.quality.outcome import RuleResult
from quality_support import rules_from_yaml

_names = itertools.count()


@pytest.fixture
def make_table(gov_engine: Any) -> Callable[[dict[str, list[Any]]], str]:
    """Create ``dwd.t_<n>`` from columns; returns the table name."""
    gov_engine.ensure_schema("dwd")

    def make(columns: dict[str, list[Any]] | pa.Table) -> str:
        name = f"dwd.t_{next(_names)}"
        data = columns if isinstance(columns, pa.Table) else pa.table(columns)
        gov_engine.con.register("__t_in", data)
        try:
            gov_engine.execute(f"CREATE TABLE {name} AS SELECT * FROM __t_in")
        finally:
            gov_engine.con.unregister("__t_in")
        return name

    return make


@pytest.fixture
def check(gov_engine: Any, tmp_path: Path) -> Callable[..., list[RuleResult]]:
    """``check(table, rules_yaml_list_text, previous_rows=None)`` -> results in rule order."""

    def run(table: str, rules: str, previous_rows: int | None = None, masks: dict[str, str] | None = None,
            sample_size: int = 5) -> list[RuleResult]:
        body = textwrap.indent(textwrap.dedent(rules).strip("\n"), "    ")
        parsed = rules_from_yaml(tmp_path, f"tables:\n  {table}:\n{body}\n")
        plan = compile_table(table, parsed[table])
        _, results = run_plan(gov_engine, plan, previous_rows=previous_rows, sample_size=sample_size, masks=masks)
        return results

    return run
