"""``lingshu user | key | grant | audit | approve``: accounts, access and reviews.

Whoever runs the CLI on the server acts as ``cli:<os user>`` in the audit log: file access to the
workspace is itself the credential, and every change made here is recorded.
"""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer
from rich.table import Table

from lingshu.cli.common import console, open_context
from lingshu.core.errors import LingshuError


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _table(title: str, rows: list[dict[str, object]], cols: list[str]) -> None:
    table = Table(*cols, title=title)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in cols))
    console.print(table)


def _password(prompt: bool) -> str | None:
    """From $LINGSHU_PASSWORD (scripts) or a hidden prompt; never from the command line."""
    if os.environ.get("LINGSHU_PASSWORD"):
        return os.environ["LINGSHU_PASSWORD"]
    if not prompt:
        return None
    first = getpass.getpass("密码 password: ")
    if first != getpass.getpass("再次输入 again: "):
        raise LingshuError("the two passwords differ", hint="run the command again")
    return first


def register(app: typer.Typer) -> None:
    user_app = typer.Typer(help="Accounts / 用户账号。", no_args_is_help=True)
    key_app = typer.Typer(help="API keys / 接口密钥。", no_args_is_help=True)
    grant_app = typer.Typer(help="Data grants / 数据授权。", no_args_is_help=True)
    audit_app = typer.Typer(help="Audit log / 审计日志。", no_args_is_help=True)
    approve_app = typer.Typer(help="Security review before go-live / 上线安全审核。", no_args_is_help=True)
    for name, sub in (("user", user_app), ("key", key_app), ("grant", grant_app), ("audit", audit_app),
                      ("approve", approve_app)):
        app.add_typer(sub, name=name)

    @user_app.command("add")
    def user_add(
        username: str,
        role: Annotated[list[str], typer.Option("--role", help="admin|secadmin|reviewer|auditor|engineer|operator|analyst|viewer|client")],
        department: Annotated[str | None, typer.Option(help="Department / 部门")] = None,
        display_name: Annotated[str | None, typer.Option("--name", help="Display name / 姓名")] = None,
        password: Annotated[bool, typer.Option("--password/--no-password", help="Set a console password / 设置登录密码")] = True,
    ) -> None:
        """Add an account / 新增用户（每人一个账号，不共用）。"""
        with open_context() as ctx:
            ctx.security.accounts.add_user(username, role, password=_password(password), department=department,
                                           display_name=display_name)
            ctx.security.audit.record(_actor(), "user.add", f"user:{username}", roles=role)
        console.print(f"已创建用户 user created: {username} ({', '.join(role)})")

    @user_app.command("list")
    def user_list() -> None:
        """List accounts / 用户列表。"""
        with open_context() as ctx:
            _table("用户 users", ctx.security.accounts.list_users(),
                   ["username", "display_name", "department", "roles", "active"])

    @user_app.command("passwd")
    def user_passwd(username: str) -> None:
        """Set a password / 设置密码。"""
        with open_context() as ctx:
            ctx.security.accounts.set_password(username, _password(True) or "")
            ctx.security.audit.record(_actor(), "user.passwd", f"user:{username}")
        console.print("密码已更新 password changed")

    @key_app.command("create")
    def key_create(
        username: str,
        label: Annotated[str | None, typer.Option(help="What the key is for / 用途")] = None,
        days: Annotated[int, typer.Option(help="Valid for days / 有效天数")] = 365,
        rate: Annotated[int | None, typer.Option(help="Requests per minute for this key / 每分钟请求上限")] = None,
        allow_ip: Annotated[list[str] | None, typer.Option(
            "--allow-ip", help="Allowed address or CIDR network, repeatable / 允许的来源地址")] = None,
    ) -> None:
        """Create an API key; shown once / 创建接口密钥（仅显示一次）。"""
        with open_context() as ctx:
            key = ctx.security.accounts.create_key(username, label=label, days=days, rate_per_minute=rate,
                                                   allowed_ips=allow_ip)
            ctx.security.audit.record(_actor(), "key.create", f"user:{username}", prefix=key.split("_")[1])
        console.print("接口密钥（仅显示这一次，请妥善保存）API key, shown only now:")
        console.print(key, highlight=False, soft_wrap=True)

    @key_app.command("list")
    def key_list() -> None:
        """List API keys (prefixes only) / 密钥列表。"""
        with open_context() as ctx:
            _table("接口密钥 API keys", ctx.security.accounts.list_keys(),
                   ["prefix", "username", "label", "created_at", "expires_at", "revoked_at", "last_used_at",
                    "rate_per_minute", "allowed_ips"])

    @key_app.command("rotate")
    def key_rotate(table: Annotated[str, typer.Argument(help="Table whose data key rotates, e.g. ods.persons / 数据表")]) -> None:
        """Rotate a table's data key and re-encrypt its sealed columns / 轮换数据密钥并重新加密。"""
        from lingshu.security.fieldcrypt import rotate_table_column

        with open_context() as ctx:
            producer = ctx.catalog.producers.get(table)
            if producer is None:
                raise LingshuError(f"no table {table!r}", hint="name a table a pack produces, e.g. ods.persons")
            node = producer.produces()[table]
            specs = node.spec.columns if getattr(node, "spec", None) else getattr(node, "columns", [])
            sealed = [c.name for c in specs if c.encrypt]
            if not sealed:
                raise LingshuError(f"{table} has no encrypted columns", hint="mark columns encrypt: true in pack.yaml")
            keyring = ctx.vault.keyring
            record = keyring.rotate(table)
            schema, name = table.split(".")
            changed = {c: rotate_table_column(ctx.engine, schema, name, c, keyring, dataset=table, key_id=table)
                       for c in sealed}
            ctx.security.audit.record(_actor(), "key.rotate", f"dataset:{table}", version=record.version,
                                      reencrypted=changed)
        console.print(f"已轮换 rotated {table} to key version {record.version}; re-encrypted values: {changed}")

    @key_app.command("rewrap")
    def key_rewrap() -> None:
        """Rotate the master key: re-wrap every data key / 轮换主密钥（重新封装数据密钥）。"""
        import os
        import time as _time

        from lingshu.security.keys import ENV_VAR, MasterKeyConfig, open_key_provider, write_key_file
        from lingshu.security.vault import KEY_FILE

        with open_context() as ctx:
            if os.environ.get(ENV_VAR):
                raise LingshuError("the master key comes from the environment",
                                   hint=f"rotate it where {ENV_VAR} is set, then run rewrap with the new key file")
            secrets_dir = ctx.workspace.folder("secrets")
            fresh = secrets_dir / f"{KEY_FILE}.new"
            fresh.unlink(missing_ok=True)
            write_key_file(fresh)
            count = ctx.vault.keyring.rewrap(open_key_provider(MasterKeyConfig(provider="file", path=fresh)))
            retired = secrets_dir / f"{KEY_FILE}.retired-{_time.strftime('%Y%m%d%H%M%S')}"
            (secrets_dir / KEY_FILE).rename(retired)
            fresh.rename(secrets_dir / KEY_FILE)
            ctx.security.audit.record(_actor(), "key.rewrap", "master-key", data_keys=count)
        console.print(f"主密钥已轮换 master key rotated; {count} data keys re-wrapped. "
                      f"The old key is kept at {retired}: destroy it once backups are verified.")

    @key_app.command("revoke")
    def key_revoke(prefix: str) -> None:
        """Revoke an API key / 吊销密钥。"""
        with open_context() as ctx:
            ctx.security.accounts.revoke_key(prefix)
            ctx.security.audit.record(_actor(), "key.revoke", f"key:{prefix}")
        console.print(f"已吊销 revoked: {prefix}")

    @grant_app.command("add")
    def grant_add(
        subject: Annotated[str, typer.Argument(help="user:<name> or role:<name>")],
        resource: Annotated[str, typer.Argument(help="dataset:ads.x | indicator:pack.id | pack:id (patterns like dataset:ads.*)")],
        actions: Annotated[str, typer.Option(help="read,export,decrypt,run")] = "read",
        columns: Annotated[str | None, typer.Option(help="Visible columns, comma-separated / 可见字段")] = None,
        rows: Annotated[str | None, typer.Option(help="Row filter, SQL condition / 行过滤条件")] = None,
        extent: Annotated[str | None, typer.Option(help="minx,miny,maxx,maxy / 空间范围")] = None,
    ) -> None:
        """Grant access / 授权。"""
        box = tuple(float(v) for v in extent.split(",")) if extent else None
        if box is not None and len(box) != 4:
            raise LingshuError("--extent needs four numbers", hint="minx,miny,maxx,maxy in WGS-84 degrees")
        with open_context() as ctx:
            grant_id = ctx.security.grants.add(subject, resource, actions.split(","),
                                               columns=columns.split(",") if columns else None, row_filter=rows,
                                               extent=box, granted_by=_actor())  # type: ignore[arg-type]
            ctx.security.audit.record(_actor(), "grant.add", resource, subject=subject, actions=actions, grant=grant_id)
        console.print(f"已授权 granted #{grant_id}: {subject} {actions} {resource}")

    @grant_app.command("list")
    def grant_list() -> None:
        """List grants / 授权列表。"""
        with open_context() as ctx:
            _table("授权 grants", ctx.security.grants.list(),
                   ["id", "subject", "resource", "actions", "columns", "row_filter", "extent", "granted_by"])

    @grant_app.command("revoke")
    def grant_revoke(grant_id: int) -> None:
        """Revoke a grant / 撤销授权。"""
        with open_context() as ctx:
            ctx.security.grants.revoke(grant_id)
            ctx.security.audit.record(_actor(), "grant.revoke", f"grant:{grant_id}")
        console.print(f"已撤销 revoked #{grant_id}")

    @audit_app.command("list")
    def audit_list(limit: Annotated[int, typer.Option(help="How many / 条数")] = 50,
                   actor: Annotated[str | None, typer.Option(help="Only this actor / 操作人")] = None) -> None:
        """Show the audit log / 查看审计日志。"""
        with open_context() as ctx:
            _table("审计日志 audit log", ctx.security.audit.list(limit, actor),
                   ["id", "ts", "actor", "action", "resource", "outcome", "detail"])

    @audit_app.command("verify")
    def audit_verify() -> None:
        """Verify the SM3 hash chain / 校验审计日志哈希链。"""
        with open_context() as ctx:
            result = ctx.security.audit.verify()
        if not result.ok:
            raise LingshuError(result.describe(), hint="restore the audit log from backup and open an incident")
        console.print(f"[green]✓[/] {result.describe()}")

    @approve_app.command("request")
    def approve_request(pack_id: str) -> None:
        """Submit a pack for security review / 提交上线审核。"""
        with open_context() as ctx:
            pack = ctx.catalog.get(pack_id)
            review = ctx.security.approvals.request(pack_id, pack.root, _actor())
            ctx.security.audit.record(_actor(), "approval.request", f"pack:{pack_id}", review=review)
        console.print(f"已提交审核 submitted for review #{review}")

    @approve_app.command("review")
    def approve_review(
        review_id: int,
        approve: Annotated[bool, typer.Option("--approve/--reject", help="Decision / 审核结论")],
        reviewer: Annotated[str, typer.Option(help="Reviewer account (reviewer role) / 审核人账号")],
        comment: Annotated[str | None, typer.Option(help="Comment / 意见")] = None,
    ) -> None:
        """Approve or reject / 审核通过或驳回。"""
        with open_context() as ctx:
            ctx.security.accounts.principal(reviewer, "cli").require("pack.approve")
            ctx.security.approvals.review(review_id, reviewer, approve, comment)
            ctx.security.audit.record(reviewer, "approval.review", f"review:{review_id}",
                                      decision="approved" if approve else "rejected", via=_actor())
        console.print("已通过 approved" if approve else "已驳回 rejected")

    @approve_app.command("show")
    def approve_show(review_id: int) -> None:
        """What a review covers: the diff since the last approval / 审核内容（与上次通过版本的差异）。"""
        with open_context() as ctx:
            text = ctx.security.approvals.changes(review_id)
        console.print(text or "（无变化 no changes）", highlight=False, markup=False)

    @approve_app.command("list")
    def approve_list(pack_id: Annotated[str | None, typer.Option("--pack")] = None) -> None:
        """Reviews and current status / 审核记录与状态。"""
        with open_context() as ctx:
            rows = ctx.security.approvals.list(pack_id)
            _table("审核 reviews", rows, ["id", "pack", "status", "requested_by", "reviewed_by", "comment",
                                          "requested_at", "reviewed_at"])
            for pid, pack in sorted(ctx.catalog.packs.items()):
                if pack_id in (None, pid):
                    console.print(f"{pid}: {ctx.security.approvals.status(pid, pack.root)}")
