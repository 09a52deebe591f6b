"""Security: national cryptography (SM4-GCM, SM3, HMAC-SM3), keys, masking, classification, audit.

Modules:

- ``sm``: byte-level SM3 / HMAC-SM3 / SM4-GCM from ``cryptography`` (OpenSSL).
- ``secret``: ``Secret``, the key holder whose repr never shows key material.
- ``keys``: master keys outside the warehouse; ``KeyProvider`` registry (``file``, ``env``).
- ``keyring``: wrapped per-dataset data keys, versions, rotation, master key re-wrap; JSON store.
- ``fieldcrypt``: ``FieldCipher``: column encryption bound to dataset + column; re-encryption.
- ``hashing``: SM3 digests and HMAC-SM3 join tokens over Arrow columns.
- ``masking``: vectorised masking kinds (``MASKERS``).
- ``classification``: ``Level`` (public < internal < sensitive < important), ``ColumnPolicy``.
- ``audit``: SM3 hash chain over audit records and its verifier.
- ``sql``: ``register_sql(engine)`` installs masking/hashing functions in SQL.
"""

from lingshu.security.audit import chain_hashes, check_chain, verify_chain
from lingshu.security.classification import ColumnPolicy, Level, suggest_policy
from lingshu.security.errors import SecurityError
from lingshu.security.fieldcrypt import FieldCipher, decrypt_column, encrypt_column, rotate_table_column
from lingshu.security.hashing import NORMALIZERS, Tokenizer, hmac_sm3_hex_array, sm3_hex_array
from lingshu.security.keyring import DataKeyRecord, JsonKeyringStore, Keyring, KeyringStore, MemoryKeyringStore
from lingshu.security.keys import (
    KEY_PROVIDERS,
    KeyProvider,
    MasterKeyConfig,
    SoftwareKeyProvider,
    open_key_provider,
)
from lingshu.security.masking import MASKERS, mask, masker
from lingshu.security.secret import Secret
from lingshu.security.sql import register_sql

__all__ = [
    "KEY_PROVIDERS", "MASKERS", "NORMALIZERS", "ColumnPolicy", "DataKeyRecord", "FieldCipher",
    "JsonKeyringStore", "KeyProvider", "Keyring", "KeyringStore", "Level", "MasterKeyConfig",
    "MemoryKeyringStore", "Secret", "SecurityError", "SoftwareKeyProvider", "Tokenizer",
    "chain_hashes", "check_chain", "decrypt_column", "encrypt_column", "hmac_sm3_hex_array", "mask",
    "masker", "open_key_provider", "register_sql", "rotate_table_column", "sm3_hex_array",
    "suggest_policy", "verify_chain",
]
