"""The upstream relational database: registers as another bureau's system holds them.

SQLite file by default (``sources/upstream.sqlite``); any SQLAlchemy URL (PostgreSQL, MariaDB)
when given. Tables are replaced on each run, written in chunks.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lingshu.synth.errors import SynthError

CHUNK = 20_000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def write_tables(url: str, tables: dict[str, pd.DataFrame]) -> None:
    """Replace each table in the database at ``url`` with the frame's rows (all columns as given)."""
    from sqlalchemy import create_engine  # lazy: only this step needs it

    try:
        engine = create_engine(url)
        with engine.begin() as conn:
            for name, df in tables.items():
                df.to_sql(name, conn, if_exists="replace", index=False, chunksize=CHUNK)
        engine.dispose()
    except SynthError:
        raise
    except Exception as e:  # noqa: BLE001 - driver errors vary; say which URL failed and why
        safe = url.split("@")[-1]
        raise SynthError(f"cannot write the upstream database at {safe}: {e}",
                         hint="check that the server is running and the URL is a SQLAlchemy URL "
                              "(postgresql+psycopg://..., mysql+pymysql://...)") from e
