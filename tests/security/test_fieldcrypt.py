"""Field encryption: round trips, the ciphertext format, and tampering of every kind detected."""

from __future__ import annotations

import base64
import os

import pyarrow as pa
import pytest

from lingshu.security import FieldCipher, Keyring, MemoryKeyringStore, Secret, SecurityError, SoftwareKeyProvider
from lingshu.security.fieldcrypt import parse_header

VALUES = ["11010519491231002X", None, "", "张三", "上海市浦东新区环湖西二路888号"]


def test_round_trip_base64_and_nulls(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    ct = cipher.encrypt(pa.array(VALUES))
    assert ct.type == pa.string()
    assert ct.null_count == 1
    assert "11010519491231002X" not in "".join(v for v in ct.to_pylist() if v)
    assert cipher.decrypt(ct).to_pylist() == VALUES


def test_round_trip_binary_chunked_and_non_text(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "age")
    chunked = pa.chunked_array([[1, 2], [None, 40]])
    ct = cipher.encrypt(chunked, encoding="binary")
    assert ct.type == pa.binary()
    assert cipher.decrypt(ct).to_pylist() == ["1", "2", None, "40"]


def test_fresh_nonce_per_value(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    ct = cipher.encrypt(pa.array(["same"] * 50), encoding="binary").to_pylist()
    assert len(set(ct)) == 50
    nonces = {blob[parse_header(blob)[2]:][:12] for blob in ct}
    assert len(nonces) == 50


def test_format_is_self_describing(keyring: Keyring) -> None:
    blob = FieldCipher(keyring, "ods.person", "id_no").encrypt(pa.array(["abc"]), encoding="binary")[0].as_py()
    assert blob[0] == 1
    key_id, version, head_len = parse_header(blob)
    assert (key_id, version) == ("ods.person", 1)
    # header + nonce + 3 bytes of ciphertext + 16-byte tag
    assert len(blob) == head_len + 12 + 3 + 16


def _flip(b64: str, position: int, bits: int = 0x01) -> str:
    raw = bytearray(base64.b64decode(b64))
    raw[position] ^= bits
    return base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("where", ["ciphertext", "tag", "nonce", "version"])
def test_flipped_byte_is_detected(keyring: Keyring, where: str) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    ct = cipher.encrypt(pa.array(["11010519491231002X", "ok"])).to_pylist()
    head_len = parse_header(base64.b64decode(ct[0]))[2]
    position = {"ciphertext": head_len + 12 + 2, "tag": -1, "nonce": head_len, "version": head_len - 1}[where]
    if where == "version":
        keyring.rotate("ods.person")  # so version 2 exists and only the AAD can catch the rewrite
    # For the version, 1 -> 2: a header rewritten to point at another existing key version.
    tampered = [_flip(ct[0], position, 0x03 if where == "version" else 0x01), ct[1]]
    with pytest.raises(SecurityError, match="row 0 of ods.person.id_no failed authentication") as exc:
        cipher.decrypt(pa.array(tampered))
    assert "11010519491231002X" not in str(exc.value)


def test_value_moved_to_another_column_is_rejected(keyring: Keyring) -> None:
    id_cipher = FieldCipher(keyring, "ods.person", "id_no")
    phone_cipher = FieldCipher(keyring, "ods.person", "phone")
    ct = id_cipher.encrypt(pa.array(["11010519491231002X"]))
    with pytest.raises(SecurityError, match="failed authentication"):
        phone_cipher.decrypt(ct)


def test_value_moved_to_another_dataset_is_rejected(keyring: Keyring) -> None:
    ct = FieldCipher(keyring, "ods.person", "id_no").encrypt(pa.array(["x"]))
    with pytest.raises(SecurityError, match="failed authentication"):
        FieldCipher(keyring, "ods.other", "id_no", key_id="ods.person").decrypt(ct)
    keyring.ensure("ods.other")
    with pytest.raises(SecurityError, match="encrypted with key 'ods.person'"):
        FieldCipher(keyring, "ods.other", "id_no").decrypt(ct)


def test_wrong_key_is_rejected(keyring: Keyring) -> None:
    ct = FieldCipher(keyring, "ods.person", "id_no").encrypt(pa.array(["secret"]))
    other = Keyring(MemoryKeyringStore(), SoftwareKeyProvider(Secret(os.urandom(16))))
    other.ensure("ods.person")  # same id and version, different key material
    with pytest.raises(SecurityError, match="failed authentication"):
        FieldCipher(other, "ods.person", "id_no").decrypt(ct)


def test_garbage_and_truncation_are_named_by_row(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    with pytest.raises(SecurityError, match="row 1 .* not valid base64"):
        cipher.decrypt(pa.array([None, "not base64!!"]))
    with pytest.raises(SecurityError, match="row 0 .* not a Lingshu ciphertext"):
        cipher.decrypt(pa.array([base64.b64encode(b"\x07hello").decode()]))
    good = base64.b64decode(cipher.encrypt(pa.array(["abc"]))[0].as_py())
    with pytest.raises(SecurityError):
        cipher.decrypt(pa.array([good[:-20]], type=pa.binary()))


def test_missing_key_and_bad_key_id(keyring: Keyring) -> None:
    with pytest.raises(SecurityError, match="no active data key 'ods.nothing'"):
        FieldCipher(keyring, "ods.nothing", "c").encrypt(pa.array(["x"]))
    with pytest.raises(SecurityError, match="ASCII"):
        FieldCipher(keyring, "人口库", "c")


def test_large_batch_round_trip(keyring: Keyring) -> None:
    values = pa.array([f"3101151990{i:08d}" for i in range(20_000)])
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    assert cipher.decrypt(cipher.encrypt(values)).equals(values)


def test_sliced_array_is_read_at_its_offset(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    values = pa.array(["a", "bb", None, "dddd", "eeeee"]).slice(1, 3)
    assert cipher.decrypt(cipher.encrypt(values)).to_pylist() == ["bb", None, "dddd"]


def test_empty_column(keyring: Keyring) -> None:
    cipher = FieldCipher(keyring, "ods.person", "id_no")
    empty = cipher.encrypt(pa.array([], type=pa.string()))
    assert len(empty) == 0 and empty.type == pa.string()
    assert cipher.decrypt(empty).to_pylist() == []
