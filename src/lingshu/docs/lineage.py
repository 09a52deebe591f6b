"""Column-level lineage of a model with SQLGlot: which source columns each output column reads.

The schema given to SQLGlot is the warehouse's actual columns where the table is built, else the
pack's declared columns, so ``SELECT *`` expands and unqualified names resolve. A column SQLGlot
cannot trace (an unknown construct) is reported as such rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import lineage

from lingshu.models.sql import SqlModel

Schema = dict[str, dict[str, dict[str, str]]]  # layer -> table -> column -> type


@dataclass
class ColumnLineage:
    column: str
    expression: str  # the output expression, in DuckDB's dialect
    sources: list[str] = field(default_factory=list)  # "layer.table.column"
    error: str | None = None

    @property
    def kind(self) -> str:
        """直接映射 (plain copy), 计算转换 (an expression) or 常量 (no source column)."""
        if self.error:
            return "无法解析"
        if not self.sources:
            return "常量/聚合"
        body = self.expression.rsplit(" AS ", 1)[0]
        plain = body.split(".")[-1].strip('"') == self.sources[0].split(".")[-1] and len(self.sources) == 1
        return "直接映射" if plain and "(" not in body else "计算转换"


def build_schema(tables: list[str], columns_of: Callable[[str], dict[str, str]]) -> Schema:
    schema: Schema = {}
    for table in tables:
        layer, name = table.split(".")
        cols = columns_of(table)
        if cols:
            schema.setdefault(layer, {})[name] = cols
    return schema


def output_columns(model: SqlModel, schema: Schema) -> list[str]:
    """The model's output column names (stars expanded through the schema)."""
    from sqlglot.optimizer.qualify import qualify

    tree = sqlglot.parse_one(model.sql, read="duckdb")
    try:
        tree = qualify(tree, schema=schema, dialect="duckdb", validate_qualify_columns=False)
    except SqlglotError:
        pass
    return [n for n in tree.named_selects if n != "*"] if isinstance(tree, exp.Query) else []


def model_lineage(model: SqlModel, schema: Schema, columns: list[str] | None = None) -> list[ColumnLineage]:
    out = []
    for col in columns or output_columns(model, schema):
        try:
            node = lineage(col, model.sql, schema=schema, dialect="duckdb")
        except (SqlglotError, KeyError, ValueError) as exc:
            out.append(ColumnLineage(col, "", error=str(exc).splitlines()[0][:200]))
            continue
        sources = []
        for leaf in node.walk():
            if leaf.downstream or not isinstance(leaf.source, exp.Table):
                continue
            table = leaf.source
            ref = f"{table.db}.{table.name}.{leaf.name.split('.')[-1]}" if table.db else leaf.name
            if ref not in sources:
                sources.append(ref)
        expression = node.expression.sql(dialect="duckdb") if node.expression is not None else col
        out.append(ColumnLineage(col, expression, sources))
    return out
