"""Master keys: kept outside the warehouse, reached through a pluggable :class:`KeyProvider`.

The master key never encrypts data. It only wraps (SM4-GCM) the per-dataset data keys kept in the
keyring (:mod:`lingshu.security.keyring`), so rotating it re-wraps a few dozen keys and touches no
data. A provider exposes ``wrap``/``unwrap`` rather than the key itself, so a hardware security
module (which never exports its key) can plug in later under its own registry name.

Built-in providers (registry ``KEY_PROVIDERS``):

``file``
    A key file holding 16 bytes as hex or base64 text (or raw). It must be mode 0600: a file that
    group or others can read is refused with a message saying to ``chmod 600`` it.
``env``
    The environment variable ``LINGSHU_MASTER_KEY`` (name configurable), hex or base64.
"""

from __future__ import annotations

import abc
import base64
import binascii
import os
import stat
from pathlib import Path
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from lingshu.core.registry import Registry
from lingshu.security.errors import SecurityError
from lingshu.security.secret import Secret
from lingshu.security.sm import KEY_BYTES, NONCE_BYTES, gcm_open, gcm_seal, new_nonce

ENV_VAR = "LINGSHU_MASTER_KEY"
WRAP_FORMAT = 1  # first byte of every wrapped blob, so the format can evolve


class KeyProvider(abc.ABC):
    """Holds (or fronts) one master key and wraps/unwraps data keys under it."""

    name: str = "abstract"

    @property
    @abc.abstractmethod
    def key_id(self) -> str:
        """Public id of the master key; recorded next to every key it wraps."""

    @abc.abstractmethod
    def wrap(self, data_key: bytes, aad: bytes) -> bytes: ...

    @abc.abstractmethod
    def unwrap(self, blob: bytes, aad: bytes) -> bytes: ...

    def __repr__(self) -> str:
        return f"<{type(self).__name__} key_id={self.key_id}>"


class SoftwareKeyProvider(KeyProvider):
    """A master key held in process memory; wraps with SM4-GCM (version byte + nonce + ct + tag)."""

    name = "memory"

    def __init__(self, master: Secret):
        self._master = master

    @property
    def key_id(self) -> str:
        return self._master.key_id

    def wrap(self, data_key: bytes, aad: bytes) -> bytes:
        nonce = new_nonce()
        return bytes([WRAP_FORMAT]) + nonce + gcm_seal(self._master.reveal(), nonce, data_key, aad)

    def unwrap(self, blob: bytes, aad: bytes) -> bytes:
        if not blob or blob[0] != WRAP_FORMAT:
            raise SecurityError("a wrapped data key has an unknown format",
                                hint="the keyring was written by a newer Lingshu or is damaged")
        nonce, sealed = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
        return gcm_open(self._master.reveal(), nonce, sealed, aad,
                        what=f"a data key wrapped under master key {self.key_id}")


class MasterKeyConfig(BaseModel):
    """Where the master key comes from; lives in the workspace settings (never the key itself)."""

    model_config = ConfigDict(extra="forbid")

    provider: str = "env"
    path: Path | None = None  # for ``file``
    env_var: str = ENV_VAR  # for ``env``
    options: dict[str, Any] = {}  # for providers registered later (HSM slot, label, ...)


# name -> factory(config) -> KeyProvider; an HSM module registers itself here under its own name.
KEY_PROVIDERS: Registry[Callable[[MasterKeyConfig], KeyProvider]] = Registry("key provider")


def open_key_provider(config: MasterKeyConfig | None = None) -> KeyProvider:
    config = config or MasterKeyConfig()
    factory = KEY_PROVIDERS.get(config.provider)
    return factory(config)


def parse_key_text(text: str | bytes, *, source: str) -> bytes:
    """Decode a 16-byte key given as hex (32 digits) or base64; ``source`` names where it came from."""
    if isinstance(text, bytes):
        if len(text) == KEY_BYTES:
            return text  # a raw binary key file
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            text = ""
    cleaned = "".join(str(text).split())
    candidates: list[bytes] = []
    try:
        candidates.append(bytes.fromhex(cleaned))
    except ValueError:
        pass
    try:
        candidates.append(base64.b64decode(cleaned, validate=True))
    except (binascii.Error, ValueError):
        pass
    for key in candidates:
        if len(key) == KEY_BYTES:
            return key
    # Never echo the text: it may be a key with one character wrong.
    raise SecurityError(
        f"{source} does not hold a {KEY_BYTES}-byte key as hex (32 digits) or base64",
        hint="generate one with `python -c \"import os; print(os.urandom(16).hex())\"`",
    )


def check_private_file(path: Path) -> None:
    """Refuse a key file that anyone but its owner can read or write."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SecurityError(f"the master key file {path} does not exist",
                            hint="create one with lingshu.security.keys.write_key_file (it is made 0600), "
                                 "or point the settings at the right file") from None
    if not stat.S_ISREG(st.st_mode):
        raise SecurityError(f"the master key path {path} is not a regular file",
                            hint="point the settings at the key file itself")
    if st.st_mode & 0o077:
        raise SecurityError(
            f"the master key file {path} is accessible to group or others "
            f"(mode {stat.S_IMODE(st.st_mode):04o})",
            hint=f"run `chmod 600 {path}` so only its owner can read it",
        )


def load_key_file(path: Path) -> Secret:
    path = Path(path)
    check_private_file(path)
    return Secret(parse_key_text(path.read_bytes(), source=f"the master key file {path}"))


def write_key_file(path: Path, material: bytes | None = None) -> Secret:
    """Create a new key file with mode 0600 from the first byte written (no chmod-after race)."""
    material = material if material is not None else os.urandom(KEY_BYTES)
    secret = Secret(material)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(material.hex() + "\n")
    return secret


def load_env_key(var: str = ENV_VAR) -> Secret:
    value = os.environ.get(var)
    if not value:
        raise SecurityError(f"the environment variable {var} is not set",
                            hint=f"export {var}=<32 hex digits>, or configure a key file provider")
    return Secret(parse_key_text(value, source=f"the environment variable {var}"))


@KEY_PROVIDERS.register("file")
def _file_provider(config: MasterKeyConfig) -> KeyProvider:
    if config.path is None:
        raise SecurityError("the file key provider needs a path",
                            hint="set security.master_key.path in the workspace settings")
    return SoftwareKeyProvider(load_key_file(config.path))


@KEY_PROVIDERS.register("env")
def _env_provider(config: MasterKeyConfig) -> KeyProvider:
    return SoftwareKeyProvider(load_env_key(config.env_var))
