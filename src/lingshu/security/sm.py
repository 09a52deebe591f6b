"""National-cryptography primitives on bytes: SM3, HMAC-SM3, SM4-ECB (one block) and SM4-GCM.

Everything comes from ``cryptography`` (OpenSSL); nothing here implements a cipher. The installed
OpenSSL provides SM4 in GCM mode, so field encryption is SM4-GCM with a 12-byte nonce and a
16-byte tag (the RFC 8998 construction). These are scalar helpers; the column-wide (Arrow) forms
in :mod:`lingshu.security.fieldcrypt` and :mod:`lingshu.security.hashing` call the same objects
in a tight loop.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from lingshu.security.errors import SecurityError

KEY_BYTES = 16  # SM4 keys are 128 bits
NONCE_BYTES = 12  # the GCM nonce size that needs no GHASH pre-processing
TAG_BYTES = 16
SM3_BYTES = 32


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm3_hex(data: bytes) -> str:
    return sm3(data).hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def sm4_ecb_block(key: bytes, block: bytes) -> bytes:
    """Encrypt exactly one 16-byte block. Only for known-answer tests: ECB never protects data."""
    if len(block) != 16:
        raise ValueError("sm4_ecb_block takes exactly one 16-byte block")
    enc = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def new_nonce() -> bytes:
    return os.urandom(NONCE_BYTES)


@lru_cache(maxsize=64)
def _sm4(key: bytes) -> algorithms.SM4:
    """One algorithm object per data key: building it per value was a third of the cost."""
    return algorithms.SM4(key)


def gcm_seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """SM4-GCM encrypt; returns ciphertext || tag."""
    enc = Cipher(_sm4(key), modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad)
    body = enc.update(plaintext) + enc.finalize()
    return body + enc.tag


def gcm_open(key: bytes, nonce: bytes, sealed: bytes, aad: bytes, *, what: str) -> bytes:
    """SM4-GCM decrypt ``ciphertext || tag``; ``what`` names the value in the error (no data)."""
    if len(sealed) < TAG_BYTES:
        raise SecurityError(f"{what} is truncated: shorter than its authentication tag",
                            hint="the value was cut when stored or copied; restore it from a backup")
    body, tag = sealed[:-TAG_BYTES], sealed[-TAG_BYTES:]
    dec = Cipher(_sm4(key), modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad)
    try:
        return dec.update(body) + dec.finalize()
    except InvalidTag:
        raise SecurityError(
            f"{what} failed authentication: it was altered, belongs to another dataset or column, "
            "or the key is wrong",
            hint="decrypt it with the dataset and column it was encrypted for; if those are right "
                 "the stored value is damaged and must be restored",
        ) from None
