"""An SM3 hash chain over audit records, independent of where the records are stored.

``hash_i = SM3(hash_{i-1} || canonical_json(record_i))`` with ``hash_{-1}`` = 32 zero bytes (or the
last hash of the previous segment). Editing, deleting, inserting or reordering a record changes
every later hash, and :func:`verify_chain` names the first record that no longer matches.

A plain hash chain proves integrity only against the stored hashes; someone who can rewrite the
whole table can recompute them. So publish the latest hash elsewhere (a daily report, another
system) or pass ``key=`` to chain with HMAC-SM3 under a key kept outside the database.

Canonical JSON: keys sorted, no insignificant whitespace, UTF-8 (not ``\\u`` escapes), dates and
datetimes as ISO 8601, Decimals as strings. Anything else non-JSON is refused rather than guessed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from lingshu.security.errors import SecurityError
from lingshu.security.sm import SM3_BYTES, hmac_sm3, sm3

GENESIS = "00" * SM3_BYTES


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    # The type name only: the value may be personal data.
    raise SecurityError(f"an audit record holds a {type(value).__name__}, which has no canonical JSON form",
                        hint="convert it to a string, number, list or dict before auditing")


def canonical_json(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_default).encode("utf-8")


def link(prev_hash: str, record: Mapping[str, Any], *, key: bytes | None = None) -> str:
    """The hash of one record given the previous record's hash (both hex)."""
    data = bytes.fromhex(prev_hash) + canonical_json(record)
    return (hmac_sm3(key, data) if key is not None else sm3(data)).hex()


def chain_hashes(records: Iterable[Mapping[str, Any]], *, start: str = GENESIS,
                 key: bytes | None = None) -> list[str]:
    """The hash of every record, in order."""
    out: list[str] = []
    prev = start
    for record in records:
        prev = link(prev, record, key=key)
        out.append(prev)
    return out


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_index: int | None = None  # position of the first record whose hash does not match
    broken_id: Any = None  # that record's "id" field, when it has one

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact ({self.checked} records)"
        who = f" (id {self.broken_id})" if self.broken_id is not None else ""
        return (f"audit chain broken at record {self.broken_index}{who}: it or an earlier record was "
                f"edited, deleted or reordered after it was written")


def verify_chain(records: Sequence[Mapping[str, Any]], hashes: Sequence[str], *, start: str = GENESIS,
                 key: bytes | None = None, id_field: str = "id") -> ChainCheck:
    """Recompute the chain and compare with the stored hashes; report the first mismatch."""
    prev = start
    for i, record in enumerate(records):
        expected = link(prev, record, key=key)
        if i >= len(hashes) or hashes[i] != expected:
            return ChainCheck(False, i, i, record.get(id_field))
        prev = hashes[i]
    if len(hashes) > len(records):
        # Hashes for records that are gone: the tail of the log was deleted.
        return ChainCheck(False, len(records), len(records), None)
    return ChainCheck(True, len(records))


def check_chain(records: Sequence[Mapping[str, Any]], hashes: Sequence[str], **kwargs: Any) -> None:
    """:func:`verify_chain`, raising :class:`SecurityError` on the first broken record."""
    result = verify_chain(records, hashes, **kwargs)
    if not result.ok:
        raise SecurityError(result.describe(),
                            hint="compare the record with the backup of the audit log and open an incident")
