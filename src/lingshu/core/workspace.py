"""A workspace: one folder holding the config, the warehouse, the state store and raw files.

Layout::

    lingshu.yaml        the config below
    warehouse.duckdb    the DuckDB warehouse (embedded default engine)
    warehouse-spark/    the Parquet warehouse of the Spark engine (docs/spark.md)
    state.db            the SQLite state store (unless state_url points elsewhere)
    raw/ quarantine/ logs/ secrets/

Commands find the workspace from ``--workspace``, then ``$LINGSHU_WORKSPACE``, then the current
directory and its parents.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import Field

from lingshu.core import yamlfile
from lingshu.core.errors import WorkspaceError
from lingshu.core.yamlfile import Strict
from lingshu.security.vault import ensure_master_key

CONFIG_NAME = "lingshu.yaml"
ENV_VAR = "LINGSHU_WORKSPACE"
FOLDERS = ("raw", "quarantine", "logs", "secrets")


class SparkSettings(Strict):
    """Where and how the Spark engine runs (used when ``engine: spark`` or ``--engine spark``)."""

    master: str | None = Field(None, description="Spark master URL: local[2], spark://host:7077, yarn; "
                                                 "default $LINGSHU_SPARK_MASTER, else local[2]")
    warehouse: str = Field("warehouse-spark", description="Parquet warehouse folder, relative to the workspace "
                                                          "(on a cluster: a path every executor sees)")
    conf: dict[str, str] = Field(default_factory=dict, description="extra Spark settings, e.g. "
                                                                   "spark.executor.memory: 4g")


class DuckDBSettings(Strict):
    """How the embedded DuckDB warehouse stores its tables (used when ``engine: duckdb``)."""

    row_group_size: int = Field(
        16384, ge=2048, le=1_048_576, multiple_of=2048,
        description="rows per row group of the tables written from now on (a multiple of 2048). DuckDB's "
                    "default is 122880; 16384 lets a filtered, sorted page of a published dataset skip "
                    "all but a few thousand rows (docs/benchmark-notes.md, data API)")


class WorkspaceConfig(Strict):
    name: str = Field(description="a short name shown in the console")
    engine: str = Field("duckdb", description="compute engine: duckdb (embedded) or spark")
    warehouse: str = Field("warehouse.duckdb", description="warehouse file, relative to the workspace")
    state_url: str = Field("sqlite:///state.db", description="SQLAlchemy URL of the state store")
    pack_paths: list[str] = Field(default_factory=list, description="extra folders holding packs")
    builtin_packs: bool = Field(True, description="also load the packs shipped with Lingshu")
    api_rate_per_minute: int = Field(1200, description="data API requests per minute per caller")
    mode: str = Field("development", pattern="^(development|production)$", description=(
        "production: only packs approved by a security review are scheduled or published; "
        "development: anything runs, and each run records the pack's review status"))
    duckdb: DuckDBSettings = Field(default_factory=DuckDBSettings, description="DuckDB engine settings")
    spark: SparkSettings = Field(default_factory=SparkSettings, description="Spark engine settings")


class Workspace:
    def __init__(self, root: Path, config: WorkspaceConfig):
        self.root = root
        self.config = config

    @property
    def warehouse(self) -> Path:
        return self.root / self.config.warehouse

    def engine_target(self, engine: str) -> tuple[Path, dict[str, object]]:
        """The warehouse path and engine options for ``engine``.

        An engine with a settings block named after it takes its options from there (``spark:``
        also its warehouse); the others use ``warehouse``.
        """
        block = getattr(self.config, engine, None)
        if isinstance(block, SparkSettings):
            return self.root / block.warehouse, {"master": block.master, "conf": dict(block.conf)}
        if isinstance(block, DuckDBSettings):
            return self.warehouse, {"row_group_size": block.row_group_size}
        return self.warehouse, {}

    @property
    def state_url(self) -> str:
        """The state URL, with a relative SQLite path resolved against the workspace."""
        url = self.config.state_url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
            return prefix + str((self.root / url[len(prefix):]).resolve())
        return url

    def folder(self, name: str) -> Path:
        return self.root / name

    @property
    def pack_paths(self) -> list[Path]:
        return [(self.root / p).resolve() for p in self.config.pack_paths]

    @classmethod
    def load(cls, root: Path) -> Workspace:
        config = yamlfile.load(WorkspaceConfig, root / CONFIG_NAME)
        return cls(root.resolve(), config)


def init_workspace(root: Path, *, name: str | None = None, state_url: str | None = None,
                   engine: str = "duckdb", pack_paths: list[str] | None = None) -> Workspace:
    """Create the workspace files and folders. Refuses to overwrite an existing config."""
    root = root.resolve()
    config_path = root / CONFIG_NAME
    if config_path.exists():
        raise WorkspaceError(f"{root} is already a workspace", hint="use it as it is, or pick another folder")
    root.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        (root / folder).mkdir(exist_ok=True)
    os.chmod(root / "secrets", 0o700)
    ensure_master_key(root / "secrets")  # the field-encryption master key, 0600, never in the warehouse
    config = WorkspaceConfig(name=name or root.name, engine=engine,
                             state_url=state_url or "sqlite:///state.db", pack_paths=pack_paths or [])
    header = "# Lingshu workspace. Keys and passwords never go here: they live in secrets/ (0600).\n"
    config_path.write_text(header + yaml.safe_dump(config.model_dump(), allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return Workspace(root, config)


def find_workspace(explicit: Path | str | None = None, start: Path | None = None) -> Workspace:
    if explicit is None:
        explicit = os.environ.get(ENV_VAR) or None
    if explicit is not None:
        root = Path(explicit)
        if not (root / CONFIG_NAME).exists():
            raise WorkspaceError(f"{root} is not a Lingshu workspace (no {CONFIG_NAME})",
                                 hint=f"create one with `lingshu init {root}`")
        return Workspace.load(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).exists():
            return Workspace.load(folder)
    raise WorkspaceError(
        "no Lingshu workspace here or in any parent folder",
        hint=f"run `lingshu init DIR`, then cd into it, or pass --workspace DIR or set {ENV_VAR}",
    )
