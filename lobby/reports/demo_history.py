"""A realistic generated history, so the reports and charts can be seen without a live centre.

Working days only (the centre's opening days). Arrivals follow the day's shape in a
Vietnamese one-stop centre: a peak mid-morning and a smaller one early in the
afternoon, none at lunch; Mondays are busiest. Each service gets a share of the
arrivals in proportion to the counters that serve it. The counters are then
simulated minute by minute in the same way as the queue rules call (priority first,
oldest first, over the services each counter serves): each call may end in a
no-show, a transfer to another service (the ticket keeps its place by issue time),
or a service whose length is drawn around the service's ``default_service_min``
and the official's own pace. About two thirds of served citizens rate the
service; the longer they waited, the less satisfied. Whatever is still waiting at
the end of the day expires, as ``close_day`` does.

The rows (tickets, their events in time order, ratings, and ``day_sequence`` so
that the next live ticket of a generated day gets the right number) are written in
one transaction with bulk inserts: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL. Generated days must not hold tickets already and must be before today.
"""
from __future__ import annotations

import heapq
import json
import math
import random
import time as wall
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import Connection, Date, bindparam, text

from lobby.clock import local_day, utcnow
from lobby.config import CentreConfig, ServiceConfig, TimeRange
from lobby.errors import LobbyError
from lobby.store.models import duration_us
from lobby.staffing.staff import hash_pin
from lobby.store.engine import Store

DEMO_PIN = "1234"
FLUSH_TICKETS = 20_000
WEEKDAY_LOAD = {1: 1.2, 2: 1.05, 3: 1.0, 4: 0.95, 5: 0.85, 6: 0.6, 7: 0.4}
P_PRIORITY = 0.06
P_NO_SHOW = 0.04
P_RECALL = 0.5          # of no-shows, called twice before being marked absent
P_TRANSFER = 0.025
P_CANCEL = 0.006
P_RATE = 0.65
CALL_AFTER_CLOSE_MIN = 15  # officials keep calling this long after a session ends
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
          "Ngô", "Dương", "Lý")
MIDDLE_M = ("Văn", "Hữu", "Minh", "Đức", "Quang", "Thanh")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn",
           "Việt", "Đạt")
GIVEN_F = ("Anh", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến",
           "Ngân", "Hằng")
TRANSFER_TO = {"DKKD": "CT", "CT": "DKKD", "DD": "TNMT", "TNMT": "DD", "XD": "DD", "HT": "TKQ",
               "LDTBXH": "YT", "YT": "LDTBXH", "GPLX": "TKQ"}
PRIORITY_SHARE = {"elderly": 0.5, "disabled": 0.15, "pregnant": 0.15, "merit": 0.1, "child": 0.1}


class HistoryOverlap(LobbyError):
    def __init__(self, first: date, last: date, count: int) -> None:
        super().__init__(
            f"Đã có {count} số trong khoảng {first:%d/%m/%Y}–{last:%d/%m/%Y}; chỉ tạo lịch sử mẫu cho những ngày "
            "chưa có số (dùng một cơ sở dữ liệu mới, hoặc --end sớm hơn).",
            f"{count} tickets already exist between {first.isoformat()} and {last.isoformat()}; generated history "
            "only goes into days without tickets (use a fresh database, or an earlier --end).",
        )


@dataclass(frozen=True)
class HistoryResult:
    first: date
    last: date
    days: int
    tickets: int
    events: int
    ratings: int
    staff_created: int
    seconds: float


@dataclass
class _Official:
    id: int
    username: str
    pace: float       # multiplies service times
    warmth: float     # shifts ratings toward satisfied (>0) or not (<0)


@dataclass
class _Svc:
    idx: int
    id: int
    code: str
    cfg: ServiceConfig
    weight: float
    minutes: list[int]        # local minutes of the day when tickets are issued
    cum: list[float]


# ---------------------------------------------------------------- entry point


