"""Keyring: JSON storage, data key rotation with re-encryption, master key rotation by re-wrap."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pytest

from lingshu.engines import open_engine
from lingshu.security import (
    FieldCipher,
    JsonKeyringStore,
    Keyring,
    Secret,
    SecurityError,
    SoftwareKeyProvider,
    rotate_table_column,
)

IDS = pa.array(["11010519491231002X", "310115199001011234", None])


def _provider() -> SoftwareKeyProvider:
    return SoftwareKeyProvider(Secret(os.urandom(16)))


def test_json_store_round_trip_0600_and_no_plain_keys(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    provider = _provider()
    ring = Keyring(JsonKeyringStore(path), provider)
    ring.ensure("ods.person")
    ring.ensure("token.default", purpose="token")
    material = ring.key("ods.person", 1).reveal()
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert material.hex() not in text
    doc = json.loads(text)
    assert doc["format"] == "lingshu-keyring"
    assert {(k["key_id"], k["version"], k["purpose"]) for k in doc["keys"]} == {
        ("ods.person", 1, "encrypt"), ("token.default", 1, "token")}
    # A fresh process (new Keyring over the same file) unwraps the same key.
    assert Keyring(JsonKeyringStore(path), provider).key("ods.person", 1).reveal() == material


def test_rotation_keeps_old_ciphertexts_readable(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    old = cipher.encrypt(IDS)
    record = keyring.rotate("ods.person")
    assert record.version == 2
    v1 = keyring.records("ods.person")[0]
    assert v1.retired_at is not None and not v1.active
    new = cipher.encrypt(IDS)
    assert cipher.key_versions(old).to_pylist() == [1, 1, None]
    assert cipher.key_versions(new).to_pylist() == [2, 2, None]
    assert cipher.decrypt(old).equals(IDS)
    assert cipher.decrypt(new).equals(IDS)
    rotated = cipher.reencrypt(old)
    assert cipher.key_versions(rotated).to_pylist() == [2, 2, None]
    assert cipher.decrypt(rotated).equals(IDS)
    # Already-current values are left byte-for-byte as they were.
    assert cipher.reencrypt(new).equals(new)


def test_reencrypt_binary_stays_binary(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    old = cipher.encrypt(IDS, encoding="binary")
    keyring.rotate("ods.person")
    rotated = cipher.reencrypt(old)
    assert rotated.type == pa.binary()
    assert cipher.key_versions(rotated).to_pylist() == [2, 2, None]


def test_rotate_table_column_in_warehouse(keyring: Keyring) -> None:
    engine = open_engine("duckdb", ":memory:", extensions=())
    cipher = FieldCipher(keyring, "dwd.person", "id_no", key_id="ods.person")
    table = pa.table({"pid": [1, 2, 3], "id_no": cipher.encrypt(IDS)})
    engine.replace_table_from_arrow("dwd", "person", table)
    keyring.rotate("ods.person")
    args = (engine, "dwd", "person", "id_no", keyring)
    assert rotate_table_column(*args, dataset="dwd.person", key_id="ods.person") == 2
    assert rotate_table_column(*args, dataset="dwd.person", key_id="ods.person") == 0
    stored = engine.query('SELECT id_no FROM dwd.person ORDER BY pid')["id_no"]
    assert cipher.key_versions(stored).to_pylist() == [2, 2, None]
    assert cipher.decrypt(stored).equals(IDS)


def test_master_key_rotation_rewraps_without_touching_data(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    old_master, new_master = _provider(), _provider()
    ring = Keyring(JsonKeyringStore(path), old_master)
    ring.ensure("ods.person")
    ring.rotate("ods.person")
    ciphertexts = FieldCipher(ring, "ods.person", "id_no").encrypt(IDS)
    before = {(r.key_id, r.version): r.wrapped for r in ring.records()}

    assert ring.rewrap(new_master) == 2
    assert ring.rewrap(new_master) == 0  # re-running a finished rotation is harmless
    after = {(r.key_id, r.version): r for r in ring.records()}
    assert all(after[k].wrapped != before[k] and after[k].master_key_id == new_master.key_id for k in before)

    reopened = Keyring(JsonKeyringStore(path), new_master)
    assert FieldCipher(reopened, "ods.person", "id_no").decrypt(ciphertexts).equals(IDS)
    stale = Keyring(JsonKeyringStore(path), old_master)
    with pytest.raises(SecurityError, match="wrapped under master key .* configured master key is"):
        stale.key("ods.person", 1)


def test_wrapped_key_cannot_be_moved_between_rows(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    provider = _provider()
    ring = Keyring(JsonKeyringStore(path), provider)
    ring.ensure("ods.a")
    ring.ensure("ods.b")
    doc = json.loads(path.read_text())
    by_id = {k["key_id"]: k for k in doc["keys"]}
    by_id["ods.b"]["wrapped"] = by_id["ods.a"]["wrapped"]
    path.write_text(json.dumps(doc))
    with pytest.raises(SecurityError, match="failed authentication"):
        Keyring(JsonKeyringStore(path), provider).key("ods.b", 1)


def test_keyring_errors_say_what_to_do(keyring: Keyring, tmp_path: Path) -> None:
    with pytest.raises(SecurityError, match="no key 'ods.nothing' to rotate"):
        keyring.rotate("ods.nothing")
    with pytest.raises(SecurityError, match="version 9 is not in the keyring"):
        keyring.key("ods.person", 9)
    with pytest.raises(SecurityError, match="is a encrypt key, not a token key"):
        keyring.ensure("ods.person", purpose="token")
    bad = tmp_path / "keyring.json"
    bad.write_text("{not json")
    with pytest.raises(SecurityError, match="cannot be read"):
        JsonKeyringStore(bad).load()
