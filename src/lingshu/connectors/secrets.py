"""Secrets for sources (database passwords, API tokens), never written in a pack.

A pack names a secret (``password_secret: city_db``, ``auth: {secret: city_platform_token}``); its
value comes from the environment variable ``LINGSHU_SECRET_<NAME>`` (set by the deployment) or
from the file ``secrets/<name>`` in the workspace, which must be readable by its owner only.
Values are never logged and never put in an error message.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from lingshu.connectors.base import ConnectorError

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
ENV_PREFIX = "LINGSHU_SECRET_"


def read_secret(name: str, secrets_dir: Path | None) -> str:
    if not NAME.match(name):
        raise ConnectorError(f"{name!r} is not a secret name", hint="secret names are letters, digits and _")
    env = os.environ.get(ENV_PREFIX + name.upper())
    if env:
        return env
    path = secrets_dir / name if secrets_dir else None
    if path is None or not path.is_file():
        where = f"{path}" if path else "the workspace's secrets/ folder"
        raise ConnectorError(f"secret {name!r} is not set",
                             hint=f"write it to {where} (chmod 600) or set {ENV_PREFIX}{name.upper()}")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConnectorError(f"secret file {path} can be read by other users (mode {stat.S_IMODE(mode):o})",
                             hint=f"chmod 600 {path}")
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ConnectorError(f"secret file {path} is empty", hint="write the secret's value into it")
    return value