def generate_history(
    store: Store, cfg: CentreConfig, *, days: int = 90, end: date | None = None, seed: int = 7,
    per_day: int | None = None, progress: Callable[[date, int], None] | None = None,
) -> HistoryResult:
    """Fill ``days`` calendar days ending ``end`` (default yesterday) with a generated history."""
    started = wall.perf_counter()
    if days < 1:
        raise LobbyError("--days phải là số nguyên dương.", "--days must be a positive whole number.")
    today = local_day(utcnow(), cfg.tz)
    last = end or today - timedelta(days=1)
    if last >= today:
        raise LobbyError(f"--end ({last:%d/%m/%Y}) phải trước hôm nay: lịch sử mẫu không ghi vào ngày đang làm việc.",
                         f"--end ({last.isoformat()}) must be before today: generated history never touches a live day.")
    first = last - timedelta(days=days - 1)
    rng = random.Random(seed)
    writer = _writer(store)
    with store.engine.begin() as conn:
        writer.lock(conn)
        existing = conn.execute(
            text("SELECT count(*) FROM ticket WHERE day >= :a AND day <= :b").bindparams(
                bindparam("a", type_=Date()), bindparam("b", type_=Date())),
            {"a": first, "b": last},
        ).scalar_one()
        if existing:
            raise HistoryOverlap(first, last, existing)
        services = _services(conn, cfg, rng)
        counters = _counters(conn, cfg, services)
        officials, guards, created = _staff(conn, cfg, rng, len(counters))
        sim = _Simulation(cfg, rng, services, counters, officials, guards)
        target = per_day or sim.default_per_day()
        next_ticket = writer.next_id(conn, "ticket")
        next_event = writer.next_id(conn, "event")
        totals = [0, 0, 0]
        buffers = _Buffers()
        working = 0
        for day in _days(first, last):
            if day.isoweekday() not in cfg.centre.opening_days:
                continue
            working += 1
            n = max(1, round(target * WEEKDAY_LOAD[day.isoweekday()] * rng.gauss(1.0, 0.08)))
            next_ticket, next_event = sim.run_day(day, n, next_ticket, next_event, buffers)
            if len(buffers.tickets) >= FLUSH_TICKETS:
                _flush(writer, conn, buffers, totals)
            if progress is not None:
                progress(day, totals[0] + len(buffers.tickets))
        _flush(writer, conn, buffers, totals)
        writer.finish(conn)
    writer.after(store)
    return HistoryResult(first, last, working, totals[0], totals[1], totals[2], created,
                         wall.perf_counter() - started)


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


class _Buffers:
    def __init__(self) -> None:
        self.tickets: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.ratings: list[tuple[Any, ...]] = []
        self.sequences: list[tuple[Any, ...]] = []


def _flush(writer: "_Writer", conn: Connection, b: _Buffers, totals: list[int]) -> None:
    writer.write(conn, "ticket", TICKET_COLUMNS, b.tickets)
    writer.write(conn, "event", EVENT_COLUMNS, b.events)
    writer.write(conn, "rating", RATING_COLUMNS, b.ratings)
    writer.write(conn, "day_sequence", SEQUENCE_COLUMNS, b.sequences)
    totals[0] += len(b.tickets)
    totals[1] += len(b.events)
    totals[2] += len(b.ratings)
    b.__init__()  # type: ignore[misc]


# ---------------------------------------------------------------- the centre as it is in the store


def _services(conn: Connection, cfg: CentreConfig, rng: random.Random) -> dict[str, _Svc]:
    ids = {code: sid for sid, code in conn.execute(text("SELECT id, code FROM service"))}
    missing = [s.code for s in cfg.services if s.code not in ids]
    if missing:
        raise LobbyError(f"Cơ sở dữ liệu chưa có dịch vụ {', '.join(missing)}: chạy «lobby init» trước.",
                         f"The database lacks services {', '.join(missing)}: run “lobby init” first.")
    # Each service's share of arrivals: what its counters can serve, tilted a little per service.
    capacity = {s.code: 0.0 for s in cfg.services}
    for c in cfg.counters:
        for code in c.services:
            capacity[code] += 1.0 / len(c.services) / cfg.service(code).default_service_min
    out = {}
    for i, sc in enumerate(cfg.services):
        minutes = _issue_minutes(sc.hours or cfg.centre.opening_hours)
        weights = [_shape(m) for m in minutes]
        cum, acc = [], 0.0
        for w in weights:
            acc += w
            cum.append(acc)
        out[sc.code] = _Svc(i, ids[sc.code], sc.code, sc, capacity[sc.code] * rng.uniform(0.8, 1.15), minutes, cum)
    return out


