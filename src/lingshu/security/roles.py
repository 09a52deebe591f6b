"""Roles and the permissions they carry (三员分立: administration, security and audit are separate).

Platform permissions say what a role may do; data access additionally needs a grant on the
dataset or indicator (``lingshu grant``). No role can read every dataset by default.
"""

from __future__ import annotations

from dataclasses import dataclass

from lingshu.core.registry import Registry


@dataclass(frozen=True)
class Role:
    title: str  # Chinese name shown in the console
    permissions: frozenset[str]


ROLES: Registry[Role] = Registry("role")
ROLES.add("admin", Role("系统管理员", frozenset({"user.manage", "ops.manage"})))
ROLES.add("secadmin", Role("安全管理员", frozenset({"grant.manage", "key.manage"})))
ROLES.add("reviewer", Role("安全审核员", frozenset({"pack.approve"})))
ROLES.add("auditor", Role("安全审计员", frozenset({"audit.read"})))
ROLES.add("engineer", Role("数据工程师", frozenset({"pack.run", "pack.submit", "data.read", "quality.read"})))
ROLES.add("operator", Role("运维人员", frozenset({"ops.manage", "pack.run", "quality.read"})))
ROLES.add("analyst", Role("业务人员", frozenset({"data.read", "data.export"})))
ROLES.add("viewer", Role("只读用户", frozenset({"data.read"})))  # dashboards and previews, no exports
ROLES.add("client", Role("接口调用方", frozenset({"data.read", "data.export"})))  # other systems, by API key

PERMISSIONS = {
    "user.manage": "管理用户与密钥",
    "ops.manage": "运维：调度、事件、备份",
    "grant.manage": "管理数据授权",
    "pack.approve": "安全审核：批准场景包上线",
    "key.manage": "密钥管理与轮换",
    "audit.read": "查看与校验审计日志",
    "pack.run": "运行场景包",
    "pack.submit": "提交场景包审核",
    "data.read": "按授权读取数据",
    "data.export": "按授权导出数据",
    "quality.read": "查看质量结果",
}


def permissions_of(roles: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for name in roles:
        out |= ROLES.get(name).permissions
    return frozenset(out)
