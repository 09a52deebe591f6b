"""Fixtures for operations tests: a workspace with scheduled packs, a fake clock, recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lingshu.core.context import Context
from lingshu.ops import Ops
from ops_support import FakeClock, make_ctx


@pytest.fixture
def clock() -> FakeClock:
    # 2026-03-02 02:00:30 Beijing time = 2026-03-01 18:00:30 UTC
    return FakeClock(datetime(2026, 3, 1, 18, 0, 30, tzinfo=UTC))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def ops_ctx(tmp_path: Path) -> Iterator[Context]:
    with make_ctx(tmp_path, with_report=True) as ctx:
        yield ctx


@pytest.fixture
def ops(ops_ctx: Context, clock: FakeClock, sleeps: list[float]) -> Ops:
    return Ops(ops_ctx, clock=clock, sleep=sleeps.append)