def _issue_minutes(ranges: list[TimeRange]) -> list[int]:
    return [m for r in ranges for m in range(r.start.hour * 60 + r.start.minute, r.end.hour * 60 + r.end.minute)]


def _shape(minute: int) -> float:
    """Arrivals per minute, relative: a peak about 9:30 and a smaller one about 14:30."""
    h = minute / 60.0
    return 1.0 * math.exp(-((h - 9.5) / 1.1) ** 2 / 2) + 0.7 * math.exp(-((h - 14.5) / 0.9) ** 2 / 2) + 0.12


def _counters(conn: Connection, cfg: CentreConfig, services: dict[str, _Svc]) -> list[tuple[int, int, list[str]]]:
    ids = {number: cid for cid, number in conn.execute(text("SELECT id, number FROM counter"))}
    return [(ids[c.number], c.number, list(c.services)) for c in cfg.counters if c.number in ids]


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalpha()).lower()


def _staff(conn: Connection, cfg: CentreConfig, rng: random.Random, counters: int) -> tuple[list[_Official], list[int], int]:
    """One official per counter and a few to stand in, plus two guards who grant priority (made if missing)."""
    existing = {u: (i, r) for i, u, r in conn.execute(text("SELECT id, username, role FROM staff"))}
    wanted: list[tuple[str, str, str]] = []
    used: set[str] = set()
    names: set[str] = set()
    n_officials = counters + max(2, counters // 4)
    while len(wanted) < n_officials + 2:
        female = rng.random() < 0.55
        full = " ".join((rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)))
        if full in names:
            continue
        names.add(full)
        parts = full.split()
        base = _ascii(parts[-1]) + "." + _ascii(parts[0])
        username, k = base, 2
        while username in used:
            username, k = f"{base}{k}", k + 1
        used.add(username)
        role = "official" if len(wanted) < n_officials else "guard"
        wanted.append((username, full, role))
    pin_hash = hash_pin(DEMO_PIN)
    created = 0
    for username, full, role in wanted:
        if username in existing:
            continue
        conn.execute(text("INSERT INTO staff (username, full_name, role, pin_hash, failed_pins, active, created_at) "
                          "VALUES (:u, :f, :r, :p, 0, :a, :c)"),
                     {"u": username, "f": full, "r": role, "p": pin_hash, "a": True,
                      "c": utcnow().replace(tzinfo=None)})
        created += 1
    ids = {u: i for i, u in conn.execute(text("SELECT id, username FROM staff"))}
    officials = [_Official(ids[u], u, rng.uniform(0.8, 1.25), rng.gauss(0.0, 0.12))
                 for u, _, r in wanted if r == "official"]
    guards = [ids[u] for u, _, r in wanted if r == "guard"]
    return officials, guards, created


# ---------------------------------------------------------------- the simulation


TICKET_COLUMNS = ("id", "day", "service_id", "origin_service_id", "seq", "number", "priority_group", "is_priority",
                  "granted_by_id", "status", "counter_id", "staff_id", "source", "issued_at", "queued_at",
                  "called_at", "last_called_at", "started_at", "finished_at", "call_count", "note", "wait_us",
                  "service_us")
EVENT_COLUMNS = ("id", "at", "kind", "ticket_id", "number", "service_code", "counter_number", "staff_id", "actor",
                 "data")
RATING_COLUMNS = ("ticket_id", "value", "staff_id", "counter_id", "at")
SEQUENCE_COLUMNS = ("day", "service_id", "next_number", "issued", "waiting", "waiting_priority")

