"""Known-answer tests: STANDARDS.md section 12, plus the RFC 8998 SM4-GCM example."""

from __future__ import annotations

import pyarrow as pa

from lingshu.security.hashing import sm3_hex_array
from lingshu.security.sm import gcm_open, gcm_seal, hmac_sm3, sm3_hex, sm4_ecb_block

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm3_abc() -> None:
    assert sm3_hex(b"abc") == SM3_ABC


def test_sm3_vectorized_matches_scalar() -> None:
    out = sm3_hex_array(pa.array(["abc", None, "临港"])).to_pylist()
    assert out == [SM3_ABC, None, sm3_hex("临港".encode())]


def test_sm4_gbt32907_block() -> None:
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    assert sm4_ecb_block(key, key).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_rfc8998() -> None:
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    pt = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                       "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
    expected_ct = bytes.fromhex("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
                                "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D")
    expected_tag = bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC")
    sealed = gcm_seal(key, nonce, pt, aad)
    assert sealed == expected_ct + expected_tag
    assert gcm_open(key, nonce, sealed, aad, what="vector") == pt


def test_hmac_sm3_is_keyed() -> None:
    assert hmac_sm3(b"k" * 16, b"abc") != hmac_sm3(b"j" * 16, b"abc")
    assert len(hmac_sm3(b"k" * 16, b"abc")) == 32
