"""Raise an alert: record it, open or update its incident, and notify every configured channel.

Channels are a registry (console, webhook, email): each sends and reports deliveries, which are
written to ``notifications``. A channel that fails is recorded as failed, never raised: the alert
path must not take down the scheduler that called it. Secrets (SMTP password, webhook token) are
read from the workspace's ``secrets/`` folder at send time and never written to a log or a row.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

from lingshu.core.registry import Registry
from lingshu.ops.config import GRADE_LABELS, AlertsConfig, Grade
from lingshu.ops.events import KINDS, Alert
from lingshu.ops.incidents import IncidentBook
from lingshu.ops.timeutil import Clock, local_text, utcnow
from lingshu.state.schema import alerts, notifications
from lingshu.state.store import StateStore


@dataclass
class Delivery:
    channel: str
    target: str | None
    status: str  # unread (console), sent, failed
    attempts: int = 1
    error: str | None = None


@dataclass
class Notice:
    """One alert as the channels see it."""

    alert_id: int
    alert: Alert
    incident: dict[str, Any]

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[Grade(self.incident["grade"])]

    @property
    def subject(self) -> str:
        return f"[临数告警][{self.grade_label}] {self.alert.title}"

    def text(self) -> str:
        i = self.incident
        lines = [
            f"告警类型：{KINDS.get(self.alert.kind, self.alert.kind)}",
            f"事件编号：#{i['id']}（第 {i['occurrences']} 次）  等级：{self.grade_label}",
            f"来源：{self.alert.source or '-'}",
            f"响应时限：{local_text(i['response_due'])}  恢复时限：{local_text(i['recovery_due'])}（北京时间）",
        ]
        if self.alert.message:
            lines += ["", self.alert.message]
        return "\n".join(lines)

    def payload(self) -> dict[str, Any]:
        i = self.incident
        return {
            "alert_id": self.alert_id, "kind": self.alert.kind, "title": self.alert.title,
            "message": self.alert.message, "source": self.alert.source,
            "incident": {"id": i["id"], "grade": i["grade"], "grade_label": self.grade_label,
                         "status": i["status"], "occurrences": i["occurrences"],
                         "response_due": i["response_due"].isoformat(), "recovery_due": i["recovery_due"].isoformat()},
            "text": self.text(),
        }


SecretReader = Callable[[str], str]
Sender = Callable[["AlertCenter", Notice], list[Delivery]]
CHANNELS: Registry[Sender] = Registry("alert channel")


def safe_target(url: str) -> str:
    """A URL without user info or query string: webhook tokens often ride in either."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


@CHANNELS.register("console")
def _console(center: AlertCenter, notice: Notice) -> list[Delivery]:
    if not center.config.console:
        return []
    # The row itself is the console notification; the console lists unread rows.
    return [Delivery("console", None, "unread")]


@CHANNELS.register("webhook")
def _webhook(center: AlertCenter, notice: Notice) -> list[Delivery]:
    out = []
    for hook in center.config.webhooks:
        headers = {"User-Agent": "lingshu-alerts"}
        error = None
        try:
            if hook.token_secret:
                headers["Authorization"] = f"Bearer {center.secret(hook.token_secret)}"
        except Exception as exc:  # a missing secret is a delivery failure, not a crash
            out.append(Delivery("webhook", safe_target(hook.url), "failed", 0, _first_line(exc)))
            continue
        for attempt in range(1, hook.attempts + 1):
            try:
                response = httpx.post(hook.url, json=notice.payload(), headers=headers, timeout=hook.timeout_seconds)
                if response.status_code < 300:
                    error = None
                    break
                error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {_first_line(exc)}"
            if attempt < hook.attempts:
                center.sleep(hook.backoff_seconds * attempt)
        out.append(Delivery("webhook", safe_target(hook.url), "failed" if error else "sent", attempt, error))
    return out


@CHANNELS.register("email")
def _email(center: AlertCenter, notice: Notice) -> list[Delivery]:
    cfg = center.config.email
    if cfg is None:
        return []
    target = f"smtp://{cfg.host}:{cfg.port} -> {', '.join(cfg.to)}"
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = notice.subject, cfg.sender, ", ".join(cfg.to)
    msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="lingshu")
    msg.set_content(notice.text(), charset="utf-8")
    try:
        password = center.secret(cfg.password_secret) if cfg.password_secret else None
        smtp_class = smtplib.SMTP_SSL if cfg.ssl else smtplib.SMTP
        with smtp_class(cfg.host, cfg.port, timeout=cfg.timeout_seconds) as smtp:
            if cfg.starttls and not cfg.ssl:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.username and password is not None:
                smtp.login(cfg.username, password)
            smtp.send_message(msg)
    except Exception as exc:  # SMTP, socket or secret errors: recorded, never raised
        return [Delivery("email", target, "failed", 1, f"{type(exc).__name__}: {_first_line(exc)}")]
    return [Delivery("email", target, "sent")]


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:300]


class AlertCenter:
    def __init__(self, store: StateStore, config: AlertsConfig, incidents: IncidentBook, *,
                 secrets: SecretReader, clock: Clock = utcnow, sleep: Callable[[float], Any] = time.sleep):
        self.engine = store.engine
        self.config = config
        self.incidents = incidents
        self.secret = secrets
        self.clock = clock
        self.sleep = sleep

    def raise_alert(self, alert: Alert) -> Notice:
        incident_id, _ = self.incidents.open_or_touch(alert)
        incident = self.incidents.get(incident_id)
        with self.engine.begin() as c:
            alert_id = int(c.execute(alerts.insert().values(
                kind=alert.kind, key=alert.key, title=alert.title[:300], message=alert.message, source=alert.source,
                grade=incident["grade"], incident_id=incident_id, created_at=self.clock())).inserted_primary_key[0])
        notice = Notice(alert_id, alert, incident)
        deliveries = [d for _, send in CHANNELS.items() for d in send(self, notice)]
        if deliveries:
            with self.engine.begin() as c:
                c.execute(notifications.insert(), [
                    {"alert_id": alert_id, "channel": d.channel, "target": d.target, "status": d.status,
                     "attempts": d.attempts, "error": d.error, "created_at": self.clock()} for d in deliveries])
        return notice

    # -- the console's list ---------------------------------------------------------------------
    def notifications(self, *, unread_only: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        q = (sa.select(notifications, alerts.c.kind, alerts.c.title, alerts.c.grade, alerts.c.incident_id)
             .join(alerts, alerts.c.id == notifications.c.alert_id).order_by(notifications.c.id.desc()).limit(limit))
        if unread_only:
            q = q.where(notifications.c.status == "unread")
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(q)]

    def mark_read(self, notification_id: int) -> None:
        with self.engine.begin() as c:
            c.execute(notifications.update().where(notifications.c.id == notification_id,
                                                   notifications.c.status == "unread")
                      .values(status="read", read_at=self.clock()))

    def list_alerts(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(sa.select(alerts).order_by(alerts.c.id.desc()).limit(limit))]


def workspace_secrets(secrets_dir: Path) -> SecretReader:
    """Read secrets the way sources do: ``LINGSHU_SECRET_<NAME>`` or ``secrets/<name>`` (mode 600)."""
    from lingshu.connectors.secrets import read_secret

    return lambda name: read_secret(name, secrets_dir)