# A ticket while simulated: a list indexed by these.
T_ID, T_SVC, T_ORIGIN, T_SEQ, T_NUMBER, T_GROUP, T_GRANTED, T_STATUS, T_COUNTER, T_STAFF, T_ISSUED, T_CALLED, \
    T_LAST_CALLED, T_STARTED, T_FINISHED, T_CALLS, T_CANCEL_AT, T_COUNTER_NO = range(18)


class _Simulation:
    def __init__(self, cfg: CentreConfig, rng: random.Random, services: dict[str, _Svc],
                 counters: list[tuple[int, int, list[str]]], officials: list[_Official], guards: list[int]) -> None:
        self.cfg = cfg
        self.rng = rng
        self.services = services
        self.by_idx = sorted(services.values(), key=lambda s: s.idx)
        self.counters = counters
        self.officials = officials
        self.guards = guards
        self.tz = cfg.tz
        self.sessions = [(r.start.hour * 3600 + r.start.minute * 60, r.end.hour * 3600 + r.end.minute * 60)
                         for r in cfg.centre.opening_hours]
        groups = {g.code: g for g in cfg.priority_groups}
        self.groups = [(code, share, groups[code].needs_pin) for code, share in PRIORITY_SHARE.items() if code in groups]
        if not self.groups:
            self.groups = [(g.code, 1.0, g.needs_pin) for g in cfg.priority_groups]
        self.serving_counters = {s.code: sum(1 for _, _, codes in counters if s.code in codes) for s in self.by_idx}

    def default_per_day(self) -> int:
        """About 60% of what the counters can serve in a day (the peaks then fill them)."""
        open_min = sum(b - a for a, b in self.sessions) / 60
        capacity = sum(open_min / (sum(self.cfg.service(c).default_service_min for c in codes) / len(codes))
                       for _, _, codes in self.counters)
        return max(1, round(capacity * 0.6))

    # ------------------------------------------------------------ one day

    def run_day(self, day: date, n: int, next_ticket: int, next_event: int, out: _Buffers) -> tuple[int, int]:
        rng = self.rng
        midnight = datetime.combine(day, time(0), self.tz).astimezone(timezone.utc).replace(tzinfo=None)
        events: list[tuple[float, int, tuple[Any, ...]]] = []   # (local seconds, order, row without id/at)
        order = 0

        def ev(at: float, kind: str, t: list[Any] | None = None, code: str | None = None,
               counter: int | None = None, staff: int | None = None, actor: str | None = None,
               data: dict[str, Any] | None = None) -> None:
            nonlocal order
            order += 1
            events.append((at, order, (kind, t[T_ID] if t else None, t[T_NUMBER] if t else None, code, counter,
                                       staff, actor, json.dumps(data) if data is not None else None)))

        # Arrivals.
        weights = [s.weight for s in self.by_idx]
        total_w = sum(weights)
        arrivals: list[tuple[float, int]] = []
        for _ in range(n):
            r = rng.random() * total_w
            k = 0
            while r > weights[k] and k < len(weights) - 1:
                r -= weights[k]
                k += 1
            s = self.by_idx[k]
            m = s.minutes[_bisect(s.cum, rng.random() * s.cum[-1])]
            arrivals.append((m * 60 + rng.random() * 60, k))
        arrivals.sort()
        seqs = [s.cfg.first_number for s in self.by_idx]
        issued_count = [0] * len(self.by_idx)
        tickets: list[list[Any]] = []
        for at, k in arrivals:
            s = self.by_idx[k]
            seq = seqs[k]
            seqs[k] += 1
            issued_count[k] += 1
            group = granted = None
            if rng.random() < P_PRIORITY:
                group, needs_pin = _pick(rng, self.groups)
                if needs_pin and self.guards:
                    granted = rng.choice(self.guards)
            t = [next_ticket, k, k, seq, s.cfg.format_number(seq), group, granted, "waiting", None, None,
                 float(int(at)), None, None, None, None, 0,
                 at + rng.uniform(300, 1800) if rng.random() < P_CANCEL else None, None]
            next_ticket += 1
            tickets.append(t)

        # The officials of the day: each counter's own, sometimes someone standing in.
        staff_of = {}
        spare = self.officials[len(self.counters):]
        for i, (cid, number, _codes) in enumerate(self.counters):
            own = self.officials[i % len(self.officials)]
            staff_of[cid] = rng.choice(spare) if spare and rng.random() < 0.08 else own
        for cid, number, _codes in self.counters:
            o = staff_of[cid]
            at = self.sessions[0][0] - rng.uniform(120, 900)
            ev(at, "signed_in", counter=number, staff=o.id, actor=o.username)
            ev(at, "counter_opened", counter=number, staff=o.id)

        # Queues: per service, a heap of (not priority, queued_at, id, ticket).
        queues: list[list[tuple[int, float, int, list[Any]]]] = [[] for _ in self.by_idx]
        free: list[tuple[float, int]] = [(self.sessions[0][0], i) for i in range(len(self.counters))]
        heapq.heapify(free)
        pending = 0  # next arrival not yet queued
        close = self.sessions[-1][1] + CALL_AFTER_CLOSE_MIN * 60
        svc_index = {s.code: s.idx for s in self.by_idx}
        counter_svcs = [[svc_index[c] for c in codes] for _, _, codes in self.counters]
        while free:
            now, ci = heapq.heappop(free)
            now = self._in_session(now)
            if now is None or now >= close:
                continue
            while pending < len(tickets) and tickets[pending][T_ISSUED] <= now:
                t = tickets[pending]
                k = t[T_SVC]
                ahead = len(queues[k])
                heapq.heappush(queues[k], (0 if t[T_GROUP] else 1, t[T_ISSUED], t[T_ID], t))
                s = self.by_idx[k]
                wait = math.ceil(ahead / max(1, self.serving_counters[s.code]) * s.cfg.default_service_min) if ahead else 0
                ev(t[T_ISSUED], "issued", t, s.code, staff=t[T_GRANTED], actor="kiosk-1",
                   data={"priority": t[T_GROUP], "ahead": ahead, "estimated_wait_min": wait})
                pending += 1
            t = self._next(queues, counter_svcs[ci], now, ev)
            if t is None:
                nxt = tickets[pending][T_ISSUED] if pending < len(tickets) else None
                if nxt is not None:
                    heapq.heappush(free, (max(nxt, now + 1), ci))
                continue
            heapq.heappush(free, (self._serve(t, ci, now, staff_of, queues, ev), ci))

        # Close of day: anything still waiting is cancelled (if the citizen gave up) or expires.
        close_at = self.sessions[-1][1] + 1800.0
        expired = 0
        for t in tickets:
            if t[T_STATUS] != "waiting":
                continue
            code = self.by_idx[t[T_SVC]].code
            if t[T_CANCEL_AT] is not None and t[T_CANCEL_AT] < close_at:
                t[T_STATUS], t[T_FINISHED] = "cancelled", float(int(t[T_CANCEL_AT]))
                ev(t[T_FINISHED], "cancelled", t, code, actor="cli")
            else:
                t[T_STATUS], t[T_FINISHED] = "expired", close_at
                expired += 1
                ev(close_at, "expired", t, code, data={"from": "waiting"})
        for cid, number, _codes in self.counters:
            ev(close_at, "counter_closed", counter=number)
        ev(close_at, "day_closed", data={"day": day.isoformat(), "expired": expired})

        # Rows, events in time order.
        def ts(sec: float | None) -> datetime | None:
            return None if sec is None else midnight + timedelta(seconds=int(sec))

        svc_ids = [s.id for s in self.by_idx]
        for t in tickets:
            issued, called, started, finished = ts(t[T_ISSUED]), ts(t[T_CALLED]), ts(t[T_STARTED]), ts(t[T_FINISHED])
            out.tickets.append((
                t[T_ID], day, svc_ids[t[T_SVC]], svc_ids[t[T_ORIGIN]], t[T_SEQ], t[T_NUMBER], t[T_GROUP],
                t[T_GROUP] is not None, t[T_GRANTED], t[T_STATUS], t[T_COUNTER], t[T_STAFF], "kiosk-1", issued,
                issued, called, ts(t[T_LAST_CALLED]), started, finished, t[T_CALLS], None,
                duration_us(issued, called), duration_us(started, finished) if t[T_STATUS] == "done" else None,
            ))
        for at, _, row in sorted(events, key=lambda e: (e[0], e[1])):
            stamp = ts(at)
            out.events.append((next_event, stamp, *row))
            if row[0] == "rated":
                t_id, value = row[1], json.loads(row[7])["value"]
                out.ratings.append((t_id, value, row[5], self._counter_id(row[4]), stamp))
            next_event += 1
        for k, s in enumerate(self.by_idx):
            if issued_count[k]:
                out.sequences.append((day, s.id, seqs[k], issued_count[k], 0, 0))
        return next_ticket, next_event

    def _counter_id(self, number: int | None) -> int | None:
        for cid, n, _ in self.counters:
            if n == number:
                return cid
        return None

    def _in_session(self, at: float) -> float | None:
        """``at`` moved to the next moment a counter calls (lunch is skipped); None after the last session."""
        for i, (a, b) in enumerate(self.sessions):
            limit = b + (CALL_AFTER_CLOSE_MIN * 60 if i == len(self.sessions) - 1 else 0)
            if at < a:
                return float(a)
            if at < limit:
                return at
        return None

    def _next(self, queues: list[list[tuple[int, float, int, list[Any]]]], svcs: list[int], now: float,
              ev: Callable[..., None]) -> list[Any] | None:
        """The ticket this counter calls: priority first, then the oldest, across its services."""
        while True:
            best = None
            for k in svcs:
                q = queues[k]
                if q and (best is None or q[0][:3] < queues[best][0][:3]):
                    best = k
            if best is None:
                return None
            t = heapq.heappop(queues[best])[3]
            if t[T_CANCEL_AT] is not None and t[T_CANCEL_AT] < now and t[T_CALLED] is None:
                t[T_STATUS], t[T_FINISHED] = "cancelled", float(int(t[T_CANCEL_AT]))
                ev(t[T_FINISHED], "cancelled", t, self.by_idx[t[T_SVC]].code, actor="cli")
                continue
            return t

    def _serve(self, t: list[Any], ci: int, now: float, staff_of: dict[int, _Official],
               queues: list[list[tuple[int, float, int, list[Any]]]], ev: Callable[..., None]) -> float:
        """Call ``t`` at counter ``ci``; return when the counter is free again."""
        rng = self.rng
        cid, number, _codes = self.counters[ci]
        o = staff_of[cid]
        s = self.by_idx[t[T_SVC]]
        now = float(int(now))
        t[T_STATUS], t[T_COUNTER], t[T_STAFF], t[T_COUNTER_NO] = "called", cid, o.id, number
        t[T_CALLED] = t[T_CALLED] if t[T_CALLED] is not None else now
        t[T_LAST_CALLED] = now
        t[T_CALLS] += 1
        ev(now, "called", t, s.code, number, o.id, data={"priority": t[T_GROUP]})
        if rng.random() < P_NO_SHOW:
            at = now
            if rng.random() < P_RECALL:
                at += rng.randint(45, 120)
                t[T_LAST_CALLED] = at
                t[T_CALLS] += 1
                ev(at, "recalled", t, s.code, number, o.id, data={"priority": t[T_GROUP]})
            at += rng.randint(60, 150)
            t[T_STATUS], t[T_FINISHED] = "no_show", at
            ev(at, "no_show", t, s.code, number, o.id)
            return at + 5
        start = now + rng.randint(20, 100)
        t[T_STARTED] = start
        ev(start, "serving", t, s.code, number, o.id)
        length = s.cfg.default_service_min * 60 * o.pace * rng.lognormvariate(-0.08, 0.4)
        target = TRANSFER_TO.get(s.code)
        if target in self.services and rng.random() < P_TRANSFER and t[T_SVC] == t[T_ORIGIN]:
            at = start + int(length * rng.uniform(0.3, 0.7))
            to = self.services[target]
            t[T_SVC], t[T_STATUS], t[T_COUNTER], t[T_STAFF] = to.idx, "waiting", None, None
            ev(at, "transferred", t, to.code, number, o.id, data={"from": s.code, "to": to.code})
            heapq.heappush(queues[to.idx], (0 if t[T_GROUP] else 1, t[T_ISSUED], t[T_ID], t))
            return at + 10
        done = start + max(40, int(length))
        t[T_STATUS], t[T_FINISHED] = "done", done
        ev(done, "finished", t, s.code, number, o.id)
        if rng.random() < P_RATE:
            value = self._rating(t, o)
            ev(done + rng.randint(3, 40), "rated", t, s.code, number, o.id, data={"value": value})
        return done + rng.randint(5, 30)

    def _rating(self, t: list[Any], o: _Official) -> str:
        origin = self.by_idx[t[T_ORIGIN]]
        waited = (t[T_CALLED] - t[T_ISSUED]) / 60.0
        late = max(0.0, waited / origin.cfg.target_wait_min - 1.0)
        p_not = min(0.6, max(0.01, 0.04 + 0.12 * late - o.warmth * 0.3))
        p_very = min(0.9, max(0.1, 0.55 - 0.15 * late + o.warmth))
        r = self.rng.random()
        if r < p_not:
            return "not_satisfied"
        return "very_satisfied" if r < p_not + p_very else "satisfied"


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _pick(rng: random.Random, groups: list[tuple[str, float, bool]]) -> tuple[str, bool]:
    r = rng.random() * sum(share for _, share, _ in groups)
    for code, share, needs_pin in groups:
        if r < share:
            return code, needs_pin
        r -= share
    return groups[-1][0], groups[-1][2]


