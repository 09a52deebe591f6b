"""Field encryption: SM4-GCM per value over Arrow columns, bound to dataset and column.

Ciphertext format (binary; base64 of it when stored in a text column)::

    0     1      2..2+n   +2          +12       +len(pt)   +16
    | v=1 | n  | key id | version | nonce(12) | ciphertext | tag(16) |

- ``v`` is the format version; ``key id`` (ASCII, up to 64 bytes) and ``version`` (big-endian
  uint16) name the data key in the keyring, so any value says which key decrypts it.
- The nonce is fresh from the OS for every value (12 random bytes per value; at 2^32 values per
  key version the collision risk is still negligible, and keys are rotated far sooner).
- The associated data is ``"lingshu/field/v1" || len+dataset || len+column || header``: a value
  moved to another column or dataset, or with its header rewritten, fails authentication.

Nulls stay null; the empty string encrypts like any other value. Non-text columns are cast to text
first and come back as text.
"""

from __future__ import annotations

import binascii
import os
import re
from typing import Literal

import pyarrow as pa

from lingshu.engines.base import Engine
from lingshu.security.arrowutil import (
    ArrayLike,
    as_bytes_array,
    binary_result,
    is_binary,
    iter_values,
    text_result,
)
from lingshu.security.errors import SecurityError
from lingshu.security.keyring import KEY_ID_PATTERN, Keyring
from lingshu.security.sm import NONCE_BYTES, gcm_open, gcm_seal

FORMAT_VERSION = 1
Encoding = Literal["base64", "binary"]


def _lp(text: str) -> bytes:
    raw = text.encode("utf-8")
    return len(raw).to_bytes(2, "big") + raw


def header(key_id: str, version: int) -> bytes:
    kid = key_id.encode("ascii")
    return bytes([FORMAT_VERSION, len(kid)]) + kid + version.to_bytes(2, "big")


def parse_header(blob: bytes | memoryview) -> tuple[str, int, int]:
    """(key id, key version, header length) of one ciphertext; raises on a malformed one."""
    if len(blob) < 2 or blob[0] != FORMAT_VERSION:
        raise ValueError("unknown ciphertext format")
    end = 2 + blob[1]
    if len(blob) < end + 2 + NONCE_BYTES:
        raise ValueError("ciphertext too short")
    return bytes(blob[2:end]).decode("ascii"), int.from_bytes(blob[end:end + 2], "big"), end + 2


