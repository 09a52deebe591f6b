"""One SQL model: a ``SELECT`` in ``models/<layer>/<name>.sql`` materialized as ``<layer>.<name>``.

References are ordinary schema-qualified table names (``FROM dwd.orders``), found with SQLGlot,
so model files stay plain SQL that any SQL tool can read and run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp

from lingshu.core.errors import ModelError
from lingshu.pack.spec import LAYERS, LayeredName, ModelSpec
from lingshu.security.vault import encrypted_columns, seal_sql


@dataclass
class SqlModel(LayeredName):
    name: str  # "<layer>.<table>"
    pack: str
    path: Path
    sql: str
    refs: dict[str, int] = field(default_factory=dict)  # referenced table -> first line
    spec: ModelSpec | None = None

    @property
    def unique_key(self) -> list[str]:
        return self.spec.unique_key if self.spec else []

    @property
    def build_sql(self) -> str:
        """What is materialized: the model's SELECT, with columns marked ``encrypt`` sealed."""
        return seal_sql(self.sql, self.name, self.spec.columns) if self.spec else self.sql

    @property
    def encrypted(self) -> set[str]:
        return encrypted_columns(self.spec.columns) if self.spec else set()


def parse_model(path: Path, pack: str, models_root: Path) -> SqlModel:
    rel = path.relative_to(models_root)
    if len(rel.parts) != 2 or rel.parts[0] not in LAYERS:
        raise ModelError(
            f"model file {path} is not in a layer folder",
            where=str(path),
            hint=f"put it in models/<layer>/{path.name} with layer one of {', '.join(LAYERS)}",
        )
    name = f"{rel.parts[0]}.{path.stem}"
    sql = path.read_text(encoding="utf-8").strip().rstrip(";")
    return SqlModel(name=name, pack=pack, path=path, sql=sql, refs=table_refs(sql, path))


def table_refs(sql: str, path: Path) -> dict[str, int]:
    """Layer-qualified tables read by ``sql`` with the line of their first mention."""
    try:
        statements = sqlglot.parse(sql, read="duckdb")
    except sqlglot.ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        raise ModelError(
            f"SQL does not parse: {first.get('description', exc)}",
            where=f"{path}:{first.get('line', '?')}",
            hint="fix the SQL near that line (model SQL is DuckDB's dialect)",
        ) from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise ModelError("a model file holds exactly one SELECT query", where=str(path),
                         hint="remove other statements; the platform creates the table itself")
    refs: dict[str, int] = {}
    for table in statements[0].find_all(exp.Table):
        if table.db in LAYERS and table.name:
            ref = f"{table.db}.{table.name}"
            line = table.this.meta.get("line", 0) if table.this else 0
            refs.setdefault(ref, line)
    return refs
