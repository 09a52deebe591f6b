"""Vectorized generation of valid national codes.

The check characters use the weights and alphabets of ``lingshu.govern.checksums`` (the scalar
reference the validators agree on); tests pin that the vectorized results equal the scalar ones.
"""

from __future__ import annotations

import numpy as np

from lingshu.synth.errors import SynthError
from lingshu.govern.checksums import ID_CHECK, ID_WEIGHTS, ORG_WEIGHTS, USCC_ALPHABET, USCC_WEIGHTS

_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_c)] = _i
_ORG_VALUE = np.full(256, -1, dtype=np.int64)
for _c in "0123456789":
    _ORG_VALUE[ord(_c)] = int(_c)
for _c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ORG_VALUE[ord(_c)] = ord(_c) - ord("A") + 10


def _bytes(strings: np.ndarray, width: int) -> np.ndarray:
    """(n, width) uint8 matrix of ASCII strings of exactly ``width`` characters."""
    return np.asarray(strings, dtype=f"S{width}").view(np.uint8).reshape(-1, width)


def id_check_chars(body17: np.ndarray) -> np.ndarray:
    """GB 11643 check character for each 17-digit body."""
    digits = _bytes(body17, 17).astype(np.int64) - 48
    return np.array(list(ID_CHECK))[(digits @ np.array(ID_WEIGHTS)) % 11]


def uscc_check_chars(body17: np.ndarray) -> np.ndarray:
    """GB 32100 check character for each 17-character body."""
    vals = _USCC_VALUE[_bytes(body17, 17)]
    return np.array(list(USCC_ALPHABET))[(31 - (vals @ np.array(USCC_WEIGHTS)) % 31) % 31]


def org_check_chars(body8: np.ndarray) -> np.ndarray:
    """GB 11714 check character for each 8-character organisation code body."""
    c = 11 - (_ORG_VALUE[_bytes(body8, 8)] @ np.array(ORG_WEIGHTS)) % 11
    return np.where(c == 10, "X", np.where(c == 11, "0", c.astype(str)))


def random_chars(rng: np.random.Generator, n: int, width: int, alphabet: str) -> np.ndarray:
    """``n`` random strings of ``width`` characters drawn from ``alphabet``."""
    table = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    picks = table[rng.integers(0, len(alphabet), size=(n, width))]
    return np.ascontiguousarray(picks).view(f"S{width}").ravel().astype(str)


def id_numbers(rng: np.random.Generator, region: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Unique, valid 18-character ID numbers; sequence parity follows sex (odd = male)."""
    n = len(region)
    ymd = np.datetime_as_string(birth.astype("datetime64[D]"), unit="D")
    ymd = np.char.replace(ymd, "-", "")
    prefix = np.char.add(region.astype(str), ymd)
    seq = rng.integers(0, 500, n) * 2 + np.where(male, 1, 0)
    out = np.empty(n, dtype="U18")
    todo = np.arange(n)
    seen: set[str] = set()
    for _round in range(100):
        if not todo.size:
            break
        body = np.char.add(prefix[todo], np.char.zfill(seq[todo].astype(str), 3))
        full = np.char.add(body, id_check_chars(body))
        clash = []
        for k, code in zip(todo.tolist(), full.tolist(), strict=True):
            if code in seen:
                clash.append(k)
            else:
                seen.add(code)
                out[k] = code
        todo = np.array(clash, dtype=np.int64)
        seq[todo] = rng.integers(0, 500, todo.size) * 2 + np.where(male[todo], 1, 0)
    if todo.size:
        raise SynthError(
            f"{todo.size} ID numbers collide: too many people share a region code and birth date",
            hint="spread birth dates or region codes wider",
        )
    return out


def usccs(rng: np.random.Generator, region: np.ndarray, kind: str = "91") -> np.ndarray:
    """Unique, valid unified social credit codes: kind + region + org code (with its check) + check."""
    n = len(region)
    alphabet = USCC_ALPHABET.replace("X", "")  # keep X for the org check only, like real codes mostly do
    out = np.empty(n, dtype="U18")
    todo = np.arange(n)
    seen: set[str] = set()
    while todo.size:
        org8 = random_chars(rng, todo.size, 8, alphabet[:10] * 3 + alphabet[10:])
        org9 = np.char.add(org8, org_check_chars(org8))
        body = np.char.add(np.char.add(kind, region[todo].astype(str)), org9)
        full = np.char.add(body, uscc_check_chars(body))
        clash = []
        for k, code in zip(todo.tolist(), full.tolist(), strict=True):
            if code in seen:
                clash.append(k)
            else:
                seen.add(code)
                out[k] = code
        todo = np.array(clash, dtype=np.int64)
    return out


def project_codes(rng: np.random.Generator, year: np.ndarray, region: np.ndarray) -> np.ndarray:
    """Investment project codes in the GB/T 40058-2021 shape ``YYYY-RRRRRR-DD-TT-NNNNNC``.

    The department/type tables and the check algorithm are UNSETTLED (STANDARDS.md section 4): the
    last character is random, and only the shape and region code are meaningful.
    """
    n = len(year)
    dept = np.array(["04", "05", "09", "31", "48", "50"])[rng.integers(0, 6, n)]
    ptype = np.array(["01", "02", "03"])[rng.integers(0, 3, n)]
    tail = random_chars(rng, n, 6, "0123456789ABCDEFGHJKLMNPQRTUWXY")
    parts = [year.astype(str), "-", region.astype(str), "-", dept, "-", ptype, "-", tail]
    out = parts[0]
    for p in parts[1:]:
        out = np.char.add(out, p)
    return out


def camera_codes(rng: np.random.Generator, centre: np.ndarray, industry: np.ndarray, dtype: np.ndarray,
                 network: np.ndarray) -> np.ndarray:
    """GB/T 28181-2016 Annex D 20-digit device codes with unique serials per centre."""
    n = len(centre)
    serial = np.char.zfill((rng.permutation(n) + 1).astype(str), 6)
    out = centre.astype(str)
    for p in (industry.astype(str), dtype.astype(str), network.astype(str), serial):
        out = np.char.add(out, p)
    return out
