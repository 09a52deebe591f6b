"""Group-committed audit records: every caller's record is committed before it returns, in one chain."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from lingshu.security import auditlog
from lingshu.security.accounts import LAST_USED_EVERY, Accounts, AuthError
from lingshu.security.errors import SecurityError
from lingshu.security.platform import Security
from lingshu.state.schema import audit_log
from lingshu.state.store import StateStore


@pytest.fixture
def sec(state_url: str) -> Iterator[Security]:
    store = StateStore(state_url)
    store.migrate()
    yield Security(store)
    store.dispose()


def _wait_for(condition: object, what: str) -> None:
    # A liveness guard, not a timing assertion: fail instead of hanging if the threads never get there.
    deadline = time.monotonic() + 60
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def test_callers_arriving_during_a_write_share_the_next_transaction(sec: Security) -> None:
    audit = sec.audit
    audit.record("setup", "x")
    before = audit.transactions
    callers = 12
    threads = [threading.Thread(target=audit.record, args=(f"user{i}", "dataset.read", "dataset:ads.t"),
                                kwargs={"rows": i}) for i in range(callers)]
    # Hold the chain writer's lock: the first caller starts a transaction and waits on it, and the
    # others queue behind it, as they do while a real transaction is being written.
    with auditlog._LOCK:
        for t in threads:
            t.start()
        _wait_for(lambda: len(audit._pending) == callers - 1, "the callers to queue")
        assert all(t.is_alive() for t in threads)  # nobody returned before its record was committed
    for t in threads:
        t.join()
    assert audit.transactions - before == 2  # the first caller's, then everyone else's together
    with sec.store.engine.connect() as c:
        rows = c.execute(sa.select(audit_log.c.actor, audit_log.c.ts).where(audit_log.c.actor.like("user%"))
                         .order_by(audit_log.c.id)).all()
    assert sorted(r.actor for r in rows) == sorted(f"user{i}" for i in range(callers))
    assert [r.ts for r in rows] == sorted(r.ts for r in rows)  # ids follow the arrival order
    assert audit.verify().ok


def test_many_concurrent_records_are_all_present_and_chained(sec: Security) -> None:
    n_threads, each = 8, 25
    start = threading.Barrier(n_threads)

    def work(i: int) -> None:
        start.wait()
        for j in range(each):
            sec.audit.record(f"worker{i}", "dataset.read", "dataset:ads.t", rows=j)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with sec.store.engine.connect() as c:
        count = c.execute(sa.select(sa.func.count()).select_from(audit_log)
                          .where(audit_log.c.actor.like("worker%"))).scalar()
    assert count == n_threads * each
    assert sec.audit.verify().ok


def test_a_failed_write_fails_every_caller_without_echoing_values(sec: Security) -> None:
    sec.audit.record("setup", "x")
    personal = "310115199001011234"
    with sec.store.engine.begin() as c:
        c.execute(sa.text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    try:
        with pytest.raises(SecurityError, match="could not be written") as caught:
            sec.audit.record("wang", "dataset.read", "dataset:ads.people", where=[f"id_number=eq.{personal}"])
        assert personal not in str(caught.value) and "wang" not in str(caught.value)
    finally:
        with sec.store.engine.begin() as c:
            c.execute(sa.text("ALTER TABLE audit_log_away RENAME TO audit_log"))
    sec.audit.record("wang", "dataset.read", "dataset:ads.people")  # writable again: accepted again
    assert sec.audit.verify().ok and sec.audit.list(1)[0]["actor"] == "wang"


def test_checked_keys_are_cached_by_digest_and_revocation_is_immediate_here(sec: Security) -> None:
    acc = sec.accounts
    acc.add_user("li", ["analyst"])
    key = acc.create_key("li")
    assert acc.check_key(key).username == "li"
    assert len(acc._keys) == 1
    assert key not in repr(acc._keys)  # the cache holds the SM3 digest and the row, never the key
    assert acc.check_key(key).username == "li"  # from the cache
    other = Accounts(sec.store, key_ttl=0)  # another server process, its cache expired
    assert other.check_key(key).username == "li"
    acc.revoke_key(key.split("_")[1])
    with pytest.raises(AuthError, match="revoked"):
        acc.check_key(key)
    with pytest.raises(AuthError, match="revoked"):
        other.check_key(key)


def test_cached_key_check_answers_from_memory_or_not_at_all(sec: Security) -> None:
    acc = sec.accounts
    acc.add_user("zhao", ["analyst"])
    key = acc.create_key("zhao")
    prefix = key.split("_")[1]
    assert acc.check_key_cached(key) is None  # not checked yet: the store must answer
    assert acc.check_key(key).username == "zhao"
    with sec.store.engine.begin() as c:  # the store cannot answer now, memory still can
        c.execute(sa.text("ALTER TABLE api_keys RENAME TO api_keys_away"))
    try:
        principal = acc.check_key_cached(key)
        assert principal is not None and (principal.username, principal.via, principal.key) == ("zhao", "key", prefix)
        with pytest.raises(AuthError, match="malformed"):
            acc.check_key_cached("not-a-key")
        acc._last_used[prefix] -= LAST_USED_EVERY  # its last-used time is due: a write, so not from memory
        assert acc.check_key_cached(key) is None
    finally:
        with sec.store.engine.begin() as c:
            c.execute(sa.text("ALTER TABLE api_keys_away RENAME TO api_keys"))
    acc.revoke_key(prefix)
    assert acc.check_key_cached(key) is None  # revocation empties the cache; the store says revoked
    with pytest.raises(AuthError, match="revoked"):
        acc.check_key(key)
