"""``ctx.security``: accounts, grants, audit and approvals over the workspace's state store."""

from __future__ import annotations

from functools import cached_property

from lingshu.security.accounts import Accounts
from lingshu.security.approvals import Approvals
from lingshu.security.auditlog import AuditLog
from lingshu.security.grants import Grants
from lingshu.state.store import StateStore


class Security:
    def __init__(self, store: StateStore):
        self.store = store

    @cached_property
    def accounts(self) -> Accounts:
        return Accounts(self.store)

    @cached_property
    def grants(self) -> Grants:
        return Grants(self.store)

    @cached_property
    def audit(self) -> AuditLog:
        return AuditLog(self.store)

    @cached_property
    def approvals(self) -> Approvals:
        return Approvals(self.store)
