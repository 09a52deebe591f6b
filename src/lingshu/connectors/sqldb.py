"""Database tables and queries through SQLAlchemy: PostgreSQL, MySQL/MariaDB, SQLite, and more.

Options name a ``table`` (with ``schema``) or a ``query``, and how to connect: ``url`` (a
SQLAlchemy URL without a password), plus ``password_secret`` naming the secret that holds the
password, or ``url_secret`` naming a secret that holds the whole URL. Rows are streamed through
a server-side cursor, ``chunk_rows`` at a time, so memory stays flat on a table of any size.
An incremental watermark is pushed down as ``WHERE column > :value``.

Other engines plug in through their SQLAlchemy dialect package, installed into the environment:

- 达梦 DM8: install DM's ``dmPython`` driver and ``sqlalchemy_dm`` dialect (both ship with the DM
  client, or from the vendor's wheels), then ``url: dm+dmPython://SYSDBA@10.0.0.5:5236``.
- 人大金仓 KingbaseES: it speaks the PostgreSQL protocol, so ``postgresql+psycopg://system@host:54321/db``
  works for plain tables; for its Oracle mode install the vendor's ``sqlalchemy-kingbase`` dialect
  and use ``kingbase+ksycopg2://...``.

Nothing in Lingshu names these engines: any URL whose dialect SQLAlchemy can load is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa
from pydantic import Field, model_validator

from lingshu.connectors.base import (
    CONNECTORS,
    ConnectorError,
    ReadContext,
    Row,
    SourceOptions,
    Watermark,
    parse_options,
    resolve_files,
    rows_reader,
    unique_names,
)
from lingshu.connectors.secrets import read_secret
from lingshu.connectors.values import to_text
from lingshu.pack.spec import SourceSpec


class SqlOptions(SourceOptions):
    url: str | None = Field(None, description="SQLAlchemy URL without password, e.g. postgresql+psycopg://etl@db/gov")
    url_secret: str | None = Field(None, description="secret holding the whole URL")
    password_secret: str | None = Field(None, description="secret holding the password for url")
    table: str | None = None
    db_schema: str | None = Field(None, alias="schema", description="schema of table")
    query: str | None = Field(None, description="a SELECT to run instead of a table")
    chunk_rows: int = Field(10_000, ge=1, description="rows fetched per round trip")
    stream: bool = Field(True, description="server-side cursor; false fetches everything at once")
    connect_timeout: int = Field(10, ge=1, description="seconds to wait for the server")

    @model_validator(mode="after")
    def _one_of(self) -> SqlOptions:
        if (self.table is None) == (self.query is None):
            raise ValueError("give exactly one of table: or query:")
        return self


def _url(source: SourceSpec, opts: SqlOptions, ctx: ReadContext) -> Any:
    import sqlalchemy as sa

    if opts.url_secret:
        text = read_secret(opts.url_secret, ctx.secrets_dir)
    elif opts.url:
        text = opts.url
    elif source.kind == "sqlite" and source.path:
        text = f"sqlite:///{resolve_files(source, ctx)[0].as_posix()}"
    else:
        raise ConnectorError(f"source {source.name!r} says nowhere to connect",
                             hint="add options: {url: ...} (and password_secret:), or url_secret:")
    try:
        url = sa.engine.make_url(text)
    except sa.exc.ArgumentError:
        # Never echo the text: it may be a secret's value.
        raise ConnectorError(f"source {source.name!r}: the database URL is not a SQLAlchemy URL",
                             hint="use dialect+driver://user@host:port/database") from None
    if opts.url and url.password:
        raise ConnectorError(f"source {source.name!r}: the url in pack.yaml contains a password",
                             hint="remove it from the URL and name a secret with password_secret:")
    if opts.password_secret:
        url = url.set(password=read_secret(opts.password_secret, ctx.secrets_dir))
    return url


def _connect_args(url: Any, timeout: int) -> dict[str, Any]:
    backend = url.get_backend_name()
    if backend in ("postgresql", "mysql", "mariadb"):
        return {"connect_timeout": timeout}
    return {}


def typed_watermark(mark: Watermark) -> Any:
    """The stored text watermark as the Python value the driver binds for the column's type."""
    typ = mark.type.split("(")[0].strip()
    try:
        if typ in ("BIGINT", "INTEGER", "INT", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT"):
            return int(mark.value)
        if typ in ("DECIMAL", "NUMERIC"):
            return Decimal(mark.value)
        if typ in ("DOUBLE", "FLOAT", "REAL"):
            return float(mark.value)
        if typ.startswith("TIMESTAMP") or typ == "DATETIME":
            return dt.datetime.fromisoformat(mark.value)
        if typ == "DATE":
            return dt.date.fromisoformat(mark.value)
    except (ValueError, InvalidOperation):
        pass
    return mark.value


def _statement(opts: SqlOptions, since: Watermark | None, dialect: Any) -> tuple[Any, str]:
    import sqlalchemy as sa

    quote = dialect.identifier_preparer.quote
    if opts.table is not None:
        target = f"{quote(opts.db_schema)}.{quote(opts.table)}" if opts.db_schema else quote(opts.table)
        base, label = f"SELECT * FROM {target}", target
    else:
        base, label = f"SELECT * FROM ({opts.query.strip().rstrip(';')}) AS lingshu_src", "query"  # type: ignore[union-attr]
    if since is None:
        return sa.text(base), label
    statement = sa.text(f"{base} WHERE {quote(since.column)} > :watermark")
    return statement.bindparams(watermark=typed_watermark(since)), label


class SqlConnector:
    options = SqlOptions

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        opts = parse_options(SqlOptions, source)
        url = _url(source, opts, ctx)
        where = url.render_as_string(hide_password=True)
        try:
            engine = sa.create_engine(url, poolclass=NullPool, connect_args=_connect_args(url, opts.connect_timeout))
        except (sa.exc.NoSuchModuleError, ImportError) as exc:
            raise ConnectorError(f"source {source.name!r}: no SQLAlchemy dialect for {url.drivername}: {exc}",
                                 hint="install the database's SQLAlchemy dialect and driver package") from None
        statement, label = _statement(opts, ctx.since, engine.dialect)
        conn = None
        try:
            conn = engine.connect()
            if opts.stream:
                # yield_per: a server-side cursor (psycopg named cursor, PyMySQL SSCursor) fetching in chunks.
                conn = conn.execution_options(yield_per=opts.chunk_rows)
            result = conn.execute(statement)
        except sa.exc.SQLAlchemyError as exc:
            if conn is not None:
                conn.close()
            engine.dispose()
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise ConnectorError(f"source {source.name!r}: cannot read {label} from {where}: {detail}",
                                 hint="check that the server is up, the table exists and the user may read it") from None
        keys = list(result.keys())
        columns = unique_names(keys)
        file_label = f"{where}#{label}"

        def rows() -> Iterator[Row]:
            number = 0
            try:
                chunks = result.partitions(opts.chunk_rows) if opts.stream else [result.fetchall()]
                for chunk in chunks:
                    for record in chunk:
                        number += 1
                        yield Row([to_text(v) for v in record], file_label, number)
            except sa.exc.SQLAlchemyError as exc:
                detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                raise ConnectorError(f"source {source.name!r}: reading {label} failed after {number} rows: {detail}",
                                     hint="check the server's log; the previous ODS table is unchanged") from None
            finally:
                result.close()
                conn.close()
                engine.dispose()

        return rows_reader(columns, rows(), batch_rows=opts.chunk_rows)


for _kind in ("sql", "postgresql", "mysql", "mariadb", "sqlite"):
    CONNECTORS.add(_kind, SqlConnector())
