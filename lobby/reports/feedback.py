"""Feedback figures for ``lobby report``: reasons per service, counter and official; ratings per channel;
remarks received, handled on time, overdue.

- Ratings and their reasons belong to the ticket's local day (``ticket.day``), like every
  other rating figure; a ticket's *service* is the one it was issued for (``origin_service_id``)
  and its counter and official the last that handled it, as in ``lobby.reports.figures``.
- Remarks belong to the local day they arrived. *Handled* means answered or closed; *on time*
  that this happened by the deadline; *overdue now* that it has not, and the deadline has passed.
- Counted in SQL (one row per group and reason), the labels read once from the small tables.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, text

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.queue.views import RATINGS
from lobby.reports.sql import utc_bounds
from lobby.store.engine import Store

FeedbackGrouping = Literal["service", "counter", "staff"]
GROUPINGS: tuple[FeedbackGrouping, ...] = ("service", "counter", "staff")
CHANNELS = ("counter", "phone")
HEADERS: dict[FeedbackGrouping, tuple[str, str]] = {
    "service": ("Dịch vụ", "Service"), "counter": ("Quầy", "Counter"), "staff": ("Cán bộ", "Official")}


@dataclass
class ReasonRow:
    """The reasons given in one group: ``counts[reason]`` over every rating, ``unhappy[reason]`` over
    "not satisfied" ones."""

    key: str
    label: str
    label_en: str
    counts: dict[str, int] = field(default_factory=dict)
    unhappy: dict[str, int] = field(default_factory=dict)

    def name(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label


@dataclass
class RemarkFigures:
    received: int = 0
    anonymous: int = 0
    with_contact: int = 0
    handled: int = 0
    on_time: int = 0
    overdue_now: int = 0
    open_in_time: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.handled if self.handled else None


@dataclass
class FeedbackReport:
    start: date
    end: date
    at: datetime
    reasons: list[tuple[str, str, str]]  # (code, vi, en) in the config's order
    groups: dict[FeedbackGrouping, list[ReasonRow]] = field(default_factory=dict)
    total: ReasonRow = field(default_factory=lambda: ReasonRow("TOTAL", "Tổng cộng", "Total"))
    channels: dict[str, dict[str, int]] = field(default_factory=dict)
    remarks: RemarkFigures = field(default_factory=RemarkFigures)

    @property
    def empty(self) -> bool:
        """No reason, no phone rating and no remark: the report keeps its old shape."""
        return not (self.total.counts or self.rated("phone") or self.remarks.received)

    def rated(self, channel: str) -> int:
        return sum(self.channels.get(channel, {}).values())

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "at": self.at.isoformat(),
                "reasons": [c for c, _, _ in self.reasons], "total": asdict(self.total),
                "by": {k: [asdict(r) for r in v] for k, v in self.groups.items()},
                "channels": self.channels,
                "remarks": {**asdict(self.remarks), "on_time_share": self.remarks.on_time_share}}


def _filters(cfg: CentreConfig, service: str | None, counter: int | None, staff: str | None,
             columns: tuple[str, str, str]) -> tuple[str, dict[str, Any]]:
    """SQL conditions on (service, counter, official) columns, and their parameters."""
    svc, ctr, stf = columns
    where, params = "", dict[str, Any]()
    if service:
        where += f" AND {svc} = (SELECT id FROM service WHERE code = :f_service)"
        params["f_service"] = cfg.service(service).code
    if counter is not None:
        where += f" AND {ctr} = (SELECT id FROM counter WHERE number = :f_counter)"
        params["f_counter"] = counter
    if staff:
        where += f" AND {stf} = (SELECT id FROM staff WHERE username = :f_staff)"
        params["f_staff"] = staff
    return where, params


def _labels(conn: Connection) -> dict[FeedbackGrouping, dict[Any, tuple[str, str, str, tuple[Any, ...]]]]:
    """Per grouping: id → (key, vi, en, sort key)."""
    out: dict[FeedbackGrouping, dict[Any, tuple[str, str, str, tuple[Any, ...]]]] = {g: {} for g in GROUPINGS}
    for i, code, vi, en, order in conn.execute(text("SELECT id, code, name_vi, name_en, sort_order FROM service")):
        out["service"][i] = (code, vi, en or vi, (0, order, code))
    for i, number in conn.execute(text("SELECT id, number FROM counter")):
        out["counter"][i] = (str(number), f"Quầy {number}", f"Counter {number}", (0, number))
    for i, username, full in conn.execute(text("SELECT id, username, full_name FROM staff")):
        out["staff"][i] = (username, full, full, (0, full))
    return out


def feedback_report(store: Store, cfg: CentreConfig, start: date, end: date, *, service: str | None = None,
                    counter: int | None = None, staff: str | None = None,
                    now: datetime | None = None) -> FeedbackReport:
    at = at_or_now(now)
    report = FeedbackReport(start=start, end=end, at=at, reasons=[(r.code, r.vi, r.en) for r in cfg.feedback.reasons])
    lo, hi = utc_bounds(cfg, start, end)
    where, params = _filters(cfg, service, counter, staff, ("t.origin_service_id", "t.counter_id", "t.staff_id"))
    params.update(start=start, end=end)
    remark_where, remark_params = _filters(cfg, service, counter, staff,
                                           ("m.service_id", "m.counter_id", "m.staff_id"))
    remark_params.update(lo=lo.replace(tzinfo=None), hi=hi.replace(tzinfo=None))
    with store.read_engine.connect() as conn, conn.begin():
        reason_rows = conn.execute(text(f"""
            SELECT t.origin_service_id, t.counter_id, t.staff_id, r.value, rr.reason, count(*)
            FROM rating_reason rr JOIN rating r ON r.ticket_id = rr.ticket_id JOIN ticket t ON t.id = r.ticket_id
            WHERE t.day >= :start AND t.day <= :end {where}
            GROUP BY t.origin_service_id, t.counter_id, t.staff_id, r.value, rr.reason"""), params).all()
        channel_rows = conn.execute(text(f"""
            SELECT r.channel, r.value, count(*) FROM rating r JOIN ticket t ON t.id = r.ticket_id
            WHERE t.day >= :start AND t.day <= :end {where} GROUP BY r.channel, r.value"""), params).all()
        remark_rows = conn.execute(text(f"""
            SELECT m.ticket_id IS NULL, m.contact IS NOT NULL, coalesce(m.answered_at, m.closed_at), m.due_at,
                   count(*)
            FROM remark m WHERE m.received_at >= :lo AND m.received_at < :hi {remark_where}
            GROUP BY m.ticket_id IS NULL, m.contact IS NOT NULL, coalesce(m.answered_at, m.closed_at), m.due_at
            """), remark_params).all()
        labels = _labels(conn)
    _count_reasons(report, reason_rows, labels)
    for channel, value, n in channel_rows:
        report.channels.setdefault(channel, dict.fromkeys(RATINGS, 0))[value] = int(n)
    for ch in CHANNELS:
        report.channels.setdefault(ch, dict.fromkeys(RATINGS, 0))
    _count_remarks(report.remarks, remark_rows, at)
    return report


def _count_reasons(report: FeedbackReport, rows: Sequence[Any], labels: dict[FeedbackGrouping, dict[Any, Any]]) -> None:
    by: dict[FeedbackGrouping, dict[Any, ReasonRow]] = {g: {} for g in GROUPINGS}
    order: dict[FeedbackGrouping, dict[str, tuple[Any, ...]]] = defaultdict(dict)
    for service_id, counter_id, staff_id, value, reason, n in rows:
        keys: tuple[tuple[FeedbackGrouping, Any], ...] = (
            ("service", service_id), ("counter", counter_id), ("staff", staff_id))
        for g, key in keys:
            row = by[g].get(key)
            if row is None:
                k, vi, en, sort = labels[g].get(key, ("-", "Không rõ", "Unknown", (1,)))
                row = by[g][key] = ReasonRow(k, vi, en)
                order[g][k] = sort
            _add(row, value, reason, int(n))
        _add(report.total, value, reason, int(n))
    for g in GROUPINGS:
        sort = order[g]
        report.groups[g] = sorted(by[g].values(), key=lambda r: sort[r.key])


def _add(row: ReasonRow, value: str, reason: str, n: int) -> None:
    row.counts[reason] = row.counts.get(reason, 0) + n
    if value == "not_satisfied":
        row.unhappy[reason] = row.unhappy.get(reason, 0) + n


def _count_remarks(f: RemarkFigures, rows: Sequence[Any], at: datetime) -> None:
    naive_now = at.replace(tzinfo=None)
    for anonymous, contact, handled_at, due_at, n in rows:
        n = int(n)
        f.received += n
        f.anonymous += n if anonymous else 0
        f.with_contact += n if contact else 0
        due = _naive(due_at)
        if handled_at is not None:
            f.handled += n
            f.on_time += n if _naive(handled_at) <= due else 0
        elif naive_now > due:
            f.overdue_now += n
        else:
            f.open_in_time += n


def _naive(value: Any) -> datetime:
    """A stored UTC time as read by plain SQL: a naive datetime (SQLite gives text)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value)).replace(tzinfo=None)


def for_query(store: Store, cfg: CentreConfig, q: Any) -> FeedbackReport:
    """The feedback figures for a ``lobby report`` query (its days, service, counter and official filters)."""
    return feedback_report(store, cfg, q.start, q.end, service=q.service, counter=q.counter, staff=q.staff)
