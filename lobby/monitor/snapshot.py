"""The centre at a glance, read in one go: what the manager's live monitor shows.

Per service: people waiting, the longest wait now against the service's target
(green / amber from ``monitor.amber_share`` of the target / red past it) and how many
waited at each ten minutes of the last hour. Per counter: its state, who is signed in,
the ticket at the counter and for how long, and how long it has been idle. Today's
issued / served / no-show / transferred counts and satisfaction come from
``lobby.reports.figures`` (the figures of ``lobby report``, not a second count).

Every read takes the moment ``now`` from the caller, so tests drive time by hand.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local_day
from lobby.config import CentreConfig
from lobby.feed.alerts import PrinterAlert, open_printer_faults
from lobby.monitor.pauses import paused_on
from lobby.reports.figures import Figures, ReportQuery, build_report
from lobby.store.engine import Store, read_transaction
from lobby.store.models import Counter, CounterService, DaySequence, Service, Staff, Ticket
from lobby.vocabulary import AT_COUNTER

TREND_POINTS = 7  # now and every ten minutes back to an hour ago
TREND_STEP = timedelta(minutes=10)
LEVELS = ("none", "green", "amber", "red")


def wait_level(longest_s: float | None, target_min: int, amber_share: float) -> str:
    """none (nobody waits), green, amber (from ``amber_share`` of the target), red (past the target)."""
    if longest_s is None:
        return "none"
    target_s = target_min * 60
    if longest_s > target_s:
        return "red"
    return "amber" if longest_s >= amber_share * target_s else "green"


@dataclass(frozen=True)
class ServiceLive:
    code: str
    name_vi: str
    name_en: str
    waiting: int
    longest_wait_s: float | None
    oldest_number: str | None
    target_min: int
    level: str
    trend: tuple[int, ...]  # waiting an hour ago … now, every ten minutes
    paused_reason: str | None = None


@dataclass(frozen=True)
class CounterLive:
    number: int
    name: str
    state: str
    services: tuple[str, ...]
    staff: str | None
    staff_name: str | None
    ticket: str | None
    ticket_status: str | None
    busy_s: float | None  # how long the ticket at the counter has been there
    idle_s: float | None  # open, nobody at the counter: since the last ticket left (or the counter opened)
    waiting_for_it: int  # people waiting for the counter's services
    since_s: float | None  # how long the counter has been in its state


@dataclass(frozen=True)
class Snapshot:
    at: datetime
    day: date
    services: tuple[ServiceLive, ...]
    counters: tuple[CounterLive, ...]
    today: Figures | None
    printer_faults: tuple[PrinterAlert, ...] = field(default_factory=tuple)

    def service(self, code: str) -> ServiceLive:
        return next(s for s in self.services if s.code == code)

    def counter(self, number: int) -> CounterLive:
        return next(c for c in self.counters if c.number == number)

    def to_json(self) -> dict[str, Any]:
        today = None
        if self.today is not None:
            today = self.today.to_json()
        return {
            "at": self.at.isoformat(),
            "day": self.day.isoformat(),
            "services": [asdict(s) for s in self.services],
            "counters": [asdict(c) for c in self.counters],
            "today": today,
            "printer_faults": [{**asdict(p), "at": p.at.isoformat()} for p in self.printer_faults],
        }


def _seconds(span: timedelta) -> float:
    return max(span.total_seconds(), 0.0)


def _trend(session: Session, day: date, at: datetime, waiting: dict[int, int]) -> dict[int, tuple[int, ...]]:
    """Waiting per service at each ten minutes of the last hour, worked back from now.

    Waiting then = waiting now − issued since + called (first time) or cancelled since.
    Transfers are left out: the trend shows how the queue moves, not an exact count.
    """
    start = at - TREND_STEP * (TREND_POINTS - 1)
    rows = session.execute(
        select(Ticket.service_id, Ticket.issued_at, Ticket.called_at, Ticket.status, Ticket.finished_at).where(
            Ticket.day == day, or_(Ticket.issued_at > start, Ticket.called_at > start, Ticket.finished_at > start)
        )
    ).all()
    points = [at - TREND_STEP * k for k in range(TREND_POINTS - 1, -1, -1)]
    deltas: dict[int, list[int]] = {sid: [0] * TREND_POINTS for sid in waiting}
    for service_id, issued, called, status, finished in rows:
        d = deltas.setdefault(service_id, [0] * TREND_POINTS)
        left = called if called is not None else (finished if status == "cancelled" else None)
        for i, t in enumerate(points):
            if issued > t:
                d[i] -= 1
            if left is not None and left > t:
                d[i] += 1
    return {sid: tuple(max(waiting.get(sid, 0) + x, 0) for x in d) for sid, d in deltas.items()}


def read_live(
    session: Session,
    cfg: CentreConfig,
    now: datetime | None = None,
) -> tuple[tuple[ServiceLive, ...], tuple[CounterLive, ...]]:
    """The services' and counters' part of the snapshot (one read transaction)."""
    at = at_or_now(now)
    day = local_day(at, cfg.tz)
    amber = cfg.monitor.amber_share
    with read_transaction(session):
        paused = paused_on(session, day)
        services = {s.code: s for s in session.scalars(select(Service).where(Service.active.is_(True)))}
        by_id = {s.id: s for s in services.values()}
        waiting = {
            sid: n
            for sid, n in session.execute(
                select(DaySequence.service_id, DaySequence.waiting).where(DaySequence.day == day)
            )
        }
        oldest: dict[int, tuple[datetime, str]] = {}
        for sid, n in waiting.items():
            if n <= 0:
                continue
            head = session.execute(
                select(Ticket.queued_at, Ticket.number)
                .where(Ticket.service_id == sid, Ticket.day == day, Ticket.status == "waiting")
                .order_by(Ticket.queued_at)
                .limit(1)
            ).first()
            if head is not None:
                oldest[sid] = (head[0], head[1])
        trend = _trend(session, day, at, waiting)
        live_services = []
        for sc in cfg.services:
            svc = services.get(sc.code)
            if svc is None:
                continue
            head_at, head_number = oldest.get(svc.id, (None, None))
            longest = _seconds(at - head_at) if head_at is not None else None
            live_services.append(
                ServiceLive(
                    code=sc.code,
                    name_vi=sc.name_vi,
                    name_en=sc.name_en,
                    waiting=max(waiting.get(svc.id, 0), 0),
                    longest_wait_s=longest,
                    oldest_number=head_number,
                    target_min=sc.target_wait_min,
                    level=wait_level(longest, sc.target_wait_min, amber),
                    trend=trend.get(svc.id, (0,) * TREND_POINTS),
                    paused_reason=paused.get(sc.code),
                )
            )
        counters = _counters(session, cfg, day, at, by_id, waiting)
    return tuple(live_services), counters


def _counters(
    session: Session,
    cfg: CentreConfig,
    day: date,
    at: datetime,
    services: dict[int, Service],
    waiting: dict[int, int],
) -> tuple[CounterLive, ...]:
    links: dict[int, list[int]] = {}
    for link in session.scalars(select(CounterService).order_by(CounterService.rank)):
        links.setdefault(link.counter_id, []).append(link.service_id)
    staff = {
        s.id: s
        for s in session.scalars(
            select(Staff).where(Staff.id.in_(select(Counter.staff_id).where(Counter.staff_id.is_not(None))))
        )
    }
    current = {
        t.counter_id: t
        for t in session.scalars(select(Ticket).where(Ticket.status.in_(AT_COUNTER), Ticket.counter_id.is_not(None)))
    }
    last_left: dict[int | None, datetime | None] = {
        cid: t
        for cid, t in session.execute(
            select(Ticket.counter_id, func.max(Ticket.finished_at))
            .where(Ticket.day == day, Ticket.counter_id.is_not(None), Ticket.finished_at.is_not(None))
            .group_by(Ticket.counter_id)
        )
    }
    labels = {c.number: c.label("vi") for c in cfg.counters}
    result = []
    for row in session.scalars(select(Counter).where(Counter.active.is_(True)).order_by(Counter.number)):
        member = staff.get(row.staff_id) if row.staff_id else None
        ticket = current.get(row.id)
        busy = _seconds(at - (ticket.started_at or ticket.last_called_at or at)) if ticket else None
        idle = None
        if row.state == "open" and ticket is None:
            since = max((t for t in (last_left.get(row.id), row.updated_at) if t is not None), default=None)
            idle = _seconds(at - since) if since is not None else None
        codes = tuple(services[s].code for s in links.get(row.id, []) if s in services)
        result.append(
            CounterLive(
                number=row.number,
                name=labels.get(row.number, row.name),
                state=row.state,
                services=codes,
                staff=member.username if member else None,
                staff_name=member.full_name if member else None,
                ticket=ticket.number if ticket else None,
                ticket_status=ticket.status if ticket else None,
                busy_s=busy,
                idle_s=idle,
                waiting_for_it=sum(max(waiting.get(s, 0), 0) for s in links.get(row.id, [])),
                since_s=_seconds(at - row.updated_at) if row.updated_at else None,
            )
        )
    return tuple(result)


def today_figures(store: Store, cfg: CentreConfig, now: datetime | None = None) -> Figures:
    """Today's totals, through the report code of ``lobby report``."""
    day = local_day(at_or_now(now), cfg.tz)
    return build_report(store, cfg, ReportQuery(day, day), "service").total


def read_snapshot(store: Store, cfg: CentreConfig, now: datetime | None = None, *, figures: bool = True) -> Snapshot:
    """The whole snapshot; ``figures=False`` leaves out today's report totals (a caller that caches them)."""
    at = at_or_now(now)
    with store.read_session() as s:
        services, counters = read_live(s, cfg, at)
        faults = tuple(open_printer_faults(s))
    return Snapshot(
        at=at,
        day=local_day(at, cfg.tz),
        services=services,
        counters=counters,
        today=today_figures(store, cfg, at) if figures else None,
        printer_faults=faults,
    )
