"""HTTP JSON APIs: the city data platform's 共享交换 interfaces and departments' own services.

Pagination by page number and size, by offset and limit, or by a cursor the response hands back;
the records sit at ``record_path`` in each response. Tokens come from the workspace's secrets
(``auth: {secret: city_platform_token, header: Authorization, prefix: "Bearer "}``), never from
the pack. Transient failures (timeouts, refused connections, 429 and 5xx) are retried with
exponential backoff, honouring ``Retry-After``; ``rate_limit`` spaces requests out so a shared
platform does not throttle us. Pages are spooled to disk as they arrive, so memory stays flat.
"""

from __future__ import annotations

import time
from typing import Any, Literal
from urllib.parse import urlencode

import pyarrow as pa
from pydantic import Field, HttpUrl

from lingshu.connectors.base import CONNECTORS, ConnectorError, ReadContext, SourceOptions, parse_options
from lingshu.connectors.records import RecordSpool, dig
from lingshu.connectors.secrets import read_secret
from lingshu.core.yamlfile import Strict
from lingshu.pack.spec import SourceSpec

RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


class AuthOptions(Strict):
    secret: str = Field(description="name of the secret holding the token")
    header: str | None = Field("Authorization", description="header carrying the token")
    prefix: str = Field("", description='put before the token, e.g. "Bearer "')
    param: str | None = Field(None, description="send the token as this query parameter instead of a header")


class PaginationOptions(Strict):
    type: Literal["none", "page", "offset", "cursor"] = "none"
    page_param: str = "page"
    size_param: str = "size"
    first_page: int = 1
    offset_param: str = "offset"
    limit_param: str = "limit"
    page_size: int = Field(100, ge=1)
    cursor_param: str = "cursor"
    cursor_path: str = Field("next_cursor", description="dotted path of the next cursor in a response")
    max_pages: int = Field(10_000, ge=1, description="a safety stop for APIs that never say 'done'")


class HttpOptions(SourceOptions):
    url: HttpUrl
    method: Literal["GET", "POST"] = "GET"
    params: dict[str, Any] = Field(default_factory=dict, description="fixed query parameters")
    body: dict[str, Any] | None = Field(None, description="JSON body for POST; page parameters go here too")
    headers: dict[str, str] = Field(default_factory=dict, description="fixed headers (no secrets here)")
    auth: AuthOptions | None = None
    record_path: str | None = Field(None, description="dotted path to the records, e.g. data.list")
    pagination: PaginationOptions = Field(default_factory=PaginationOptions)
    timeout: float = Field(30.0, gt=0, description="seconds per request")
    retries: int = Field(3, ge=0, description="retries after the first attempt")
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds, doubled each time")
    rate_limit: float | None = Field(None, gt=0, description="at most this many requests per second")
    since_param: str | None = Field(None, description="incremental: send the watermark in this parameter")


