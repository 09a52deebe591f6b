"""Backups of the warehouse and the state store, with retention, checksums and restore.

A backup is one folder ``backups/<label>/`` holding ``warehouse.duckdb``, ``state.db`` (SQLite) or
``state.pgdump`` (PostgreSQL, when ``pg_dump`` is installed) and ``manifest.json`` with SM3
checksums. How each part is saved is a registry keyed by engine name or state dialect, so Spark
or another store adds an entry instead of a branch.

- DuckDB: ``CHECKPOINT`` folds the write-ahead log into the file, then the file is copied while
  the engine's lock is held, so no statement of this process writes during the copy (and DuckDB
  lets no other process write to an open warehouse). The copy is byte-exact: types, indexes and
  spatial columns come back as they were, which ``EXPORT DATABASE`` does not promise.
- SQLite state: the SQLite online backup API (consistent while others read and write).
- PostgreSQL state: ``pg_dump --format=custom``; without ``pg_dump`` on PATH the part is skipped and
  the manifest says why (operators then rely on the database's own backups).

Restore verifies the checksums, keeps the current warehouse aside as ``*.pre-restore-<label>``,
and by default restores the warehouse only: rolling the state store back would also roll back
the audit trail and incident records, so that is a deliberate ``--state`` choice.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes

from lingshu import __version__
from lingshu.core.registry import Registry
from lingshu.ops.errors import OpsError
from lingshu.ops.timeutil import SHANGHAI, as_utc
from lingshu.state.schema import backups

if TYPE_CHECKING:
    from lingshu.ops.service import Ops

MANIFEST = "manifest.json"

# name -> (save(ops, folder) -> part info, restore(ops, folder, info) -> None)
SaveFn = Callable[["Ops", Path], dict[str, Any]]
RestoreFn = Callable[["Ops", Path, dict[str, Any]], None]
WAREHOUSE_METHODS: Registry[tuple[SaveFn, RestoreFn]] = Registry("warehouse backup method")
STATE_METHODS: Registry[tuple[SaveFn, RestoreFn]] = Registry("state backup method")


def sm3_file(path: Path) -> str:
    digest = hashes.Hash(hashes.SM3())
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.finalize().hex()


def _file_info(path: Path) -> dict[str, Any]:
    return {"file": path.name, "bytes": path.stat().st_size, "sm3": sm3_file(path)}


# -- DuckDB warehouse -----------------------------------------------------------------------------
def _duckdb_save(ops: Ops, folder: Path) -> dict[str, Any]:
    engine, source = ops.ctx.engine, ops.ctx.workspace.warehouse
    target = folder / "warehouse.duckdb"
    with engine.lock:  # type: ignore[attr-defined]  # the DuckDB engine's statement lock
        engine.execute("CHECKPOINT")
        shutil.copyfile(source, target)
    return _file_info(target)


def _duckdb_restore(ops: Ops, folder: Path, info: dict[str, Any]) -> None:
    ctx = ops.ctx
    live = ctx.workspace.warehouse
    # Close the engine: the file must not be open while it is replaced.
    ctx.__dict__.pop("indicators", None)
    if "engine" in ctx.__dict__:
        ctx.__dict__.pop("engine").close()
    staged = live.with_name(live.name + ".restoring")
    shutil.copyfile(folder / info["file"], staged)
    if live.exists():
        os.replace(live, live.with_name(f"{live.name}.pre-restore-{folder.name}"))
    wal = live.with_name(live.name + ".wal")
    if wal.exists():  # a log from the replaced file would be replayed onto the restored one
        wal.unlink()
    os.replace(staged, live)


WAREHOUSE_METHODS.add("duckdb", (_duckdb_save, _duckdb_restore))


# -- SQLite state store ---------------------------------------------------------------------------
def _sqlite_path(ops: Ops) -> str:
    path = sa.engine.make_url(ops.store.url).database
    if not path or path == ":memory:":
        raise OpsError("an in-memory state store cannot be backed up", hint="use a file: sqlite:///state.db")
    return path


def _sqlite_save(ops: Ops, folder: Path) -> dict[str, Any]:
    target = folder / "state.db"
    src, dst = sqlite3.connect(_sqlite_path(ops)), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return _file_info(target)


def _sqlite_restore(ops: Ops, folder: Path, info: dict[str, Any]) -> None:
    ops.store.engine.dispose()
    src, dst = sqlite3.connect(folder / info["file"]), sqlite3.connect(_sqlite_path(ops))
    try:
        src.backup(dst)  # page by page into the live file, under SQLite's own locking
    finally:
        dst.close()
        src.close()


STATE_METHODS.add("sqlite", (_sqlite_save, _sqlite_restore))


# -- PostgreSQL state store -----------------------------------------------------------------------
def _libpq(ops: Ops) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the password in PGPASSWORD (never on a command line)."""
    url = sa.engine.make_url(ops.store.url)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _pg_save(ops: Ops, folder: Path) -> dict[str, Any]:
    if shutil.which("pg_dump") is None:
        return {"skipped": "pg_dump is not installed; back up PostgreSQL with the database's own tools "
                           "(pg_dump or base backups) or install postgresql-client"}
    target = folder / "state.pgdump"
    dsn, env = _libpq(ops)
    done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", dsn],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OpsError(f"pg_dump failed: {done.stderr.strip()[:500]}", hint="check the state store URL and access")
    return _file_info(target)


