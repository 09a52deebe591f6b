"""Join tokens (HMAC-SM3 of normalised values) and the SQL functions on a real DuckDB."""

from __future__ import annotations

import os

import pyarrow as pa
import pytest

from lingshu.engines import open_engine
from lingshu.security import Keyring, MemoryKeyringStore, Secret, SoftwareKeyProvider, Tokenizer, register_sql
from lingshu.security.sm import hmac_sm3
from lingshu.security.sql import sql_functions

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def _tokens(tok: Tokenizer, values: list[str | None], kind: str) -> list[str | None]:
    return tok.token(pa.array(values), kind).to_pylist()


def test_equal_after_normalisation(keyring: Keyring) -> None:
    tok = Tokenizer(keyring)
    ids = _tokens(tok, ["11010519491231002X", "11010519491231002x", " 110105 19491231002X ", "１１０１０５19491231002X"], "id_number")
    assert len(set(ids)) == 1
    phones = _tokens(tok, ["13812341234", "+86 138-1234-1234", "008613812341234"], "phone")
    assert len(set(phones)) == 1
    emails = _tokens(tok, ["Zhang@Example.com ", "zhang@example.com"], "email")
    assert len(set(emails)) == 1
    names = _tokens(tok, ["张 三", "张三"], "name")
    assert len(set(names)) == 1


def test_different_values_differ_and_nulls_stay_null(keyring: Keyring) -> None:
    tok = Tokenizer(keyring)
    out = _tokens(tok, ["11010519491231002X", "110105194912310021", None], "id_number")
    assert out[0] != out[1] and out[2] is None
    assert all(len(t) == 64 for t in out[:2])


def test_token_is_hmac_of_normalised_value_under_token_key(keyring: Keyring) -> None:
    tok = Tokenizer(keyring, domain="enterprise")
    _, key = keyring.current("token.enterprise")
    assert _tokens(tok, ["abc"], "text") == [hmac_sm3(key.reveal(), b"abc").hex()]


def test_tokens_depend_on_domain_and_keyring(keyring: Keyring) -> None:
    value = ["11010519491231002X"]
    a = _tokens(Tokenizer(keyring, "a"), value, "id_number")
    b = _tokens(Tokenizer(keyring, "b"), value, "id_number")
    other = Keyring(MemoryKeyringStore(), SoftwareKeyProvider(Secret(os.urandom(16))))
    c = _tokens(Tokenizer(other, "a"), value, "id_number")
    assert a != b and a != c
    assert _tokens(Tokenizer(keyring, "a"), value, "id_number") == a  # deterministic


def test_unknown_normaliser(keyring: Keyring) -> None:
    with pytest.raises(Exception, match="unknown token normaliser 'passport'"):
        Tokenizer(keyring).token(pa.array(["x"]), "passport")


@pytest.fixture
def engine():
    eng = open_engine("duckdb", ":memory:", extensions=())
    yield eng
    eng.close()


def test_sql_functions_in_duckdb(engine, keyring: Keyring) -> None:
    tok = Tokenizer(keyring)
    names = register_sql(engine, tokenizer=tok)
    assert {"mask_id", "mask_phone", "mask_name", "mask_address", "mask_uscc", "mask_bank_card",
            "mask_email", "mask_full", "mask_keep", "sm3_hex", "hmac_token"} == set(names)
    engine.execute("CREATE TABLE p AS SELECT * FROM (VALUES "
                   "('11010519491231002X', '13812341234', '欧阳娜娜', '上海市浦东新区环湖西二路888号'),"
                   "(NULL, NULL, NULL, NULL)) t(id_no, phone, name, addr)")
    rows = engine.query(
        "SELECT mask_id(id_no) AS i, mask_phone(phone) AS ph, mask_name(name) AS n, mask_address(addr) AS a, "
        "mask_keep(id_no, 6, 0) AS k, sm3_hex('abc') AS h, hmac_token(id_no, 'id_number') AS t "
        "FROM p ORDER BY id_no NULLS LAST").to_pylist()
    assert rows[0] == {"i": "110***********002X", "ph": "138****1234", "n": "欧阳**", "a": "上海市浦东新区环湖西二路****",
                       "k": "110105************", "h": SM3_ABC,
                       "t": tok.token(pa.array(["11010519491231002x"]), "id_number")[0].as_py()}
    assert rows[1] == {"i": None, "ph": None, "n": None, "a": None, "k": None, "h": SM3_ABC, "t": None}


def test_sql_mask_keep_with_per_row_arguments(engine) -> None:
    register_sql(engine)
    out = engine.query("SELECT mask_keep(s, f, 1) AS m FROM (VALUES ('abcdef', 1), ('abcdef', 2), ('xyz', 1)) t(s, f) "
                       "ORDER BY m").column("m").to_pylist()
    assert sorted(out) == sorted(["a****f", "ab***f", "x*z"])


def test_sql_names_are_documented() -> None:
    import lingshu.security.sql as sql_module

    for name in sql_functions(tokenizer=object()):  # type: ignore[arg-type]
        assert f"``{name}(" in (sql_module.__doc__ or ""), f"{name} is missing from the sql module docstring"
