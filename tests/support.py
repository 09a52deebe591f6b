"""Helpers shared by tests (importable because pytest puts tests/ on the path)."""

from __future__ import annotations

import textwrap
from pathlib import Path


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
