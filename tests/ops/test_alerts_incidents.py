"""Incidents graded by rules, SLA timers on a fake clock, the library, and real alert deliveries."""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lingshu.ops import Alert, Ops
from lingshu.ops.config import load_ops_config
from lingshu.ops.errors import OpsError
from lingshu.ops.monitor import HEALTH_CHECKS, check_health, check_stale_sources
from ops_support import RUN_FAILED_API, FakeClock, SmtpServer



def test_grading_rules_and_deadlines(ops: Ops) -> None:
    cases = {
        "urgent": Alert(kind="health_check", key="health_check:warehouse", title="仓库不可用", source="warehouse"),
        "serious": RUN_FAILED_API,
        "general": Alert(kind="run_failed", key="run_failed:internal", title="内部任务失败", pack="internal"),
    }
    expected = {"urgent": (15, 60), "serious": (30, 120), "general": (120, 1440)}
    for grade, alert in cases.items():
        incident = ops.incidents.get(ops.raise_alert(alert))
        assert incident["grade"] == grade
        response, recovery = expected[grade]
        assert (incident["response_due"] - incident["opened_at"]).total_seconds() == response * 60
        assert (incident["recovery_due"] - incident["opened_at"]).total_seconds() == recovery * 60
    assert {i["grade_label"] for i in ops.incidents.list()} == {"紧急", "严重", "一般"}


def test_sla_timers_with_a_fake_clock(ops: Ops, clock: FakeClock) -> None:
    late = ops.raise_alert(RUN_FAILED_API)  # 严重: respond within 30 min, recover within 2 h
    clock.advance(minutes=29)
    assert ops.incidents.get(late)["response_sla"] == "pending"
    clock.advance(minutes=2)
    assert ops.incidents.get(late)["response_sla"] == "breached"
    assert [i["id"] for i in ops.incidents.overdue()] == [late]
    ops.incidents.acknowledge(late, "wang")
    assert ops.incidents.get(late)["response_sla"] == "breached"  # answered, but late
    clock.advance(minutes=60)
    done = ops.incidents.resolve(late, "wang", cause="源库账号过期", fix="更新只读账号密码并重跑")
    assert (done["status"], done["recovery_sla"]) == ("resolved", "met")
    assert ops.incidents.overdue() == []

    quick = ops.raise_alert(Alert(kind="health_check", key="health_check:state", title="状态库不可用", source="state"))
    clock.advance(minutes=10)
    ops.incidents.acknowledge(quick, "li")
    clock.advance(minutes=55)  # 65 min after opening: past the 紧急 1 h recovery deadline
    assert ops.incidents.get(quick)["response_sla"] == "met"
    assert ops.incidents.get(quick)["recovery_sla"] == "breached"


def test_lifecycle_dedup_and_searchable_library(ops: Ops) -> None:
    first = ops.raise_alert(RUN_FAILED_API)
    assert ops.raise_alert(RUN_FAILED_API) == first  # a repeat while open is another occurrence
    assert ops.incidents.get(first)["occurrences"] == 2
    with pytest.raises(OpsError, match="cannot be closed"):
        ops.incidents.close(first, "wang")
    with pytest.raises(OpsError, match="cause and its fix"):
        ops.incidents.resolve(first, "wang", cause="", fix="重跑")
    ops.incidents.resolve(first, "wang", cause="上游文件服务器磁盘满，订单文件未送达", fix="清理磁盘后补跑 backfill")
    closed = ops.incidents.close(first, "zhao")
    assert closed["status"] == "closed" and closed["acknowledged_by"] == "wang"
    assert ops.raise_alert(RUN_FAILED_API) != first  # after resolution, a new failure is a new incident
    assert [i["id"] for i in ops.incidents.list(query="磁盘满")] == [first]
    assert [i["id"] for i in ops.incidents.list(query="backfill 订单", status="closed")] == [first]
    assert ops.incidents.list(query="不存在的词") == []
    assert len(ops.incidents.list(grade="严重")) == 2


def test_workspace_rules_override_the_defaults(ops: Ops) -> None:
    (ops.ctx.workspace.root / "ops.yaml").write_text(
        "incidents:\n  rules:\n    - {name: orders_is_core, grade: 紧急, when: {packs: [orders]}}\n", encoding="utf-8")
    overridden = Ops(ops.ctx, clock=ops.clock)
    assert overridden.incidents.get(overridden.raise_alert(RUN_FAILED_API))["grade"] == "urgent"
    (ops.ctx.workspace.root / "ops.yaml").write_text("incidents:\n  rules:\n    - {name: x, grade: 很急}\n",
                                                     encoding="utf-8")
    with pytest.raises(Exception, match="ops.yaml:3"):
        load_ops_config(ops.ctx.workspace.root)


