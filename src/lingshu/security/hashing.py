"""SM3 digests and deterministic HMAC-SM3 tokens over Arrow columns.

A token is ``hex(HMAC-SM3(token key, normalise(value)))``: equal for equal normalised values, so
models can join and deduplicate on it without decrypting, and useless without the token key (a
plain SM3 of an 18-digit ID number is reversed by enumerating the ~10^10 plausible IDs).

Token keys live in the keyring as ``token.<domain>`` (purpose ``token``). Every table that must join
on tokens uses the same domain. Rotating a token key changes every token, so the whole domain must
be re-tokenised together; do it only when the key is believed exposed.

Normalisers (registry ``NORMALIZERS``) run vectorised in Arrow before hashing:
``text`` (NFKC, trim, collapse spaces), ``id_number``/``uscc`` (NFKC, no spaces, upper case),
``phone`` (digits only, ``86``/``0086`` country prefix dropped from mobiles), ``email``
(NFKC, trim, lower case), ``name`` (NFKC, no whitespace).
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
from cryptography.hazmat.primitives import hashes, hmac

from lingshu.core.registry import Registry
from lingshu.security.arrowutil import ArrayLike, as_array, as_bytes_array, iter_values
from lingshu.security.keyring import Keyring

Normalizer = Callable[[pa.Array], pa.Array]
NORMALIZERS: Registry[Normalizer] = Registry("token normaliser")


def _text(values: pa.Array) -> pa.Array:
    arr = as_array(values)
    return arr if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) else pc.cast(arr, pa.string())


@NORMALIZERS.register("text")
def normalise_text(values: pa.Array) -> pa.Array:
    out = pc.utf8_trim_whitespace(pc.utf8_normalize(_text(values), form="NFKC"))
    return pc.replace_substring_regex(out, r"\s+", " ")


@NORMALIZERS.register("id_number")
@NORMALIZERS.register("uscc")
def normalise_code(values: pa.Array) -> pa.Array:
    # Full-width digits and a lower-case x check character are common in hand-keyed IDs.
    out = pc.utf8_normalize(_text(values), form="NFKC")
    return pc.utf8_upper(pc.replace_substring_regex(out, r"\s+", ""))


@NORMALIZERS.register("phone")
def normalise_phone(values: pa.Array) -> pa.Array:
    digits = pc.replace_substring_regex(pc.utf8_normalize(_text(values), form="NFKC"), r"\D", "")
    return pc.replace_substring_regex(digits, r"^(?:0086|86)(1\d{10})$", r"\1")


@NORMALIZERS.register("email")
def normalise_email(values: pa.Array) -> pa.Array:
    return pc.utf8_lower(pc.utf8_trim_whitespace(pc.utf8_normalize(_text(values), form="NFKC")))


@NORMALIZERS.register("name")
def normalise_name(values: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.utf8_normalize(_text(values), form="NFKC"), r"\s+", "")


def _hex_digests(arr: pa.Array, new: Callable[[], object]) -> pa.Array:
    out: list[str | None] = []
    append = out.append
    for value in iter_values(arr):
        if value is None:
            append(None)
            continue
        h = new()
        h.update(value)  # type: ignore[attr-defined]
        append(h.finalize().hex())  # type: ignore[attr-defined]
    return pa.array(out, type=pa.string())


def sm3_hex_array(values: ArrayLike) -> pa.Array:
    """SM3 of each value's UTF-8 bytes (non-text values are cast to text first), as hex."""
    return _hex_digests(as_bytes_array(values), lambda: hashes.Hash(hashes.SM3()))


def hmac_sm3_hex_array(key: bytes, values: ArrayLike) -> pa.Array:
    """HMAC-SM3 of each value under ``key``, as hex. Keyed once; each value copies the keyed state."""
    base = hmac.HMAC(key, hashes.SM3())
    return _hex_digests(as_bytes_array(values), base.copy)


class Tokenizer:
    """Deterministic join tokens for one domain (all tables that join on them share it)."""

    def __init__(self, keyring: Keyring, domain: str = "default"):
        self.keyring = keyring
        self.key_id = f"token.{domain}"
        keyring.ensure(self.key_id, purpose="token")

    def __repr__(self) -> str:
        return f"<Tokenizer {self.key_id}>"

    def token(self, values: ArrayLike, kind: str = "text") -> pa.Array:
        normalised = NORMALIZERS.get(kind)(as_array(values))
        _, secret = self.keyring.current(self.key_id)
        return hmac_sm3_hex_array(secret.reveal(), normalised)
