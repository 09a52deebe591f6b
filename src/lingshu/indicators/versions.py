"""The indicator version history (指标版本): every definition that ever computed a number.

A definition is identified by its fingerprint (everything that changes the number: model,
measure, filters, dimensions, grains). The first time a fingerprint is seen it gets the next
version number of that indicator (the declared ``version`` the first time), so a changed 口径
always yields a new version even if its author forgot to bump it, and every result names the
version that produced it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lingshu.indicators.spec import IndicatorSpec
from lingshu.state.schema import indicator_versions
from lingshu.state.store import StateStore

_known: dict[tuple[str, str, str], int] = {}  # (store url, indicator, fingerprint) -> version


def record_version(store: StateStore, key: str, spec: IndicatorSpec) -> int:
    fingerprint = spec.fingerprint()
    cache_key = (store.url, key, fingerprint)
    if cache_key in _known:
        return _known[cache_key]
    with store.engine.begin() as c:
        rows = c.execute(sa.select(indicator_versions.c.version, indicator_versions.c.fingerprint)
                         .where(indicator_versions.c.indicator == key)).all()
        same = [r.version for r in rows if r.fingerprint == fingerprint]
        if same:
            version = same[0]
        else:
            latest = max((r.version for r in rows), default=0)
            version = max(latest + 1, spec.version) if rows else spec.version
            try:
                c.execute(indicator_versions.insert().values(
                    indicator=key, version=version, fingerprint=fingerprint, declared_version=spec.version,
                    definition=json.dumps(spec.model_dump(mode="json"), ensure_ascii=False, sort_keys=True),
                    first_seen=datetime.now(UTC)))
            except IntegrityError:  # another process recorded it first: read theirs
                return record_version(store, key, spec)
    _known[cache_key] = version
    return version


def history(store: StateStore, key: str) -> list[dict[str, Any]]:
    with store.engine.connect() as c:
        rows = c.execute(sa.select(indicator_versions).where(indicator_versions.c.indicator == key)
                         .order_by(indicator_versions.c.version)).all()
    return [{"version": r.version, "declared_version": r.declared_version, "fingerprint": r.fingerprint,
             "first_seen": r.first_seen, "definition": json.loads(r.definition)} for r in rows]
