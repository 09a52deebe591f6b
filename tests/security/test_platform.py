"""Accounts, keys, grants, the audit chain and approvals on both state stores."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lingshu.core.errors import LingshuError
from lingshu.security.accounts import AccessDenied, AuthError, _pbkdf2_sm3, check_password, hash_password
from lingshu.security.platform import Security
from lingshu.state.schema import api_keys, audit_log, users
from lingshu.state.store import StateStore


@pytest.fixture
def sec(state_url: str) -> Security:
    store = StateStore(state_url)
    store.migrate()
    yield Security(store)
    store.dispose()


def test_passwords_are_salted_argon2id_and_old_pbkdf2_sm3_hashes_upgrade(sec: Security) -> None:
    one, two = hash_password("a long passphrase"), hash_password("a long passphrase")
    assert one != two and one.startswith("$argon2id$")
    assert check_password("a long passphrase", one) and not check_password("a long passphrasE", one)
    legacy = _pbkdf2_sm3("another passphrase")
    assert check_password("another passphrase", legacy) and not check_password("another passphrasE", legacy)
    sec.accounts.add_user("old", ["viewer"])
    with sec.store.engine.begin() as c:
        c.execute(users.update().where(users.c.username == "old").values(password_hash=legacy))
    sec.accounts.sign_in("old", "another passphrase")
    with sec.store.engine.connect() as c:
        assert c.execute(sa.select(users.c.password_hash).where(users.c.username == "old")).scalar().startswith("$argon2id$")


def test_sign_in_keys_and_sessions(sec: Security) -> None:
    acc = sec.accounts
    acc.add_user("li", ["engineer"], password="0123456789ab", department="数据局")
    with pytest.raises(AuthError, match="wrong user name or password"):
        acc.sign_in("li", "wrong-password")
    with pytest.raises(AuthError, match="wrong user name or password"):
        acc.sign_in("nobody", "0123456789ab")
    principal = acc.sign_in("li", "0123456789ab")
    assert principal.can("pack.run") and not principal.can("user.manage")
    token = acc.open_session(principal)
    assert acc.check_session(token).username == "li"
    acc.close_session(token)
    with pytest.raises(AuthError):
        acc.check_session(token)
    key = acc.create_key("li", label="etl")
    assert acc.check_key(key).via == "key"
    with sec.store.engine.connect() as c:
        stored = c.execute(sa.select(api_keys.c.key_hash)).scalar()
        password_hash = c.execute(sa.select(users.c.password_hash)).scalar()
    assert key not in stored and "0123456789ab" not in password_hash  # only digests are stored
    with pytest.raises(AuthError, match="unknown"):
        acc.check_key(key[:-1] + ("A" if key[-1] != "A" else "B"))
    acc.revoke_key(key.split("_")[1])
    with pytest.raises(AuthError, match="revoked"):
        acc.check_key(key)
    expired = acc.create_key("li", days=-1)
    with pytest.raises(AuthError, match="expired"):
        acc.check_key(expired)


def test_unknown_role_and_short_password_are_refused(sec: Security) -> None:
    with pytest.raises(LingshuError, match="unknown role"):
        sec.accounts.add_user("x", ["superuser"], password="0123456789ab")
    with pytest.raises(LingshuError, match="too short"):
        sec.accounts.add_user("x", ["analyst"], password="short")


def test_grants_merge_columns_rows_and_deny_by_default(sec: Security) -> None:
    acc, grants = sec.accounts, sec.grants
    acc.add_user("zhao", ["analyst"], password=None)
    acc.add_user("admin", ["admin"], password=None)
    zhao = acc.principal("zhao", "key")
    with pytest.raises(AccessDenied, match="no read grant"):
        grants.decide(zhao, "dataset:ads.flow")
    grants.add("role:analyst", "dataset:ads.*", ["read"], columns=["town", "flow"], row_filter="town = '泥城镇'")
    grants.add("user:zhao", "dataset:ads.flow", ["read"], columns=["hour"], row_filter="town = '书院镇'")
    decision = grants.decide(zhao, "dataset:ads.flow")
    assert decision.columns == {"town", "flow", "hour"}
    assert set(decision.row_filters) == {"town = '泥城镇'", "town = '书院镇'"}
    with pytest.raises(AccessDenied):
        grants.decide(zhao, "dataset:ads.flow", "export")
    with pytest.raises(AccessDenied, match="no data access role"):
        grants.decide(acc.principal("admin", "cli"), "dataset:ads.flow")
    acc.add_user("looker", ["viewer"])
    grants.add("user:looker", "dataset:ads.flow", ["read", "export"])
    assert grants.decide(acc.principal("looker", "key"), "dataset:ads.flow").action == "read"
    with pytest.raises(AccessDenied, match="do not allow exports"):
        grants.decide(acc.principal("looker", "key"), "dataset:ads.flow", "export")
    grants.add("user:zhao", "dataset:ads.flow", ["read"])
    assert grants.decide(zhao, "dataset:ads.flow").columns is None  # an unrestricted grant opens all


def test_audit_chain_detects_an_edited_record(sec: Security) -> None:
    for i in range(5):
        sec.audit.record("wang", "dataset.read", f"dataset:ads.t{i}", rows=i)
    assert sec.audit.verify().ok
    with sec.store.engine.begin() as c:
        target = c.execute(sa.select(audit_log.c.id).order_by(audit_log.c.id).offset(2).limit(1)).scalar()
        c.execute(audit_log.update().where(audit_log.c.id == target).values(actor="someone-else"))
    result = sec.audit.verify()
    assert not result.ok and result.broken_id == target


def test_approval_is_bound_to_the_pack_files(sec: Security, tmp_path: Path) -> None:
    root = tmp_path / "pack"
    (root / "models").mkdir(parents=True)
    (root / "pack.yaml").write_text("id: p\n", encoding="utf-8")
    (root / "models" / "a.sql").write_text("SELECT 1", encoding="utf-8")
    ap = sec.approvals
    assert ap.status("p", root) == "unreviewed"
    review = ap.request("p", root, "li")
    assert ap.status("p", root) == "pending"
    with pytest.raises(LingshuError, match="person who submitted"):
        ap.review(review, "li", True)
    ap.review(review, "chen", True, "字段分级已核对")
    assert ap.is_approved("p", root)
    (root / "models" / "a.sql").write_text("SELECT 2", encoding="utf-8")
    assert ap.status("p", root) == "changed" and not ap.is_approved("p", root)


def test_review_snapshot_and_diff_since_last_approval(sec: Security, tmp_path: Path) -> None:
    root = tmp_path / "pack"
    (root / "models").mkdir(parents=True)
    (root / "pack.yaml").write_text("id: p\nname: 测试\n", encoding="utf-8")
    (root / "models" / "a.sql").write_text("SELECT 1 AS x\n", encoding="utf-8")
    first = sec.approvals.request("p", root, "li")
    assert "+SELECT 1 AS x" in sec.approvals.changes(first)  # a new pack: everything is new
    sec.approvals.review(first, "chen", True)
    (root / "models" / "a.sql").write_text("SELECT 2 AS x\n", encoding="utf-8")
    (root / "models" / "b.sql").write_text("SELECT 3 AS y\n", encoding="utf-8")
    second = sec.approvals.request("p", root, "li")
    changes = sec.approvals.changes(second)
    assert "-SELECT 1 AS x" in changes and "+SELECT 2 AS x" in changes and "+++ b/models/b.sql" in changes
    assert "pack.yaml" not in changes
