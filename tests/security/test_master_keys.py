"""Master keys: 0600 enforcement, env var parsing, the provider registry, and no key in any repr."""

from __future__ import annotations

import base64
import logging
import os
import pickle
from pathlib import Path

import pytest

from lingshu.security import (
    KEY_PROVIDERS,
    Keyring,
    MasterKeyConfig,
    MemoryKeyringStore,
    Secret,
    SecurityError,
    open_key_provider,
)
from lingshu.security.keys import ENV_VAR, write_key_file

KEY = bytes.fromhex("00112233445566778899aabbccddeeff")


def test_key_file_written_0600_and_loaded(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    secret = write_key_file(path, KEY)
    assert path.stat().st_mode & 0o777 == 0o600
    provider = open_key_provider(MasterKeyConfig(provider="file", path=path))
    assert provider.key_id == secret.key_id


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_key_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "master.key"
    path.write_text(KEY.hex())
    path.chmod(mode)
    with pytest.raises(SecurityError) as exc:
        open_key_provider(MasterKeyConfig(provider="file", path=path))
    assert f"chmod 600 {path}" in str(exc.value)
    assert KEY.hex() not in str(exc.value)


def test_missing_key_file_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SecurityError, match="does not exist"):
        open_key_provider(MasterKeyConfig(provider="file", path=tmp_path / "nope.key"))
    with pytest.raises(SecurityError, match="needs a path"):
        open_key_provider(MasterKeyConfig(provider="file"))


def test_key_file_with_wrong_content_does_not_echo_it(tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    path.write_text("00112233445566778899aabbccddee")  # one byte short
    path.chmod(0o600)
    with pytest.raises(SecurityError, match="16-byte key") as exc:
        open_key_provider(MasterKeyConfig(provider="file", path=path))
    assert "0011223344" not in str(exc.value)


@pytest.mark.parametrize("text", [KEY.hex(), KEY.hex().upper(), base64.b64encode(KEY).decode()])
def test_env_key_hex_or_base64(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv(ENV_VAR, text)
    assert open_key_provider().key_id == Secret(KEY).key_id


def test_env_key_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(SecurityError, match=f"{ENV_VAR} is not set"):
        open_key_provider()


def test_unknown_provider_lists_known_ones() -> None:
    with pytest.raises(Exception, match="env, file"):
        open_key_provider(MasterKeyConfig(provider="hsm"))
    assert {"env", "file"} <= set(KEY_PROVIDERS)


def test_reprs_never_show_key_material(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(ENV_VAR, KEY.hex())
    provider = open_key_provider()
    secret = Secret(KEY)
    ring = Keyring(MemoryKeyringStore(), provider)
    ring.ensure("ods.person")
    data_key = ring.key("ods.person", 1)
    forms = [repr(secret), str(secret), f"{secret}", f"{secret!r:>80}", repr(provider), repr(ring),
             repr(data_key), repr(ring.records()), repr([secret, data_key])]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("key %s %r", secret, data_key)
    forms.append(caplog.text)
    for material in (KEY, data_key.reveal()):
        for encoded in (material.hex(), material.hex().upper(), base64.b64encode(material).decode(), repr(material)):
            assert not any(encoded in form for form in forms)
    assert "hidden" in repr(secret)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(secret)


def test_secret_equality_and_length() -> None:
    assert Secret(KEY) == Secret(KEY)
    assert Secret(KEY) != Secret(os.urandom(16))
    with pytest.raises(ValueError, match="16 bytes, got 3"):
        Secret(b"abc")
