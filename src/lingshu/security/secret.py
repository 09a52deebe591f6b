"""A holder for key material that cannot leak through repr, str, f-strings, logs or pickles.

Key bytes live only inside :class:`Secret`; code that needs them calls :meth:`Secret.reveal`, which
makes every use greppable. ``repr`` shows the key's public id (a fingerprint) and nothing else.
"""

from __future__ import annotations

import hmac as _py_hmac
from typing import NoReturn

from lingshu.security.sm import KEY_BYTES, hmac_sm3

_FINGERPRINT_LABEL = b"lingshu/key-fingerprint/v1"


def fingerprint(material: bytes) -> str:
    """A short public id for a key: HMAC-SM3 of a fixed label under the key, 8 bytes in hex.

    Keyed (not a plain hash of the key) so the id reveals nothing usable about the material.
    """
    return hmac_sm3(material, _FINGERPRINT_LABEL)[:8].hex()


class Secret:
    __slots__ = ("_material", "key_id")

    def __init__(self, material: bytes, key_id: str | None = None):
        if len(material) != KEY_BYTES:
            # The length is not secret; the bytes are.
            raise ValueError(f"an SM4 key is {KEY_BYTES} bytes, got {len(material)}")
        self._material = bytes(material)
        self.key_id = key_id or fingerprint(self._material)

    def reveal(self) -> bytes:
        return self._material

    def __repr__(self) -> str:
        return f"<Secret key_id={self.key_id} material=hidden>"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        # Constant-time, so comparing keys never becomes a timing oracle.
        return isinstance(other, Secret) and _py_hmac.compare_digest(self._material, other._material)

    def __hash__(self) -> int:
        return hash(self.key_id)

    def __reduce__(self) -> NoReturn:
        raise TypeError("key material cannot be pickled; keep it in its key provider")
