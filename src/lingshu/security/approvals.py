"""Security review before go-live: a pack runs on schedule only while its reviewed files are unchanged.

The fingerprint is the SM3 digest of every file in the pack folder; any edit to the SQL, YAML or
Python steps makes it a new, unapproved version that needs another review.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from lingshu.core.errors import LingshuError
from lingshu.security.sm import sm3_hex
from lingshu.state.schema import approvals
from lingshu.state.store import StateStore


def pack_fingerprint(root: Path) -> str:
    parts = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        parts.append(path.relative_to(root).as_posix().encode() + b"\0" + sm3_hex(path.read_bytes()).encode())
    return sm3_hex(b"\n".join(parts))


class Approvals:
    def __init__(self, store: StateStore):
        self.engine = store.engine

    def request(self, pack: str, root: Path, requested_by: str) -> int:
        fingerprint = pack_fingerprint(root)
        with self.engine.begin() as c:
            result = c.execute(approvals.insert().values(
                pack=pack, fingerprint=fingerprint, status="pending", requested_by=requested_by,
                requested_at=datetime.now(UTC)))
            return int(result.inserted_primary_key[0])

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
