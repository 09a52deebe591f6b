"""Helpers for operations tests: scheduled packs, a fake clock, approvals."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from lingshu.core.context import Context
from lingshu.core.workspace import init_workspace
from lingshu.ops import Alert
from support import ORDERS_PACK, write_files

# The orders pack, scheduled daily at 02:00 and publishing an API. Its data file is delivered to the
# workspace's raw/ folder, as providers' files are: editing the pack itself would void its approval.
SCHEDULED_ORDERS = {k: v for k, v in ORDERS_PACK.items() if not k.startswith("data/")}
SCHEDULED_ORDERS["pack.yaml"] = (ORDERS_PACK["pack.yaml"].rstrip()
                                 + "\n        apis: [ads.orders_by_town]\n        schedule: {cron: \"0 2 * * *\"}\n")

REPORT_PACK = {
    "pack.yaml": """
        id: orders_report
        name: 订单汇总
        domain: example
        department: 测试部门
        depends_on: [orders]
        models:
          - name: ads.orders_total
        schedule: {cron: "0 2 * * *"}
        """,
    "models/ads/orders_total.sql": """
        SELECT count(*) AS orders FROM dwd.orders
        """,
}


RUN_FAILED_API = Alert(kind="run_failed", key="run_failed:orders", title="场景包 orders 运行失败", source="orders",
                       pack="orders", serves_api=True)


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def make_ctx(tmp_path: Path, state_url: str | None = None, with_report: bool = False,
             report_cron: str = "0 2 * * *") -> Context:
    root = tmp_path / "packs"
    write_files(root / "orders", SCHEDULED_ORDERS)
    if with_report:
        pack = REPORT_PACK["pack.yaml"].replace('"0 2 * * *"', f'"{report_cron}"')
        write_files(root / "orders_report", {**REPORT_PACK, "pack.yaml": pack})
    ws = init_workspace(tmp_path / "ws", name="ops", state_url=state_url, pack_paths=[str(root)])
    write_files(ws.folder("raw"), {"data/orders.csv": ORDERS_PACK["data/orders.csv"]})
    ws.config.builtin_packs = False
    return Context(ws)


def approve(ctx: Context, *packs: str) -> None:
    for pack_id in packs:
        pack = ctx.catalog.get(pack_id)
        review = ctx.security.approvals.request(pack_id, pack.root, "li")
        ctx.security.approvals.review(review, "chen", True, "已审核")




def raw_csv(ctx: Context) -> Path:
    """The delivered orders file in the workspace's raw/ folder."""
    return ctx.workspace.folder("raw") / "data" / "orders.csv"


# -- a real SMTP server on 127.0.0.1, small enough to read ----------------------------------------
import base64  # noqa: E402
import socketserver  # noqa: E402
import threading  # noqa: E402
from email import message_from_bytes, policy  # noqa: E402
from email.message import EmailMessage  # noqa: E402


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Enough of RFC 5321 for smtplib: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: SmtpServer = self.server  # type: ignore[assignment]
        self.reply("220 localhost test SMTP")
        sender, rcpts, user = None, [], None
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "HELO":
                self.reply("250 localhost")
            elif verb == "AUTH":
                _, mech, blob = line.split(" ", 2)
                _, user, password = base64.b64decode(blob).decode().split("\0")
                server.logins.append((user, password))
                self.reply("235 ok")
            elif verb == "MAIL":
                sender, rcpts = line.split(":", 1)[1].strip().split()[0].strip("<>"), []
                self.reply("250 ok")
            elif verb == "RCPT":
                rcpts.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with .")
                lines = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                message = message_from_bytes(b"".join(lines), policy=policy.default)
                server.messages.append((sender, rcpts, message))
                self.reply("250 queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages: list[tuple[str | None, list[str], EmailMessage]] = []
        self.logins: list[tuple[str, str]] = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> SmtpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
