"""Pictures for documents: SVG -> PNG and page screenshots, with Debian's Chromium via Playwright.

python-docx embeds raster images only, and there is no imaging library in the platform's pins,
so the browser that already draws the dashboards draws the documents' pictures too. Every
request a page makes that is not to 127.0.0.1/localhost is aborted (the intranet has no internet,
and a document must never depend on it). Playwright is a dev dependency: without it (or without
Chromium) documents are still written, and say that the picture is missing and why.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
LOCAL = {"127.0.0.1", "localhost"}


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium for a whole documents run (started lazily, on first picture)."""

    def __init__(self) -> None:
        self._pw: Any = None
        self._browser: Any = None
        self.unavailable: str | None = None
        self.blocked: list[str] = []  # non-local URLs a page asked for (aborted)

    def _start(self) -> Any:
        if self._browser is not None or self.unavailable:
            return self._browser
        exe = chromium_path()
        if exe is None:
            self.unavailable = "未找到 Chromium（/usr/bin/chromium），请安装 Debian 软件包 chromium"
            return None
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            self.unavailable = "未安装 Playwright（pip install -e '.[dev]'），无法绘制图片"
            return None
        try:
            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(executable_path=exe, args=ARGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - any launch failure means "no pictures", said in the document
            self.unavailable = f"Chromium 无法启动：{str(exc).splitlines()[0]}"
            self.close()
        return self._browser

    @property
    def available(self) -> bool:
        return self._start() is not None

    def _guard(self, route: Any) -> None:
        parsed = urlparse(route.request.url)
        if parsed.scheme in ("data", "blob", "about") or parsed.hostname in LOCAL:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def new_context(self, width: int, height: int, scale: float = 1.0) -> Any:
        browser = self._start()
        if browser is None:
            return None
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale,
                                      locale="zh-CN")
        context.route("**/*", self._guard)
        return context

    def svg_png(self, svg: str, width: int, height: int) -> bytes | None:
        """The SVG drawn at twice its size (sharp in print), or None when there is no browser."""
        context = self.new_context(width, height, scale=2.0)
        if context is None:
            return None
        try:
            page = context.new_page()
            page.set_content(f'<html><body style="margin:0;background:#fff">{svg}</body></html>')
            return page.locator("svg").first.screenshot(type="png")
        finally:
            context.close()

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._pw is not None:
            self._pw.stop()
            self._pw = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
