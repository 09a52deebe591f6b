"""Seeded random generators, one per domain.

Each domain draws from its own ``numpy.random.Generator`` whose seed is derived from the master
seed and the domain's *name* (not its position), so adding or reordering domains never changes
what another domain generates.
"""

from __future__ import annotations

import hashlib

import numpy as np


def domain_key(name: str) -> int:
    """A stable 32-bit key for a domain name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


def domain_rng(seed: int, name: str, *sub: int) -> np.random.Generator:
    """The generator for domain ``name``; ``sub`` keys split it further (e.g. one per day)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, domain_key(name), *sub])))
