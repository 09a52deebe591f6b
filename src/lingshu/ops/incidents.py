"""Incidents: graded by declared rules, timed against response and recovery deadlines, closed with cause and fix.

States move open -> acknowledged -> resolved -> closed. Response is met when an operator
acknowledges (or resolves) before ``response_due``; recovery when the incident is resolved before
``recovery_due``. A repeat of the same failure while its incident is still open counts as another
occurrence of that incident rather than a new one. Closed incidents form the searchable incident
library (故障案例库): what happened, why, and what fixed it.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lingshu.ops.config import GRADE_LABELS, GRADE_NAMES, Grade, GradeRule, IncidentConfig
from lingshu.ops.errors import OpsError
from lingshu.ops.events import Alert
from lingshu.ops.timeutil import Clock, as_utc, utcnow
from lingshu.state.schema import incidents
from lingshu.state.store import StateStore

ACTIVE = ("open", "acknowledged")


@dataclass(frozen=True)
class Transition:
    from_states: tuple[str, ...]
    to_state: str
    stamp: str  # the column prefix set on the way: acknowledged_, resolved_, closed_


TRANSITIONS = {
    "acknowledge": Transition(("open",), "acknowledged", "acknowledged"),
    "resolve": Transition(("open", "acknowledged"), "resolved", "resolved"),
    "close": Transition(("resolved",), "closed", "closed"),
}


def matches(rule: GradeRule, alert: Alert) -> bool:
    w = rule.when
    return ((not w.kind or alert.kind in w.kind)
            and (not w.packs or alert.pack in w.packs)
            and (not w.sources or any(fnmatch.fnmatch(alert.source or "", p) for p in w.sources))
            and (w.serves_api is None or w.serves_api == alert.serves_api))


def grade_of(config: IncidentConfig, alert: Alert) -> tuple[Grade, str | None]:
    for rule in config.rules:
        if matches(rule, alert):
            return rule.grade, rule.name
    return config.default_grade, None


def sla_state(done_at: datetime | None, due: datetime, now: datetime) -> str:
    """met | breached | pending."""
    if done_at is not None:
        return "met" if as_utc(done_at) <= as_utc(due) else "breached"
    return "breached" if now > as_utc(due) else "pending"


class IncidentBook:
    def __init__(self, store: StateStore, config: IncidentConfig, clock: Clock = utcnow):
        self.engine = store.engine
        self.config = config
        self.clock = clock

    def open_or_touch(self, alert: Alert) -> tuple[int, bool]:
        """The incident for this alert (id, created?): a new one, or the open one with the same key."""
        now = self.clock()
        with self.engine.begin() as c:
            current = c.execute(sa.select(incidents.c.id).where(
                incidents.c.key == alert.key, incidents.c.status.in_(ACTIVE)).order_by(incidents.c.id.desc())).first()
            if current is not None:
                c.execute(incidents.update().where(incidents.c.id == current.id)
                          .values(occurrences=incidents.c.occurrences + 1))
                return int(current.id), False
            grade, rule = grade_of(self.config, alert)
            sla = self.config.grades[grade]
            result = c.execute(incidents.insert().values(
                key=alert.key, grade=grade.value, kind=alert.kind, rule=rule, title=alert.title[:300],
                summary=alert.message, source=alert.source, status="open", occurrences=1, opened_at=now,
                response_due=now + timedelta(minutes=sla.response_minutes),
                recovery_due=now + timedelta(minutes=sla.recovery_minutes),
                detail=json.dumps(alert.detail, ensure_ascii=False, default=str) if alert.detail else None))
            return int(result.inserted_primary_key[0]), True

    # -- lifecycle ------------------------------------------------------------------------------
    def acknowledge(self, incident_id: int, by: str) -> dict[str, Any]:
        return self._move(incident_id, "acknowledge", by)

    def resolve(self, incident_id: int, by: str, cause: str, fix: str) -> dict[str, Any]:
        if not cause.strip() or not fix.strip():
            raise OpsError("an incident is resolved with its cause and its fix",
                           hint="give both --cause and --fix; they become the incident library's entry")
        return self._move(incident_id, "resolve", by, cause=cause.strip(), fix=fix.strip())

    def close(self, incident_id: int, by: str) -> dict[str, Any]:
        return self._move(incident_id, "close", by)

    def _move(self, incident_id: int, action: str, by: str, **values: Any) -> dict[str, Any]:
        step = TRANSITIONS[action]
        row = self.get(incident_id)
        if row["status"] not in step.from_states:
            raise OpsError(f"incident #{incident_id} is {row['status']}; it cannot be {step.to_state} now",
                           hint=f"{action} works on incidents that are {' or '.join(step.from_states)}")
        now = self.clock()
        values.update({"status": step.to_state, f"{step.stamp}_at": now, f"{step.stamp}_by": by})
        if action == "resolve" and row["acknowledged_at"] is None:
            # Fixing it is also answering it: the response clock stops at the same moment.
            values.update(acknowledged_at=now, acknowledged_by=by)
        with self.engine.begin() as c:
            # The status in the WHERE makes two operators racing on one incident harmless.
            done = c.execute(incidents.update().where(incidents.c.id == incident_id,
                                                      incidents.c.status == row["status"]).values(**values))
        if done.rowcount != 1:
            raise OpsError(f"incident #{incident_id} changed while you were editing it", hint="look at it again")
        return self.get(incident_id)

    # -- reading --------------------------------------------------------------------------------
    def get(self, incident_id: int) -> dict[str, Any]:
        with self.engine.connect() as c:
            row = c.execute(sa.select(incidents).where(incidents.c.id == incident_id)).first()
        if row is None:
            raise OpsError(f"no incident #{incident_id}", hint="`lingshu incident list` shows them")
        return self._with_sla(dict(row._mapping))

    def list(self, *, status: str | None = None, grade: str | None = None, query: str | None = None,
             since: datetime | None = None, until: datetime | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Search the incident library: words match title, summary, source, cause and fix."""
        q = sa.select(incidents).order_by(incidents.c.id.desc()).limit(limit)
        if status:
            q = q.where(incidents.c.status == status)
        if grade:
            q = q.where(incidents.c.grade == str(GRADE_NAMES.get(grade, grade)))
        if since:
            q = q.where(incidents.c.opened_at >= since)
        if until:
            q = q.where(incidents.c.opened_at < until)
        for word in (query or "").split():
            like = f"%{word}%"
            q = q.where(sa.or_(*(col.ilike(like) for col in (
                incidents.c.title, incidents.c.summary, incidents.c.source, incidents.c.cause, incidents.c.fix,
                incidents.c.kind))))
        with self.engine.connect() as c:
            return [self._with_sla(dict(r._mapping)) for r in c.execute(q)]

    def overdue(self) -> list[dict[str, Any]]:
        """Active incidents past a deadline, for escalation."""
        return [i for i in self.list(status=None, limit=1000)
                if i["status"] in ACTIVE and "breached" in (i["response_sla"], i["recovery_sla"])]

    def _with_sla(self, row: dict[str, Any]) -> dict[str, Any]:
        now = self.clock()
        for col in ("opened_at", "response_due", "recovery_due", "acknowledged_at", "resolved_at", "closed_at"):
            row[col] = as_utc(row[col])
        row["grade_label"] = GRADE_LABELS[Grade(row["grade"])]
        row["response_sla"] = sla_state(row["acknowledged_at"], row["response_due"], now)
        row["recovery_sla"] = sla_state(row["resolved_at"], row["recovery_due"], now)
        return row

