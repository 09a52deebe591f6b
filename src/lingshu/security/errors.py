"""The security package's one exception type.

Messages name what failed (a file path, a key id and version, a row number) and the fix, and never
carry key material, plaintext or ciphertext: they end up in logs and on consoles.
"""

from __future__ import annotations

from lingshu.core.errors import LingshuError


class SecurityError(LingshuError):
    """A key, ciphertext, keyring or audit chain is missing, unsafe or fails verification."""
