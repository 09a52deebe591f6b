"""``lingshu decrypt``: the explicit, audited way to read sealed values from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.errors import LingshuError
from lingshu.datasets.catalog import DatasetCatalog


def register(app: typer.Typer) -> None:
    @app.command("decrypt")
    def decrypt(
        table: Annotated[str, typer.Argument(help="Published table, e.g. ods.persons / 数据表")],
        column: Annotated[list[str], typer.Option("--column", "-c", help="Encrypted column(s) / 加密字段")],
        key: Annotated[str | None, typer.Option(help="Key column shown beside the values / 主键字段")] = None,
        limit: Annotated[int, typer.Option(help="At most this many rows / 最多行数")] = 20,
        reason: Annotated[str, typer.Option(help="Why the plaintext is needed (audited) / 用途（记入审计）")] = "",
    ) -> None:
        """Decrypt sealed columns, audited / 解密加密字段（记入审计）。"""
        if not reason.strip():
            raise LingshuError("a reason is required to decrypt", hint='add --reason "工单号/用途"')
        with open_context() as ctx:
            dataset = DatasetCatalog(ctx).get(table)
            for name in column:
                meta = dataset.column(name)
                if meta is None or not meta.encrypted:
                    raise LingshuError(f"{table}.{name} is not an encrypted column",
                                       hint=f"encrypted columns: {', '.join(c.name for c in dataset.columns if c.encrypted) or '(none)'}")
            key_col = key or (dataset.key[0] if dataset.key else None)
            cols = ([key_col] if key_col else []) + list(column)
            select = ", ".join(f'"{c}"' for c in cols)
            data = ctx.engine.reader().query(f'SELECT {select} FROM "{dataset.schema}"."{dataset.table}" LIMIT ?', [limit])
            actor = f"cli:{getpass.getuser()}"
            ctx.security.audit.record(actor, "dataset.decrypt", f"dataset:{table}", columns=list(column),
                                      rows=data.num_rows, reason=reason)
            out = Table(*cols, title=f"解密 decrypted · {table}")
            plain = {name: ctx.vault.cipher(table, name).decrypt(data.column(name).combine_chunks()).to_pylist()
                     for name in column}
            for i in range(data.num_rows):
                out.add_row(*([str(data.column(key_col)[i].as_py())] if key_col else []),
                            *(str(plain[name][i]) for name in column))
            console.print(out)