def _pg_restore(ops: Ops, folder: Path, info: dict[str, Any]) -> None:
    if shutil.which("pg_restore") is None:
        raise OpsError("pg_restore is not installed", hint="install postgresql-client, or restore the dump by hand")
    ops.store.engine.dispose()
    dsn, env = _libpq(ops)
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={dsn}",
                           str(folder / info["file"])], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OpsError(f"pg_restore failed: {done.stderr.strip()[:500]}", hint="the dump is kept; fix and retry")


STATE_METHODS.add("postgresql", (_pg_save, _pg_restore))


@dataclass
class BackupResult:
    label: str
    path: Path
    parts: dict[str, Any]
    size_bytes: int
    status: str


class Backups:
    def __init__(self, ops: Ops):
        self.ops = ops
        self.config = ops.config.backup

    @property
    def folder(self) -> Path:
        return self.ops.ctx.workspace.root / self.config.folder

    def create(self, dest: Path | None = None, *, by: str = "cli") -> BackupResult:
        now = self.ops.clock()
        label = f"lingshu-{now.astimezone(SHANGHAI):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:4]}"
        folder = (dest or self.folder) / label
        folder.mkdir(parents=True)
        parts: dict[str, Any] = {}
        for part, registry, name in (("warehouse", WAREHOUSE_METHODS, self.ops.ctx.engine_name),
                                     ("state", STATE_METHODS, self.ops.store.engine.dialect.name)):
            save, _ = registry.get(name)
            parts[part] = {"method": name, **save(self.ops, folder)}
        status = "partial" if any("skipped" in p for p in parts.values()) else "complete"
        manifest = {"label": label, "created_at": now.isoformat(), "lingshu": __version__,
                    "state_revision": self.ops.store.revision(), "status": status, "parts": parts}
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        size = sum(p.stat().st_size for p in folder.iterdir())
        with self.ops.store.engine.begin() as c:
            c.execute(backups.insert().values(label=label, path=str(folder), parts=json.dumps(parts, ensure_ascii=False),
                                              size_bytes=size, status=status, created_at=now, created_by=by))
        self.ops.ctx.security.audit.record(by, "ops.backup", f"backup:{label}", status=status, bytes=size)
        if dest is None:
            self.prune()
        return BackupResult(label, folder, parts, size, status)

    def list(self) -> list[dict[str, Any]]:
        with self.ops.store.engine.connect() as c:
            rows = [dict(r._mapping) for r in c.execute(sa.select(backups).order_by(backups.c.id.desc()))]
        for row in rows:
            row["created_at"] = as_utc(row["created_at"])
        return rows

    def prune(self) -> list[str]:
        """Keep the newest ``keep`` complete or partial backups in the managed folder; remove the rest."""
        kept = [r for r in self.list() if r["status"] in ("complete", "partial")
                and Path(r["path"]).parent == self.folder]
        pruned = []
        for row in kept[self.config.keep:]:
            shutil.rmtree(row["path"], ignore_errors=True)
            with self.ops.store.engine.begin() as c:
                c.execute(backups.update().where(backups.c.id == row["id"])
                          .values(status="pruned", pruned_at=self.ops.clock()))
            pruned.append(row["label"])
        return pruned

    def locate(self, name: str) -> Path:
        """A backup folder from its label or its path."""
        candidates = [Path(name), self.folder / name]
        for folder in candidates:
            if (folder / MANIFEST).is_file():
                return folder
        raise OpsError(f"no backup {name!r}", hint=f"`lingshu backup list` shows them; folders are under {self.folder}")

    def restore(self, name: str, *, parts: tuple[str, ...] = ("warehouse",), by: str = "cli") -> dict[str, Any]:
        folder = self.locate(name)
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        registries = {"warehouse": WAREHOUSE_METHODS, "state": STATE_METHODS}
        for part in parts:
            info = manifest["parts"].get(part)
            if info is None or "skipped" in info:
                raise OpsError(f"backup {manifest['label']} has no {part} copy"
                               + (f": {info['skipped']}" if info else ""), hint="pick another backup or part")
            if sm3_file(folder / info["file"]) != info["sm3"]:
                raise OpsError(f"{folder / info['file']} does not match its checksum; the backup is damaged",
                               hint="restore from another backup")
        for part in parts:
            _, restore = registries[part].get(manifest["parts"][part]["method"])
            restore(self.ops, folder, manifest["parts"][part])
        self.ops.ctx.security.audit.record(by, "ops.restore", f"backup:{manifest['label']}", parts=list(parts))
        return manifest