class FieldCipher:
    """Encrypts and decrypts one column of one dataset with that dataset's data key."""

    def __init__(self, keyring: Keyring, dataset: str, column: str, *, key_id: str | None = None):
        self.keyring = keyring
        self.dataset = dataset
        self.column = column
        self.key_id = key_id or dataset
        if not re.match(KEY_ID_PATTERN, self.key_id):
            raise SecurityError(f"{self.key_id!r} cannot name a data key: use 1-64 ASCII letters, digits or _.:-",
                                hint="pass key_id= with an ASCII name for this dataset's key")
        self._aad_prefix = b"lingshu/field/v1" + _lp(dataset) + _lp(column)

    def __repr__(self) -> str:
        return f"<FieldCipher {self.dataset}.{self.column} key={self.key_id}>"

    # -- encrypt --------------------------------------------------------------------------------
    def encrypt(self, values: ArrayLike, *, encoding: Encoding = "base64") -> pa.Array:
        """Encrypt every value under the current key version; base64 text or binary out."""
        version, secret = self.keyring.current(self.key_id)
        raw = self._seal_all(as_bytes_array(values), version, secret.reveal())
        return _encode(raw, encoding)

    def _seal_all(self, arr: pa.Array, version: int, key: bytes) -> list[bytes | None]:
        head = header(self.key_id, version)
        aad = self._aad_prefix + head
        nonces = os.urandom(NONCE_BYTES * len(arr))  # one syscall for the whole batch
        out: list[bytes | None] = []
        append = out.append
        for i, value in enumerate(iter_values(arr)):
            if value is None:
                append(None)
                continue
            nonce = nonces[i * NONCE_BYTES:(i + 1) * NONCE_BYTES]
            append(head + nonce + gcm_seal(key, nonce, value, aad))
        return out

    # -- decrypt --------------------------------------------------------------------------------
    def decrypt(self, values: ArrayLike, *, as_binary: bool = False) -> pa.Array:
        """Decrypt base64 or binary ciphertexts of any key version still in the keyring."""
        plain = [None if blob is None else self._open(i, blob) for i, blob in enumerate(self._blobs(values))]
        return binary_result(plain) if as_binary else text_result(plain)

    def key_versions(self, values: ArrayLike) -> pa.Array:
        """The key version of each ciphertext (null for nulls): how far a rotation has got."""
        return pa.array([None if b is None else self._parse(i, b)[1] for i, b in enumerate(self._blobs(values))],
                        type=pa.uint16())

    def reencrypt(self, values: ArrayLike) -> pa.Array:
        """Re-encrypt values under the current key version; values already on it are kept as is."""
        arr = as_bytes_array(values)
        encoding: Encoding = "binary" if is_binary(arr) else "base64"
        version, secret = self.keyring.current(self.key_id)
        head = header(self.key_id, version)
        aad = self._aad_prefix + head
        out: list[bytes | None] = []
        for i, blob in enumerate(self._blobs(arr)):
            if blob is None or blob.startswith(head):
                out.append(blob)
                continue
            nonce = os.urandom(NONCE_BYTES)
            out.append(head + nonce + gcm_seal(secret.reveal(), nonce, self._open(i, blob), aad))
        return _encode(out, encoding)

    # -- internals ------------------------------------------------------------------------------
    def _blobs(self, values: ArrayLike) -> list[bytes | None]:
        arr = as_bytes_array(values)
        if is_binary(arr):
            return [None if v is None else bytes(v) for v in iter_values(arr)]
        out: list[bytes | None] = []
        for i, v in enumerate(iter_values(arr)):
            try:
                out.append(None if v is None else binascii.a2b_base64(v, strict_mode=True))
            except binascii.Error:
                raise self._bad(i, "is not valid base64") from None
        return out

    def _parse(self, i: int, blob: bytes) -> tuple[str, int, int]:
        try:
            key_id, version, head_len = parse_header(blob)
        except (ValueError, UnicodeDecodeError):
            raise self._bad(i, "is not a Lingshu ciphertext") from None
        if key_id != self.key_id:
            raise SecurityError(f"row {i} of {self.dataset}.{self.column} was encrypted with key "
                                f"{key_id!r}, not this column's key {self.key_id!r}",
                                hint="decrypt it with the dataset and column it was encrypted for")
        return key_id, version, head_len

    def _open(self, i: int, blob: bytes) -> bytes:
        key_id, version, head_len = self._parse(i, blob)
        key = self.keyring.key(key_id, version).reveal()
        nonce = blob[head_len:head_len + NONCE_BYTES]
        return gcm_open(key, nonce, blob[head_len + NONCE_BYTES:], self._aad_prefix + blob[:head_len],
                        what=f"row {i} of {self.dataset}.{self.column}")

    def _bad(self, i: int, why: str) -> SecurityError:
        return SecurityError(f"row {i} of {self.dataset}.{self.column} {why}",
                             hint="only values written by FieldCipher.encrypt can be decrypted")


def _encode(raw: list[bytes | None], encoding: Encoding) -> pa.Array:
    if encoding == "binary":
        return binary_result(raw)
    return text_result([None if b is None else binascii.b2a_base64(b, newline=False) for b in raw])


def encrypt_column(keyring: Keyring, dataset: str, column: str, values: ArrayLike,
                   *, encoding: Encoding = "base64") -> pa.Array:
    return FieldCipher(keyring, dataset, column).encrypt(values, encoding=encoding)


def decrypt_column(keyring: Keyring, dataset: str, column: str, values: ArrayLike) -> pa.Array:
    return FieldCipher(keyring, dataset, column).decrypt(values)


def rotate_table_column(engine: Engine, schema: str, table: str, column: str, keyring: Keyring,
                        *, dataset: str | None = None, key_id: str | None = None) -> int:
    """Re-encrypt one column of a warehouse table under its current key version, swapping the
    table atomically. Returns how many values changed version.

    ``dataset`` (default ``schema.table``) and ``key_id`` (default the dataset) must be the ones the
    column was encrypted with, since both are bound into every ciphertext.
    """
    cipher = FieldCipher(keyring, dataset or f"{schema}.{table}", column, key_id=key_id)
    data = engine.query(f'SELECT * FROM "{schema}"."{table}"')
    if column not in data.column_names:
        raise SecurityError(f"{schema}.{table} has no column {column!r}",
                            hint=f"columns are: {', '.join(data.column_names)}")
    current, _ = keyring.current(cipher.key_id)
    before = cipher.key_versions(data[column])
    stale = sum(1 for v in before.to_pylist() if v is not None and v != current)
    if stale:
        idx = data.column_names.index(column)
        data = data.set_column(idx, column, cipher.reencrypt(data[column]))
        engine.replace_table_from_arrow(schema, table, data)
    return stale
