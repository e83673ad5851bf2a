"""Alerts of the manager's view: the rules that raise them, and their life in the store.

The rules (:func:`conditions`) are plain functions of a :class:`Snapshot` and the
``[monitor]`` thresholds, so a test builds a history, reads the snapshot at a chosen
moment and checks what is raised:

* ``wait``: a service's longest wait reaches ``amber_share`` of its target (amber) or
  passes it (red): the manager hears of it *before* a citizen waits too long;
* ``idle``: an open counter with an official, nobody at it for ``idle_alert_min``
  while its services have people waiting;
* ``printer``: a kiosk's printer reported a fault (``lobby.feed.alerts``);
* ``unattended``: a counter open with nobody signed in for ``unattended_alert_min``.

:func:`sync_alerts` writes the differences into the ``alert`` table, each with its event
(``alert_raised`` / ``alert_escalated`` / ``alert_cleared``); a manager acknowledges an
open alert (``alert_acknowledged``, who and when). One open alert per kind and subject,
held by a unique index, so two web server processes syncing at once raise it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config.monitor import MonitorConfig
from lobby.feed.events import record_event
from lobby.monitor.errors import Refused
from lobby.monitor.snapshot import Snapshot
from lobby.queue.views import StaffInfo
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Alert, Staff
from lobby.vocabulary import EventKind

KINDS = ("wait", "idle", "printer", "unattended")
RANK = {"amber": 1, "red": 2}


@dataclass(frozen=True)
class Condition:
    """Something the manager should see now: ``kind`` about ``subject`` (a service code, counter, kiosk)."""

    kind: str
    subject: str
    level: str  # amber or red
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AlertInfo:
    id: int
    kind: str
    subject: str
    level: str
    raised_at: datetime
    acked_at: datetime | None
    acked_by: str | None
    data: dict[str, Any]

    def text(self, lang: str = "vi") -> str:
        return alert_text(self.kind, self.subject, self.data, lang)

    def to_json(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "level": self.level,
            "raised_at": self.raised_at.isoformat(),
            "acked_at": self.acked_at.isoformat() if self.acked_at else None,
            "acked_by": self.acked_by,
            "text": self.text(lang),
        }


def _minutes(seconds: float | None) -> int:
    return int((seconds or 0) // 60)


def alert_text(kind: str, subject: str, data: dict[str, Any], lang: str = "vi") -> str:
    """One line a manager reads at a glance, in Vietnamese or English."""
    en = lang == "en"
    if kind == "wait":
        m, target, number = _minutes(data.get("longest_s")), data.get("target_min"), data.get("number") or ""
        return (
            f"{subject}: {number} has waited {m} min (target {target} min)"
            if en
            else f"{subject}: số {number} đã chờ {m} phút (mục tiêu {target} phút)"
        )
    if kind == "idle":
        m, waiting = _minutes(data.get("idle_s")), data.get("waiting", 0)
        return (
            f"Counter {subject} idle for {m} min while {waiting} wait for its services"
            if en
            else f"Quầy {subject} không phục vụ ai {m} phút trong khi {waiting} người đang chờ"
        )
    if kind == "printer":
        msg = data.get("message", "")
        return f"Printer of {subject}: {msg}" if en else f"Máy in của {subject}: {msg}"
    m = _minutes(data.get("since_s"))
    return (
        f"Counter {subject} open with nobody signed in ({m} min)"
        if en
        else f"Quầy {subject} đang mở nhưng không có cán bộ đăng nhập ({m} phút)"
    )


def conditions(snap: Snapshot, thresholds: MonitorConfig) -> list[Condition]:
    """The alerts the snapshot calls for (the rules; no store, no clock of their own)."""
    found: list[Condition] = []
    for s in snap.services:
        if s.waiting > 0 and s.level in ("amber", "red"):
            found.append(
                Condition(
                    "wait",
                    s.code,
                    s.level,
                    {
                        "longest_s": s.longest_wait_s,
                        "target_min": s.target_min,
                        "number": s.oldest_number,
                        "waiting": s.waiting,
                    },
                )
            )
    for c in snap.counters:
        if c.state != "open":
            continue
        if c.staff is None:
            if (c.since_s or 0) >= thresholds.unattended_alert_min * 60:
                found.append(Condition("unattended", str(c.number), "amber", {"since_s": c.since_s}))
        elif c.ticket is None and c.waiting_for_it > 0 and (c.idle_s or 0) >= thresholds.idle_alert_min * 60:
            found.append(
                Condition(
                    "idle", str(c.number), "amber", {"idle_s": c.idle_s, "waiting": c.waiting_for_it, "staff": c.staff}
                )
            )
    for p in snap.printer_faults:
        found.append(Condition("printer", p.source, "red", {"message": p.message, "url": p.printer_url}))
    return found


def _info(row: Alert, names: dict[int, str]) -> AlertInfo:
    return AlertInfo(
        id=row.id,
        kind=row.kind,
        subject=row.subject,
        level=row.level,
        raised_at=row.raised_at,
        acked_at=row.acked_at,
        acked_by=names.get(row.acked_by_id) if row.acked_by_id else None,
        data=dict(row.data or {}),
    )


def _event(session: Session, kind: EventKind, row: Alert, at: datetime, by: StaffInfo | None = None) -> None:
    record_event(
        session,
        kind,
        service_code=row.subject if row.kind == "wait" else None,
        counter_number=int(row.subject) if row.kind in ("idle", "unattended") else None,
        staff_id=by.id if by else None,
        actor=by.username if by else "monitor",
        at=at,
        data={"alert": row.id, "kind": row.kind, "subject": row.subject, "level": row.level},
    )


def _insert_open(session: Session, c: Condition, at: datetime) -> int | None:
    """Insert the open alert unless another process did a moment ago; its id, or None."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(Alert).values(kind=c.kind, subject=c.subject, level=c.level, raised_at=at, data=c.data)
    done = stmt.on_conflict_do_nothing(
        index_elements=[Alert.kind, Alert.subject], index_where=Alert.cleared_at.is_(None)
    ).returning(Alert.id)
    return session.execute(done).scalar()