class _Client:
    """One source's requests: auth, retries with backoff, rate limit; secrets scrubbed from errors."""

    def __init__(self, source: SourceSpec, opts: HttpOptions, ctx: ReadContext):
        import httpx

        self.source, self.opts = source, opts
        self.url = str(opts.url)
        self.headers = dict(opts.headers)
        self.auth_params: dict[str, str] = {}
        self.secret: str | None = None
        if opts.auth:
            self.secret = read_secret(opts.auth.secret, ctx.secrets_dir)
            if opts.auth.param:
                self.auth_params[opts.auth.param] = opts.auth.prefix + self.secret
            elif opts.auth.header:
                if not (opts.auth.prefix + self.secret).isascii():
                    raise ConnectorError(f"source {source.name!r}: secret {opts.auth.secret!r} has non-ASCII "
                                         "characters, which an HTTP header cannot carry",
                                         hint="check the secret file's content (a stray full-width character?)")
                self.headers[opts.auth.header] = opts.auth.prefix + self.secret
        self.client = httpx.Client(timeout=opts.timeout, headers=self.headers, follow_redirects=True)
        self.last_request = 0.0

    def _scrub(self, text: str) -> str:
        return text.replace(self.secret, "***") if self.secret else text

    def _fail(self, what: str, hint: str) -> ConnectorError:
        return ConnectorError(self._scrub(f"source {self.source.name!r}: {what}"), hint=hint)

    def _wait_for_rate_limit(self) -> None:
        if self.opts.rate_limit:
            gap = 1.0 / self.opts.rate_limit - (time.monotonic() - self.last_request)
            if gap > 0:
                time.sleep(gap)
        self.last_request = time.monotonic()

    def fetch(self, params: dict[str, Any], page_label: str) -> Any:
        import httpx

        opts = self.opts
        query = {**opts.params, **(params if opts.method == "GET" else {}), **self.auth_params}
        body = {**(opts.body or {}), **params} if opts.method == "POST" else None
        delay = opts.backoff
        attempts = opts.retries + 1
        problem = ""
        for attempt in range(1, attempts + 1):
            self._wait_for_rate_limit()
            retry_after = None
            try:
                response = self.client.request(opts.method, self.url, params=query, json=body)
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    try:
                        return response.json()
                    except ValueError:
                        raise self._fail(f"{page_label} is not JSON (content-type "
                                         f"{response.headers.get('content-type', '?')}): {response.text[:120]!r}",
                                         hint="check url: and that the service returns JSON") from None
                problem = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUS:
                    hint = ("check the token in the secret named by auth:" if response.status_code in (401, 403)
                            else "check url:, params: and pagination: of the source")
                    raise self._fail(f"{page_label} answered {problem}: {response.text[:200]!r}", hint=hint)
                retry_after = _retry_after(response.headers.get("retry-after"))
            if attempt < attempts:
                time.sleep(min(MAX_RETRY_AFTER, max(delay, retry_after or 0.0)))
                delay *= 2
        raise self._fail(f"{page_label} failed {attempts} time(s), last: {problem}",
                         hint="the service may be down; raise retries:/timeout: or try again later")

    def close(self) -> None:
        self.client.close()


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _records(document: Any, opts: HttpOptions, label: str) -> list[Any]:
    records = dig(document, opts.record_path, label)
    if records is None:
        return []
    if isinstance(records, dict):
        return [records]
    if not isinstance(records, list):
        raise ConnectorError(f"{label}: the records are a {type(records).__name__}, not a list",
                             hint="point record_path: at the list of records")
    return records


# Pagination styles: what to send for page ``i``, and whether another page follows this one.
# A registry rather than branches, so a department's odd style is one more entry.
def _page_params(p: PaginationOptions, i: int, cursor: Any) -> dict[str, Any]:
    return {p.page_param: p.first_page + i, p.size_param: p.page_size}


def _offset_params(p: PaginationOptions, i: int, cursor: Any) -> dict[str, Any]:
    return {p.offset_param: i * p.page_size, p.limit_param: p.page_size}


def _cursor_params(p: PaginationOptions, i: int, cursor: Any) -> dict[str, Any]:
    return {p.cursor_param: cursor} if cursor is not None else {}


def _full_page(p: PaginationOptions, records: list[Any], document: Any) -> tuple[bool, Any]:
    return len(records) >= p.page_size, None  # a short page is the last one


def _next_cursor(p: PaginationOptions, records: list[Any], document: Any) -> tuple[bool, Any]:
    current = document
    for part in p.cursor_path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    return current not in (None, ""), current


PAGERS: dict[str, tuple[Any, Any]] = {
    "none": (lambda p, i, c: {}, lambda p, r, d: (False, None)),
    "page": (_page_params, _full_page),
    "offset": (_offset_params, _full_page),
    "cursor": (_cursor_params, _next_cursor),
}


class HttpConnector:
    options = HttpOptions

    def read(self, source: SourceSpec, ctx: ReadContext) -> pa.RecordBatchReader:
        opts = parse_options(HttpOptions, source)
        client = _Client(source, opts, ctx)
        spool = RecordSpool()
        pages = opts.pagination
        page_params, more = PAGERS[pages.type]
        base: dict[str, Any] = {}
        if ctx.since is not None and opts.since_param:
            base[opts.since_param] = ctx.since.value
        number = 0
        cursor: Any = None
        try:
            for i in range(pages.max_pages):
                step = page_params(pages, i, cursor)
                # The label names the page for quarantine and errors; auth parameters never enter it.
                label = f"{client.url}#{urlencode(step)}" if step else client.url
                document = client.fetch({**base, **step}, label)
                try:
                    records = _records(document, opts, label)
                except ConnectorError as exc:
                    raise ConnectorError(f"source {source.name!r}: {exc.message}", hint=exc.hint) from None
                for record in records:
                    number += 1
                    spool.add(record, label, number)
                go_on, cursor = more(pages, records, document)
                if not records or not go_on:
                    break
            else:
                raise ConnectorError(f"source {source.name!r}: still more pages after max_pages={pages.max_pages}",
                                     hint="raise pagination.max_pages, or check the API really ends")
        finally:
            client.close()
        return spool.reader()


CONNECTORS.add("http", HttpConnector())