# ---------------------------------------------------------------- bulk writers


class _Writer:
    def lock(self, conn: Connection) -> None:
        """SQLite: the write transaction began with BEGIN IMMEDIATE, so nobody else writes meanwhile."""

    def next_id(self, conn: Connection, table: str) -> int:
        return int(conn.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar_one())

    def write(self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        cols = ", ".join(columns)
        marks = ", ".join("?" for _ in columns)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", (self._row(r) for r in rows))
        finally:
            cursor.close()

    @staticmethod
    def _row(row: tuple[Any, ...]) -> tuple[Any, ...]:
        """Values as SQLAlchemy stores them on SQLite (ISO text for dates and times, 0/1 for booleans)."""
        return tuple(
            v.isoformat(sep=" ", timespec="microseconds") if isinstance(v, datetime)
            else v.isoformat() if isinstance(v, date)
            else int(v) if isinstance(v, bool)
            else v
            for v in row
        )

    def finish(self, conn: Connection) -> None:
        pass

    def after(self, store: Store) -> None:
        """SQLite: fold the large write-ahead log into the database and refresh the planner's statistics."""
        raw = store.engine.raw_connection()  # autocommit: the store issues BEGIN itself
        try:
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


class _PgWriter(_Writer):
    def lock(self, conn: Connection) -> None:
        conn.execute(text("LOCK TABLE ticket, event, rating, day_sequence IN SHARE ROW EXCLUSIVE MODE"))

    def write(self, conn: Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self, conn: Connection) -> None:
        for table in ("ticket", "event"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT coalesce(max(id), 1) FROM {table}))"))

    def after(self, store: Store) -> None:
        with store.engine.connect() as conn:
            for table in ("ticket", "event", "rating", "day_sequence"):
                conn.execute(text(f"ANALYZE {table}"))
            conn.commit()


def _writer(store: Store) -> _Writer:
    return _PgWriter() if store.dialect == "postgresql" else _Writer()