def test_failed_health_check_and_stale_source_raise_alerts(ops: Ops, clock: FakeClock) -> None:
    HEALTH_CHECKS.add("always_down", _down)
    try:
        [alert] = check_health(ops)
    finally:
        HEALTH_CHECKS._items.pop("always_down")
    assert ops.incidents.list()[0]["grade"] == "urgent" and alert.source == "always_down"
    from ops_support import approve

    approve(ops.ctx, "orders")
    ops.ctx.run("orders")  # stamped with the real time
    clock.now = datetime.now(UTC)
    assert check_stale_sources(ops) == []
    clock.advance(hours=27)  # the default limit is 26 h
    [stale] = check_stale_sources(ops)
    assert stale.source == "ods.orders" and ops.incidents.get(ops.raise_alert(stale))["grade"] == "general"


def _down(ops: Ops) -> None:
    raise ConnectionError("数据服务无响应")


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict, dict]] = []
    fail_first = 0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((dict(self.headers), body))
        failing = type(self).fail_first > 0
        type(self).fail_first -= 1
        self.send_response(503 if failing else 200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_webhook_is_received_by_a_local_http_server(ops: Ops, sleeps: list[float]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Hook.received, _Hook.fail_first = [], 1  # the first POST gets a 503: retried
    secrets = ops.ctx.workspace.folder("secrets")
    (secrets / "hook_token").write_text("tok-s3cret-value\n", encoding="utf-8")
    os.chmod(secrets / "hook_token", 0o600)
    url = f"http://127.0.0.1:{server.server_address[1]}/lingshu/alerts?access_token=abc123"
    (ops.ctx.workspace.root / "ops.yaml").write_text(
        f"alerts:\n  webhooks:\n    - {{url: '{url}', token_secret: hook_token, backoff_seconds: 1}}\n", encoding="utf-8")
    try:
        ops = Ops(ops.ctx, clock=ops.clock, sleep=sleeps.append)
        incident_id = ops.raise_alert(RUN_FAILED_API)
    finally:
        server.shutdown()
        server.server_close()
    assert len(_Hook.received) == 2 and sleeps == [1]
    headers, body = _Hook.received[-1]
    assert headers["Authorization"] == "Bearer tok-s3cret-value"
    assert body["incident"]["id"] == incident_id and body["incident"]["grade_label"] == "严重"
    assert "响应时限" in body["text"]
    hook = [n for n in ops.alerts.notifications() if n["channel"] == "webhook"][0]
    assert (hook["status"], hook["attempts"]) == ("sent", 2)
    # Neither the token secret nor the URL's token is stored anywhere in the notification.
    assert "abc123" not in hook["target"] and "s3cret" not in json.dumps(ops.alerts.notifications(), default=str)


def test_unreachable_webhook_is_recorded_not_raised(ops: Ops) -> None:
    (ops.ctx.workspace.root / "ops.yaml").write_text(
        "alerts:\n  webhooks:\n    - {url: 'http://127.0.0.1:9/x', attempts: 2, timeout_seconds: 1}\n", encoding="utf-8")
    ops = Ops(ops.ctx, clock=ops.clock, sleep=lambda _: None)
    ops.raise_alert(RUN_FAILED_API)
    hook = [n for n in ops.alerts.notifications() if n["channel"] == "webhook"][0]
    assert hook["status"] == "failed" and hook["attempts"] == 2 and hook["error"]


def test_email_to_a_local_smtp_server(ops: Ops, tmp_path: Path) -> None:
    secrets = ops.ctx.workspace.folder("secrets")
    (secrets / "smtp_password").write_text("pw-very-secret", encoding="utf-8")
    os.chmod(secrets / "smtp_password", 0o600)
    with SmtpServer() as smtp:
        (ops.ctx.workspace.root / "ops.yaml").write_text(
            "alerts:\n  email:\n"
            f"    {{host: 127.0.0.1, port: {smtp.port}, username: lingshu, password_secret: smtp_password,\n"
            "     sender: lingshu@lingang.example, to: [duty@lingang.example, ops@lingang.example]}\n", encoding="utf-8")
        ops = Ops(ops.ctx, clock=ops.clock)
        incident_id = ops.raise_alert(RUN_FAILED_API)
    [(sender, rcpts, message)] = smtp.messages
    assert sender == "lingshu@lingang.example" and rcpts == ["duty@lingang.example", "ops@lingang.example"]
    assert message["Subject"] == "[临数告警][严重] 场景包 orders 运行失败"
    assert f"#{incident_id}" in message.get_content() and "恢复时限" in message.get_content()
    assert smtp.logins == [("lingshu", "pw-very-secret")]
    mail = [n for n in ops.alerts.notifications() if n["channel"] == "email"][0]
    assert mail["status"] == "sent" and "pw-very-secret" not in json.dumps(mail, default=str)
