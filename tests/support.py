"""Helpers shared by tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

PG_ADMIN = os.environ.get("LINGSHU_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MYSQL_ADMIN = os.environ.get("LINGSHU_TEST_MYSQL", "mysql+pymysql://root@127.0.0.1:3306/")


def pg_database(prefix: str = "lingshu_test") -> Iterator[str]:
    """A fresh PostgreSQL database on the local server for one test, dropped afterwards."""
    import sqlalchemy as sa

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a folder of text files (dedented); returns the root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


ORDERS_PACK = {
    "pack.yaml": """
        id: orders
        name: 订单测试
        domain: example
        department: 测试部门
        sources:
          - name: orders
            kind: csv
            path: data/orders.csv
            target: ods.orders
            columns:
              - {name: order_id, type: BIGINT, required: true}
              - {name: town, required: true}
              - {name: amount, type: "DECIMAL(10,2)"}
        models:
          - name: dwd.orders
            unique_key: [order_id]
          - name: ads.orders_by_town
            unique_key: [town]
        """,
    "data/orders.csv": """
        order_id,town,amount
        1,南汇新城镇,10.5
        2,泥城镇,20
        3,南汇新城镇,7
        x4,书院镇,1
        5,,3
        """,
    "models/dwd/orders.sql": """
        SELECT order_id, trim(town) AS town, amount FROM ods.orders
        """,
    "models/ads/orders_by_town.sql": """
        SELECT town, count(*) AS orders, sum(amount) AS amount FROM dwd.orders GROUP BY town
        """,
}


def mysql_database(prefix: str = "lingshu_test") -> Iterator[str]:
    """A fresh MariaDB/MySQL database on the local server for one test, dropped afterwards."""
    import sqlalchemy as sa

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(MYSQL_ADMIN)
    with admin.begin() as c:
        c.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    try:
        yield f"{MYSQL_ADMIN}{name}?charset=utf8mb4"
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()
