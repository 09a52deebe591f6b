"""The keyring: per-dataset data keys, stored only wrapped under the master key.

Each data key has an id (normally the dataset name, ``token.<domain>`` for token keys), a version
and created/retired timestamps. Only the newest unretired version encrypts; every version still in
the keyring decrypts, so old ciphertexts stay readable until a column is re-encrypted.

- ``Keyring.rotate(key_id)`` adds version n+1 and retires version n (it still decrypts).
- ``Keyring.rewrap(new_provider)`` is master key rotation: every data key is unwrapped with the
  old master key and wrapped with the new one. The data itself is not touched.

Storage is a small protocol (:class:`KeyringStore`) of rows that a SQLAlchemy table can hold as
they are; :class:`JsonKeyringStore` keeps them in one JSON file (mode 0600) for now.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from lingshu.security.errors import SecurityError
from lingshu.security.keys import KeyProvider
from lingshu.security.secret import Secret
from lingshu.security.sm import KEY_BYTES

KEY_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"  # ASCII, so it fits the one-byte length in a ciphertext
MAX_VERSION = 0xFFFF  # versions are two bytes in the ciphertext header
Purpose = Literal["encrypt", "token"]


def _now() -> datetime:
    return datetime.now(UTC)


class DataKeyRecord(BaseModel):
    """One stored data key version; one row of a future ``security_data_keys`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str = Field(pattern=KEY_ID_PATTERN)
    version: int = Field(ge=1, le=MAX_VERSION)
    purpose: Purpose = "encrypt"
    wrapped: str  # base64 of the provider's wrapped blob; never the key
    master_key_id: str  # which master key wrapped it (a fingerprint)
    created_at: datetime
    retired_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None


class KeyringStore(Protocol):
    """Where keyring rows live. ``save`` upserts by (key_id, version) all-or-nothing."""

    def load(self) -> list[DataKeyRecord]: ...

    def save(self, records: Sequence[DataKeyRecord]) -> None: ...


class JsonKeyringStore:
    """Keyring rows in one JSON file, replaced atomically and kept at mode 0600."""

    FORMAT = "lingshu-keyring"

    def __init__(self, path: Path | str):
        self.path = Path(path)

    def load(self) -> list[DataKeyRecord]:
        if not self.path.exists():
            return []
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            if doc.get("format") != self.FORMAT:
                raise ValueError("not a keyring file")
            return [DataKeyRecord.model_validate(row) for row in doc["keys"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise SecurityError(f"the keyring file {self.path} cannot be read: {type(exc).__name__}",
                                hint="restore it from a backup; without it encrypted columns "
                                     "cannot be decrypted") from None

    def save(self, records: Sequence[DataKeyRecord]) -> None:
        merged = {(r.key_id, r.version): r for r in self.load()}
        merged.update({(r.key_id, r.version): r for r in records})
        rows = [merged[k].model_dump(mode="json") for k in sorted(merged)]
        text = json.dumps({"format": self.FORMAT, "version": 1, "keys": rows}, indent=2, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside then rename, so a crash never leaves a half-written keyring behind.
        fd, tmp = tempfile.mkstemp(prefix=".keyring-", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class MemoryKeyringStore:
    """Rows in a dict: for tests and throwaway workspaces."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, int], DataKeyRecord] = {}

    def load(self) -> list[DataKeyRecord]:
        return [self._rows[k] for k in sorted(self._rows)]

    def save(self, records: Sequence[DataKeyRecord]) -> None:
        self._rows.update({(r.key_id, r.version): r for r in records})


def _wrap_aad(key_id: str, version: int, purpose: str) -> bytes:
    # Binds a wrapped key to its row: copying one row's blob into another row fails to unwrap.
    return b"\x00".join([b"lingshu/keywrap/v1", purpose.encode(), key_id.encode(), version.to_bytes(2, "big")])


class Keyring:
    def __init__(self, store: KeyringStore, provider: KeyProvider):
        self.store = store
        self.provider = provider
        self._records = {(r.key_id, r.version): r for r in store.load()}
        self._keys: dict[tuple[str, int], Secret] = {}  # unwrapped keys, in memory only

    def __repr__(self) -> str:
        return f"<Keyring keys={len(self._records)} master={self.provider.key_id}>"

    # -- reading --------------------------------------------------------------------------------
    def records(self, key_id: str | None = None) -> list[DataKeyRecord]:
        return [r for k, r in sorted(self._records.items()) if key_id is None or k[0] == key_id]

    def current(self, key_id: str) -> tuple[int, Secret]:
        """The version that encrypts now: the newest unretired one."""
        active = [r for r in self.records(key_id) if r.active]
        if not active:
            raise SecurityError(f"there is no active data key {key_id!r} in the keyring",
                                hint=f"create it with Keyring.ensure({key_id!r}) before encrypting")
        record = active[-1]
        return record.version, self.key(key_id, record.version)

    def key(self, key_id: str, version: int) -> Secret:
        cached = self._keys.get((key_id, version))
        if cached is not None:
            return cached
        record = self._records.get((key_id, version))
        if record is None:
            raise SecurityError(f"data key {key_id!r} version {version} is not in the keyring",
                                hint="the value was encrypted with a keyring this workspace does not have; "
                                     "restore that keyring file")
        secret = Secret(self._unwrap(record), key_id=f"{key_id}#{version}")
        self._keys[(key_id, version)] = secret
        return secret

    def _unwrap(self, record: DataKeyRecord) -> bytes:
        if record.master_key_id != self.provider.key_id:
            raise SecurityError(
                f"data key {record.key_id!r} version {record.version} is wrapped under master key "
                f"{record.master_key_id}, but the configured master key is {self.provider.key_id}",
                hint="configure the master key this keyring was made with, or finish the master key rotation",
            )
        material = self.provider.unwrap(base64.b64decode(record.wrapped),
                                        _wrap_aad(record.key_id, record.version, record.purpose))
        return material

    # -- writing --------------------------------------------------------------------------------
    def _new_record(self, key_id: str, version: int, purpose: Purpose) -> DataKeyRecord:
        material = os.urandom(KEY_BYTES)
        blob = self.provider.wrap(material, _wrap_aad(key_id, version, purpose))
        record = DataKeyRecord(key_id=key_id, version=version, purpose=purpose,
                               wrapped=base64.b64encode(blob).decode("ascii"),
                               master_key_id=self.provider.key_id, created_at=_now())
        self._keys[(key_id, version)] = Secret(material, key_id=f"{key_id}#{version}")
        return record

    def _commit(self, records: Sequence[DataKeyRecord]) -> None:
        self.store.save(records)  # store first: memory never claims a key the store lacks
        self._records.update({(r.key_id, r.version): r for r in records})

    def ensure(self, key_id: str, purpose: Purpose = "encrypt") -> DataKeyRecord:
        """The active record for ``key_id``, creating version 1 if the key does not exist yet."""
        existing = self.records(key_id)
        if existing:
            if existing[0].purpose != purpose:
                raise SecurityError(f"key {key_id!r} is a {existing[0].purpose} key, not a {purpose} key",
                                    hint="use a different key id for each purpose")
            active = [r for r in existing if r.active]
            if active:
                return active[-1]
            raise SecurityError(f"every version of key {key_id!r} is retired",
                                hint=f"run Keyring.rotate({key_id!r}) to create a new version")
        record = self._new_record(key_id, 1, purpose)
        self._commit([record])
        return record

    def rotate(self, key_id: str) -> DataKeyRecord:
        """Add a new version and retire the current one (which keeps decrypting)."""
        existing = self.records(key_id)
        if not existing:
            raise SecurityError(f"there is no key {key_id!r} to rotate",
                                hint=f"create it with Keyring.ensure({key_id!r})")
        latest = existing[-1]
        if latest.version >= MAX_VERSION:
            raise SecurityError(f"key {key_id!r} has reached the last version number {MAX_VERSION}",
                                hint="start a new key id for this dataset")
        now = _now()
        retired = [r.model_copy(update={"retired_at": now}) for r in existing if r.active]
        new = self._new_record(key_id, latest.version + 1, latest.purpose)
        self._commit([*retired, new])
        return new

    def rewrap(self, new_provider: KeyProvider) -> int:
        """Master key rotation: re-wrap every data key under ``new_provider``; returns how many.

        Rows already under the new master key are skipped, so an interrupted rotation can be run
        again. Nothing is saved unless every key unwraps.
        """
        changed = []
        for record in self.records():
            if record.master_key_id == new_provider.key_id:
                continue
            aad = _wrap_aad(record.key_id, record.version, record.purpose)
            material = self._unwrap(record)
            blob = new_provider.wrap(material, aad)
            changed.append(record.model_copy(update={
                "wrapped": base64.b64encode(blob).decode("ascii"),
                "master_key_id": new_provider.key_id,
            }))
        self._commit(changed)
        self.provider = new_provider
        return len(changed)
