"""The SM3 audit chain: stable hashes, and edits, deletions and reorders are caught by position."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from lingshu.security import SecurityError, chain_hashes, check_chain, verify_chain
from lingshu.security.audit import GENESIS, canonical_json, link
from lingshu.security.sm import sm3_hex

RECORDS = [
    {"id": 1, "actor": "alice", "action": "grant", "target": "dwd.person", "at": datetime(2026, 1, 5, 9, 0, tzinfo=UTC)},
    {"id": 2, "actor": "bob", "action": "decrypt", "target": "dwd.person.id_no", "rows": 12},
    {"id": 3, "actor": "系统", "action": "rotate_key", "target": "ods.person", "amount": Decimal("1.50")},
    {"id": 4, "actor": "alice", "action": "export", "target": "ads.report"},
]


def test_hash_definition() -> None:
    first = {"b": 1, "a": "临港"}
    assert canonical_json(first) == '{"a":"临港","b":1}'.encode()
    assert link(GENESIS, first) == sm3_hex(bytes(32) + canonical_json(first))
    hashes = chain_hashes([first, first])
    assert hashes[1] == sm3_hex(bytes.fromhex(hashes[0]) + canonical_json(first))


def test_intact_chain_verifies() -> None:
    hashes = chain_hashes(RECORDS)
    assert len(set(hashes)) == 4
    result = verify_chain(RECORDS, hashes)
    assert result.ok and result.checked == 4
    check_chain(RECORDS, hashes)


def test_edited_record_is_named() -> None:
    hashes = chain_hashes(RECORDS)
    edited = [dict(r) for r in RECORDS]
    edited[1]["rows"] = 1200
    result = verify_chain(edited, hashes)
    assert (result.ok, result.broken_index, result.broken_id) == (False, 1, 2)
    with pytest.raises(SecurityError, match=r"broken at record 1 \(id 2\)"):
        check_chain(edited, hashes)


def test_deleted_reordered_and_truncated() -> None:
    hashes = chain_hashes(RECORDS)
    assert verify_chain(RECORDS[:1] + RECORDS[2:], hashes[:1] + hashes[2:]).broken_index == 1
    assert verify_chain([RECORDS[1], RECORDS[0], *RECORDS[2:]], hashes).broken_index == 0
    assert verify_chain(RECORDS[:3], hashes).broken_index == 3  # a hash with no record: tail deleted


def test_segments_and_keyed_chain() -> None:
    full = chain_hashes(RECORDS)
    assert chain_hashes(RECORDS[2:], start=full[1]) == full[2:]
    key = b"k" * 16
    keyed = chain_hashes(RECORDS, key=key)
    assert keyed != full
    assert verify_chain(RECORDS, keyed, key=key).ok
    assert not verify_chain(RECORDS, full, key=key).ok


def test_non_json_values_are_refused_without_echoing() -> None:
    with pytest.raises(SecurityError, match="holds a bytes"):
        chain_hashes([{"id": 1, "blob": b"110105194912310021"}])
