"""Who is calling: API keys (``Authorization: Bearer lsk_...`` or ``X-API-Key``) and console sessions.

``require(ctx)`` gives a FastAPI dependency that resolves the caller to a ``Principal`` or answers
401; every sign-in attempt is audited.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from lingshu.core.context import Context
from lingshu.security.accounts import AuthError, Principal

SESSION_COOKIE = "lingshu_session"


def _api_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("x-api-key")


def principal_of(ctx: Context, request: Request) -> Principal:
    """The caller; may read or write the state store (a blocking call: not on the event loop)."""
    key = _api_key(request)
    if key:
        return ctx.security.accounts.check_key(key)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        return ctx.security.accounts.check_session(token)
    raise AuthError("not signed in", hint="sign in on the console, or send an API key as 'Authorization: Bearer <key>'")


def require(ctx: Context) -> Callable[[Request], Awaitable[Principal]]:
    async def dependency(request: Request) -> Principal:
        # An API call's key is nearly always answered from memory (``check_key_cached``), on the
        # event loop. As sync functions, this and the rate limit each cost a request a hop to a
        # worker thread and back: a fifth to a third of the server's CPU per page under load
        # (benchmarks/api_vs_datasette.py, docs/benchmark-notes.md). What needs the store (a key
        # not cached, its last-used write, a console session) still runs on a worker thread, so
        # the loop never waits for the database.
        key = _api_key(request)
        if key:
            principal = ctx.security.accounts.check_key_cached(key)
            if principal is not None:
                return principal
        return await run_in_threadpool(principal_of, ctx, request)

    return dependency


class Credentials(BaseModel):
    username: str
    password: str


def router(ctx: Context) -> APIRouter:
    r = APIRouter(prefix="/api/v1/auth", tags=["认证 auth"])
    current = require(ctx)

    @r.post("/login")
    def login(body: Credentials, response: Response) -> dict[str, object]:
        try:
            principal = ctx.security.accounts.sign_in(body.username, body.password)
        except AuthError:
            ctx.security.audit.record(body.username[:64], "auth.login", outcome="denied")
            raise
        token = ctx.security.accounts.open_session(principal)
        ctx.security.audit.record(principal.username, "auth.login")
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", max_age=8 * 3600)
        return {"username": principal.username, "roles": list(principal.roles)}

    @r.post("/logout")
    def logout(request: Request, response: Response) -> dict[str, str]:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            ctx.security.accounts.close_session(token)
        response.delete_cookie(SESSION_COOKIE)
        return {"status": "signed out"}

    @r.get("/me")
    def me(principal: Principal = Depends(current)) -> dict[str, object]:
        return {"username": principal.username, "roles": list(principal.roles), "department": principal.department,
                "permissions": sorted(principal.permissions), "via": principal.via}

    return r
