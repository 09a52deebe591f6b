"""Shared bits of the HTML side: templates, the signed-in user of a page, static assets.

Pages answer an unsigned visitor with a redirect to the sign-in page (an API answers 401).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from lingshu import __version__
from lingshu.core.context import Context
from lingshu.core.errors import LingshuError
from lingshu.security.accounts import AuthError, Principal
from lingshu.security.roles import ROLES
from lingshu.serve.app import WEB_DIST
from lingshu.serve.auth import principal_of

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "web" / "templates"))


class NeedsSignIn(LingshuError):
    """A page was asked for without a session; the console answers with the sign-in page."""


def page_principal(ctx: Context, request: Request) -> Principal | None:
    try:
        return principal_of(ctx, request)
    except AuthError:
        return None


def to_login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def render(request: Request, template: str, principal: Principal | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    assets_built = (WEB_DIST / "echarts.min.js").exists()
    context.setdefault("roles_text", roles_text(principal))
    return TEMPLATES.TemplateResponse(request, template, {
        "user": principal, "version": __version__, "assets_built": assets_built, **context}, status_code=status_code)


def roles_text(principal: Principal | None) -> str:
    """The user's roles by their Chinese titles, for the top bar."""
    if principal is None:
        return ""
    return "、".join(ROLES.get(r).title if r in ROLES else r for r in principal.roles)


def static_file(path: str) -> Response:
    """A file of the built front end (``make setup`` builds it); nothing else is reachable."""
    root = WEB_DIST.resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        return Response("未找到 not found", status_code=404, media_type="text/plain; charset=utf-8")
    media = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if media.startswith("text/") or media == "application/javascript":
        media += "; charset=utf-8"
    return Response(target.read_bytes(), media_type=media, headers={"Cache-Control": "max-age=300"})
