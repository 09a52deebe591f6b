"""Shared fixtures: real engines and real state stores (SQLite file and the local PostgreSQL).

PostgreSQL tests use a fresh database per test on 127.0.0.1:5432 and drop it afterwards. If the
server is down they fail (CI runs both stores) unless LINGSHU_SKIP_PG=1 is set deliberately.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Shared, noisy machines: a slow example is not a failure (no timing assertions anywhere).
settings.register_profile("lingshu", deadline=None)
settings.load_profile("lingshu")

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from support import ORDERS_PACK, pg_database, write_files


def _pg_database() -> Iterator[str]:
    if os.environ.get("LINGSHU_SKIP_PG") == "1":
        pytest.skip("LINGSHU_SKIP_PG=1")
    yield from pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    """A fresh workspace on the embedded default (SQLite state, DuckDB warehouse)."""
    ws = init_workspace(tmp_path / "ws", name="test")
    with Context(ws) as context:
        yield context


@pytest.fixture
def orders_ctx(tmp_path: Path) -> Iterator[Context]:
    """A workspace whose only pack is ``orders`` (built-in packs off, so tests stay independent)."""
    packs = write_files(tmp_path / "packs" / "orders", ORDERS_PACK).parent
    ws = init_workspace(tmp_path / "ws", name="test", pack_paths=[str(packs)])
    ws.config.builtin_packs = False
    with Context(ws) as context:
        yield context