def _changes(open_rows: dict[tuple[str, str], Alert], wanted: dict[tuple[str, str], Condition]) -> bool:
    if set(open_rows) != set(wanted):
        return True
    return any(RANK[wanted[k].level] > RANK.get(r.level, 0) for k, r in open_rows.items())


def sync_alerts(session: Session, found: list[Condition], now: datetime | None = None) -> list[AlertInfo]:
    """Raise the new conditions, escalate the worse ones, clear the gone ones; the open alerts after that.

    Writes only when something changed (a read first), so a monitor refreshing every few
    seconds does not take the store's write lock each time. The alerts returned carry the
    conditions' current figures (how long the wait is *now*).
    """
    at = at_or_now(now)
    wanted = {(c.kind, c.subject): c for c in found}
    with read_transaction(session):
        current = {(r.kind, r.subject): r for r in session.scalars(select(Alert).where(Alert.cleared_at.is_(None)))}
        changed = _changes(current, wanted)
    if changed:
        with transaction(session):
            open_rows = {
                (r.kind, r.subject): r
                for r in session.scalars(select(Alert).where(Alert.cleared_at.is_(None)).with_for_update())
            }
            for key, row in open_rows.items():
                c = wanted.get(key)
                if c is None:
                    row.cleared_at = at
                    _event(session, EventKind.ALERT_CLEARED, row, at)
                elif RANK[c.level] > RANK.get(row.level, 0):
                    row.level, row.data, row.acked_at, row.acked_by_id = c.level, c.data, None, None
                    _event(session, EventKind.ALERT_ESCALATED, row, at)
            for key, c in wanted.items():
                if key not in open_rows:
                    new_id = _insert_open(session, c, at)
                    raised = session.get(Alert, new_id) if new_id is not None else None
                    if raised is not None:
                        _event(session, EventKind.ALERT_RAISED, raised, at)
    return [
        replace(a, data={**a.data, **wanted[(a.kind, a.subject)].data}) if (a.kind, a.subject) in wanted else a
        for a in open_alerts(session)
    ]


def open_alerts(session: Session) -> list[AlertInfo]:
    """Open alerts, red before amber, unacknowledged first, oldest first."""
    with read_transaction(session):
        rows = list(session.scalars(select(Alert).where(Alert.cleared_at.is_(None))))
        ids = {r.acked_by_id for r in rows if r.acked_by_id}
        names = {s.id: s.username for s in session.scalars(select(Staff).where(Staff.id.in_(ids)))} if ids else {}
        infos = [_info(r, names) for r in rows]
    return sorted(infos, key=lambda a: (-RANK.get(a.level, 0), a.acked_at is not None, a.raised_at, a.id))


def acknowledge(session: Session, alert_id: int, *, by: StaffInfo, now: datetime | None = None) -> AlertInfo:
    """A manager has seen the alert (who, when); Refused when it is cleared or acknowledged already."""
    at = at_or_now(now)
    with transaction(session):
        row = session.scalar(select(Alert).where(Alert.id == alert_id).with_for_update())
        if row is None or row.cleared_at is not None:
            raise Refused(
                "Cảnh báo này đã hết (tình huống đã được giải quyết).",
                "This alert is over (the situation has cleared).",
            )
        if row.acked_at is not None:
            who = session.get(Staff, row.acked_by_id) if row.acked_by_id else None
            name = who.username if who else "?"
            raise Refused(f"Cảnh báo này đã được {name} xác nhận.", f"This alert was already acknowledged by {name}.")
        row.acked_at, row.acked_by_id = at, by.id
        _event(session, EventKind.ALERT_ACKNOWLEDGED, row, at, by)
        return _info(row, {by.id: by.username})
