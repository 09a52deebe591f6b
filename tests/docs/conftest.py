"""One run example workspace with every document written (pictures included when Chromium is
there), shared by the module's tests; the edited and never-run workspaces are built per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from docs.docs_support import PACK, example_workspace
from lingshu.core.context import Context
from lingshu.docs import Options, write_documents
from lingshu.docs.raster import chromium_path


@pytest.fixture(scope="package")
def docs_ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Context]:
    ctx = example_workspace(tmp_path_factory.mktemp("docs"))
    yield ctx
    ctx.close()


@pytest.fixture(scope="package")
def written(docs_ctx: Context) -> tuple[Path, list]:
    out = docs_ctx.workspace.folder("docs") / PACK
    pictures = chromium_path() is not None
    result = write_documents(docs_ctx, PACK, out, options=Options(images=pictures, screenshots=pictures))
    return out, result
