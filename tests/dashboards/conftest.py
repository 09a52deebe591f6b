"""One workspace for the dashboard tests: the example pack and a map-layer pack, run once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dashboards.dash_support import build_workspace
from lingshu.core.context import Context


@pytest.fixture(scope="package")
def dash_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    ctx = build_workspace(tmp_path_factory.mktemp("dashboards"))
    yield ctx
    ctx.close()
