"""Security review before go-live: a pack runs on schedule only while its reviewed files are unchanged.

The fingerprint is the SM3 digest of every file in the pack folder; any edit to the SQL, YAML or
Python steps makes it a new, unapproved version that needs another review.
"""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from lingshu.core.errors import LingshuError
from lingshu.security.sm import sm3_hex
from lingshu.state.schema import approvals
from lingshu.state.store import StateStore


SNAPSHOT_LIMIT = 2_000_000  # bytes of text kept per review; packs are YAML and SQL, far smaller


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def pack_fingerprint(root: Path) -> str:
    parts = []
    for path in _files(root):
        parts.append(path.relative_to(root).as_posix().encode() + b"\0" + sm3_hex(path.read_bytes()).encode())
    return sm3_hex(b"\n".join(parts))


def snapshot(root: Path) -> dict[str, str]:
    """The pack's text files as they are now (binary files by digest), for review diffs."""
    out: dict[str, str] = {}
    size = 0
    for path in _files(root):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = f"<binary {len(data)} bytes, sm3 {sm3_hex(data)}>"
        size += len(text)
        if size > SNAPSHOT_LIMIT:
            text = f"<omitted: snapshot limit reached; sm3 {sm3_hex(data)}>"
        out[path.relative_to(root).as_posix()] = text
    return out


def diff(before: dict[str, str], after: dict[str, str]) -> str:
    """A unified diff of two snapshots (what changed since the last approved version)."""
    lines: list[str] = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        lines += difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(),
                                      fromfile=f"a/{name}" if old is not None else "/dev/null",
                                      tofile=f"b/{name}" if new is not None else "/dev/null", lineterm="")
    return "\n".join(lines)


class Approvals:
    def __init__(self, store: StateStore):
        self.engine = store.engine

    def request(self, pack: str, root: Path, requested_by: str) -> int:
        fingerprint = pack_fingerprint(root)
        with self.engine.begin() as c:
            result = c.execute(approvals.insert().values(
                pack=pack, fingerprint=fingerprint, status="pending", requested_by=requested_by,
                requested_at=datetime.now(UTC), snapshot=json.dumps(snapshot(root), ensure_ascii=False)))
            return int(result.inserted_primary_key[0])

    def changes(self, approval_id: int) -> str:
        """What a review covers: the diff from the pack's last approved version (or everything)."""
        with self.engine.connect() as c:
            row = c.execute(sa.select(approvals).where(approvals.c.id == approval_id)).first()
            if row is None:
                raise LingshuError(f"no review #{approval_id}", hint="`lingshu approve list` shows them")
            base = c.execute(sa.select(approvals.c.snapshot).where(
                approvals.c.pack == row.pack, approvals.c.status == "approved", approvals.c.id < approval_id)
                .order_by(approvals.c.id.desc()).limit(1)).scalar()
        return diff(json.loads(base) if base else {}, json.loads(row.snapshot or "{}"))

    def review(self, approval_id: int, reviewer: str, approve: bool, comment: str | None = None) -> None:
        with self.engine.begin() as c:
            row = c.execute(sa.select(approvals).where(approvals.c.id == approval_id)).first()
            if row is None or row.status != "pending":
                raise LingshuError(f"no pending review #{approval_id}", hint="`lingshu approve list` shows them")
            if row.requested_by == reviewer:
                raise LingshuError("a change cannot be approved by the person who submitted it",
                                   hint="another 安全管理员 (secadmin) must review it")
            c.execute(approvals.update().where(approvals.c.id == approval_id).values(
                status="approved" if approve else "rejected", reviewed_by=reviewer, comment=comment,
                reviewed_at=datetime.now(UTC)))

    def status(self, pack: str, root: Path) -> str:
        """approved | pending | rejected | changed (approved once, edited since) | unreviewed."""
        fingerprint = pack_fingerprint(root)
        with self.engine.connect() as c:
            rows = c.execute(sa.select(approvals).where(approvals.c.pack == pack)
                             .order_by(approvals.c.id.desc())).all()
        current = [r for r in rows if r.fingerprint == fingerprint]
        if current:
            return current[0].status
        return "changed" if any(r.status == "approved" for r in rows) else "unreviewed"

    def is_approved(self, pack: str, root: Path) -> bool:
        return self.status(pack, root) == "approved"

    def list(self, pack: str | None = None) -> list[dict[str, object]]:
        query = sa.select(approvals).order_by(approvals.c.id.desc())
        if pack:
            query = query.where(approvals.c.pack == pack)
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(query)]
