"""Encrypt and decrypt ID numbers with SM4-GCM field encryption, and tokenize them with HMAC-SM3.

    .venv/bin/python benchmarks/crypto_ids.py [--rows 1000000]

Target (issue 7): 1 million ID numbers encrypted and decrypted in under 20 s on this machine.
Baseline: the same SM4-GCM through a per-value Python loop over the cipher API, on 100,000 values
(scaled), to show what batching over Arrow buys.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from lingshu.govern.checksums import id_check_char
from lingshu.security.vault import Vault


def ids(n: int) -> pa.Array:
    rng = np.random.default_rng(7)
    births = rng.integers(0, 25_000, n)
    base = np.datetime64("1950-01-01")
    out = []
    for b, seq in zip(births, rng.integers(0, 1000, n), strict=True):
        body = f"310115{str(base + int(b)).replace('-', '')}{int(seq):03d}"
        out.append(body + id_check_char(body))
    return pa.array(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    values = ids(args.rows)
    vault = Vault(Path(tempfile.mkdtemp(prefix="lingshu-bench-vault-")))
    cipher = vault.cipher("ods.persons", "id_number")
    t0 = time.perf_counter()
    sealed = cipher.encrypt(values)
    t1 = time.perf_counter()
    opened = cipher.decrypt(sealed)
    t2 = time.perf_counter()
    tokens = vault.tokenizer.token(values, "id_number")
    t3 = time.perf_counter()
    assert opened.equals(values) and len(set(tokens.to_pylist())) == len(set(values.to_pylist()))

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401 - same OpenSSL backend
    from lingshu.security.sm import gcm_seal

    key, sample = os.urandom(16), values.slice(0, 100_000).to_pylist()
    t4 = time.perf_counter()
    for v in sample:
        gcm_seal(key, os.urandom(12), v.encode(), b"aad")
    loop = (time.perf_counter() - t4) * args.rows / len(sample)

    print(f"{args.rows:,} ID numbers")
    print(f"  encrypt  SM4-GCM  {t1 - t0:7.2f} s  ({(t1 - t0) / args.rows * 1e6:.2f} µs/value)")
    print(f"  decrypt  SM4-GCM  {t2 - t1:7.2f} s")
    print(f"  tokens   HMAC-SM3 {t3 - t2:7.2f} s")
    total = t2 - t0
    print(f"  encrypt + decrypt {total:7.2f} s  (target < 20 s: {'met' if total < 20 else 'NOT met'})")
    print(f"  baseline: bare per-value encrypt loop, scaled from 100,000: {loop:.2f} s "
          f"(ratio encrypt/baseline {(t1 - t0) / loop:.2f}x)")


if __name__ == "__main__":
    main()
