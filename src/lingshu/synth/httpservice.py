"""A stand-in for the city data-sharing platform (城市数据共享交换平台) over generated JSON datasets.

``GET /api/v1/datasets`` lists datasets; ``GET /api/v1/datasets/{name}?page=1&size=100`` returns
``{"code": 0, "msg": "success", "data": {"total", "page", "size", "records": [...]}}``. Every
request needs the token, as ``Authorization: Bearer <token>`` or ``X-Token: <token>``; a wrong or
missing token gets 401 with code 401. Records are read from the JSON-lines files by line offset,
so serving a big dataset does not load it into memory.

``start_http_service(out)`` runs it on a free 127.0.0.1 port in a background thread and returns a
handle with ``url``, ``token`` and ``stop()`` (also a context manager).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lingshu.synth.errors import SynthError

DEFAULT_TOKEN = "lingang-demo-token"
MAX_SIZE = 1000


class JsonlIndex:
    """Byte offsets of every line of a JSON-lines file, for random access to a page of records."""

    def __init__(self, path: Path):
        self.path = path
        offsets = [0]
        with open(path, "rb") as f:
            for line in f:
                offsets.append(offsets[-1] + len(line))
        self.offsets = np.array(offsets, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def page(self, start: int, count: int) -> list[Any]:
        end = min(len(self), start + count)
        if start >= end:
            return []
        with open(self.path, "rb") as f:
            f.seek(int(self.offsets[start]))
            blob = f.read(int(self.offsets[end] - self.offsets[start]))
        return [json.loads(x) for x in blob.decode("utf-8").splitlines() if x]


def datasets_of(out: Path) -> dict[str, Path]:
    """name -> JSON-lines path of every HTTP dataset in a generated output folder."""
    manifest = out / "manifest.json"
    if not manifest.exists():
        raise SynthError(f"{out} has no manifest.json", hint="run `lingshu synth --out DIR` first, then serve DIR")
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    return {f["table"]: out / f["path"] for f in doc["files"] if f.get("served_at")}


def create_app(out: str | Path, token: str = DEFAULT_TOKEN):
    """The FastAPI app serving ``out``'s HTTP datasets."""
    from fastapi import FastAPI, Header, Query
    from fastapi.responses import JSONResponse

    out = Path(out)
    indexes = {name: JsonlIndex(path) for name, path in sorted(datasets_of(out).items())}
    app = FastAPI(title="城市数据共享交换平台 (合成, synthetic stand-in)", docs_url=None, redoc_url=None, openapi_url=None)

    def denied(authorization: str | None, x_token: str | None) -> JSONResponse | None:
        given = x_token or (authorization or "").removeprefix("Bearer ").strip()
        if given != token:
            return JSONResponse({"code": 401, "msg": "令牌无效或缺失 invalid or missing token", "data": None}, status_code=401)
        return None

    @app.get("/api/v1/datasets")
    def list_datasets(authorization: str | None = Header(None), x_token: str | None = Header(None)):
        if (bad := denied(authorization, x_token)) is not None:
            return bad
        return {"code": 0, "msg": "success", "data": [{"name": n, "total": len(ix)} for n, ix in indexes.items()]}

    @app.get("/api/v1/datasets/{name}")
    def page(name: str, page: int = Query(1, ge=1), size: int = Query(100, ge=1, le=MAX_SIZE),
             authorization: str | None = Header(None), x_token: str | None = Header(None)):
        if (bad := denied(authorization, x_token)) is not None:
            return bad
        ix = indexes.get(name)
        if ix is None:
            return JSONResponse({"code": 404, "msg": f"数据集不存在 unknown dataset {name!r}; known: {', '.join(indexes)}",
                                 "data": None}, status_code=404)
        records = ix.page((page - 1) * size, size)
        return {"code": 0, "msg": "success", "data": {"total": len(ix), "page": page, "size": size, "records": records}}

    return app


@dataclass
class HttpService:
    """A running service: ``url`` (no trailing slash), ``token``, ``datasets``; ``stop()`` ends it."""

    url: str
    token: str
    datasets: list[str]
    _server: Any = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def dataset_url(self, name: str) -> str:
        return f"{self.url}/api/v1/datasets/{name}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> HttpService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_http_service(out: str | Path, token: str = DEFAULT_TOKEN, port: int = 0, timeout: float = 15.0) -> HttpService:
    """Serve ``out`` on 127.0.0.1 (a free port unless ``port`` is given) in a daemon thread."""
    import uvicorn

    app = create_app(out, token)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as e:
        raise SynthError(f"cannot listen on 127.0.0.1:{port}: {e}", hint="use port 0 for a free port") from e
    sock.listen(128)
    real_port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.install_signal_handlers = lambda: None  # not the main thread
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="synth-http")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise SynthError("the synthetic data-sharing service did not start", hint="run with --debug to see why")
        time.sleep(0.02)
    names = sorted(datasets_of(Path(out)))
    return HttpService(f"http://127.0.0.1:{real_port}", token, names, server, thread)
