"""Real keys and keyrings for the security tests (random each run; nothing is mocked)."""

from __future__ import annotations

import os

import pytest

from lingshu.security import Keyring, MemoryKeyringStore, Secret, SoftwareKeyProvider


@pytest.fixture
def provider() -> SoftwareKeyProvider:
    return SoftwareKeyProvider(Secret(os.urandom(16)))


@pytest.fixture
def keyring(provider: SoftwareKeyProvider) -> Keyring:
    ring = Keyring(MemoryKeyringStore(), provider)
    ring.ensure("ods.person")
    return ring
