"""The Context: one facade over workspace, engine, state store and packs.

The CLI, the server and the tests all drive the platform through a Context, so they cannot
disagree about how a pack is run or where a table lives.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

from lingshu.core.registry import Registry
from lingshu.core.runner import ProgressFn, RunReport, run_pack
from lingshu.core.workspace import Workspace, find_workspace
from lingshu.engines import Engine, open_engine
from lingshu.govern.quality.service import QualityService
from lingshu.indicators.service import IndicatorService
from lingshu.pack.loader import BUILTIN_PACKS, PackCatalog
from lingshu.security.platform import Security
from lingshu.security.vault import Vault
from lingshu.state.store import StateStore

# SQL functions installed on every engine the Context opens: "module:function(engine)".
SQL_FUNCTIONS: Registry[str] = Registry("SQL function set")
SQL_FUNCTIONS.add("govern", "lingshu.govern.sql:register_sql")  # validators and standardizers
SQL_FUNCTIONS.add("security", "lingshu.security.sql:register_sql")  # masking and SM3
SQL_FUNCTIONS.add("analysis", "lingshu.analysis.sql:register_sql")  # PCI, congestion grades, TPI, holidays


class Context:
    def __init__(self, workspace: Workspace, *, engine: str | None = None,
                 extra_pack_paths: Iterable[Path] = ()):
        self.workspace = workspace
        self.engine_name = engine or workspace.config.engine
        self._extra_pack_paths = list(extra_pack_paths)

    @classmethod
    def open(cls, path: Path | str | None = None, **kwargs: Any) -> Context:
        return cls(find_workspace(path), **kwargs)

    @cached_property
    def state(self) -> StateStore:
        store = StateStore(self.workspace.state_url)
        store.migrate()
        return store

    @cached_property
    def engine(self) -> Engine:
        # The engine's own settings block (``spark:``: master, warehouse, conf) applies here.
        warehouse, options = self.workspace.engine_target(self.engine_name)
        engine = open_engine(self.engine_name, warehouse, **options)
        self._install_functions(engine)
        engine.add_reader_setup(self._install_functions)  # reader cursors get the same functions
        return engine

    def _install_functions(self, engine: Engine) -> None:
        for _, target in SQL_FUNCTIONS.items():
            module, func = target.split(":")
            getattr(importlib.import_module(module), func)(engine)
        if engine.capabilities.python_udfs:
            self.vault.register_sql(engine)  # lingshu_encrypt / lingshu_token for sealed columns

    @cached_property
    def vault(self) -> Vault:
        return Vault.of(self.workspace)

    @cached_property
    def catalog(self) -> PackCatalog:
        paths = [*self.workspace.pack_paths, *self._extra_pack_paths]
        if self.workspace.config.builtin_packs:
            paths.insert(0, BUILTIN_PACKS)
        return PackCatalog.from_paths(paths)

    @cached_property
    def security(self) -> Security:
        return Security(self.state)

    @cached_property
    def indicators(self) -> IndicatorService:
        # Reads only: through the reader, so dashboards never wait for a pipeline's swap.
        return IndicatorService(self.catalog, self.engine.reader(), self.state)

    @cached_property
    def quality(self) -> QualityService:
        return QualityService(self)

    def run(self, pack_id: str, *, select: Iterable[str] | None = None, trigger: str = "manual",
            user: str | None = None, progress: ProgressFn | None = None, full_refresh: bool = False) -> RunReport:
        return run_pack(self, pack_id, select=select, trigger=trigger, user=user, progress=progress,
                        full_refresh=full_refresh)

    def query(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.engine.query(sql, params)

    def close(self) -> None:
        self.__dict__.pop("indicators", None)
        self.__dict__.pop("quality", None)
        self.__dict__.pop("security", None)
        if "engine" in self.__dict__:
            self.engine.close()
            del self.__dict__["engine"]
        if "state" in self.__dict__:
            self.state.dispose()
            del self.__dict__["state"]

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
