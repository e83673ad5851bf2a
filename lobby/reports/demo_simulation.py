"""One generated day, minute by minute: arrivals, calls in the queue's own call order (priority
first with the same cap, oldest first across each counter's services), no-shows, transfers,
service times around each service's ``default_service_min``, ratings, and the close of the day."""
from __future__ import annotations

import heapq
import json
import math
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from lobby.config import CentreConfig
from lobby.queue.call_order import class_to_call, streak_after
from lobby.reports.demo_centre import DEMO_SOURCE, Official, Svc
from lobby.reports.demo_writers import Buffers
from lobby.store.models import duration_us
from lobby.vocabulary import EventKind, TicketState

P_PRIORITY = 0.06


P_NO_SHOW = 0.04


P_RECALL = 0.5          # of no-shows, called twice before being marked absent


P_TRANSFER = 0.025


P_CANCEL = 0.006


P_RATE = 0.65


CALL_AFTER_CLOSE_MIN = 15  # officials keep calling this long after a session ends


TRANSFER_TO = {"DKKD": "CT", "CT": "DKKD", "DD": "TNMT", "TNMT": "DD", "XD": "DD", "HT": "TKQ",
               "LDTBXH": "YT", "YT": "LDTBXH", "GPLX": "TKQ"}


PRIORITY_SHARE = {"elderly": 0.5, "disabled": 0.15, "pregnant": 0.15, "merit": 0.1, "child": 0.1}


# A ticket while simulated: a list indexed by these.
T_ID, T_SVC, T_ORIGIN, T_SEQ, T_NUMBER, T_GROUP, T_GRANTED, T_STATUS, T_COUNTER, T_STAFF, T_ISSUED, T_CALLED, \
    T_LAST_CALLED, T_STARTED, T_FINISHED, T_CALLS, T_CANCEL_AT, T_COUNTER_NO = range(18)


#: One service's waiting tickets: a heap per class (priority, ordinary) of (queued_at, id, ticket).
Queues = tuple[list[tuple[float, int, list[Any]]], list[tuple[float, int, list[Any]]]]


class Simulation:
    def __init__(self, cfg: CentreConfig, rng: random.Random, services: dict[str, Svc],
                 counters: list[tuple[int, int, list[str]]], officials: list[Official], guards: list[int]) -> None:
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
        self.groups = [(code, share, groups[code].needs_pin) for code,
                       share in PRIORITY_SHARE.items() if code in groups]
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

    def run_day(self, day: date, n: int, next_ticket: int, next_event: int, out: Buffers) -> tuple[int, int]:
        rng = self.rng
        midnight = datetime.combine(day, time(0), self.tz).astimezone(UTC).replace(tzinfo=None)
        events: list[tuple[float, int, tuple[Any, ...]]] = []   # (local seconds, order, row without id/at)
        order = 0

        def ev(at: float, kind: EventKind, t: list[Any] | None = None, code: str | None = None,
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
            t: list[Any] = [next_ticket, k, k, seq, s.cfg.format_number(seq), group, granted, TicketState.WAITING,
                            None, None,
                 float(int(at)), None, None, None, None, 0,
                 at + rng.uniform(300, 1800) if rng.random() < P_CANCEL else None, None]
            next_ticket += 1
            tickets.append(t)

        # The officials of the day: each counter's own, sometimes someone standing in.
        staff_of = {}
        spare = self.officials[len(self.counters):]
        for i, (cid, _number, _codes) in enumerate(self.counters):
            own = self.officials[i % len(self.officials)]
            staff_of[cid] = rng.choice(spare) if spare and rng.random() < 0.08 else own
        for cid, number, _codes in self.counters:
            o = staff_of[cid]
            at = self.sessions[0][0] - rng.uniform(120, 900)
            ev(at, EventKind.SIGNED_IN, counter=number, staff=o.id, actor=o.username)
            ev(at, EventKind.COUNTER_OPENED, counter=number, staff=o.id)

        # Queues: per service, a heap of (not priority, queued_at, id, ticket).
        # Queues: per service, a heap per class (0 priority, 1 ordinary) of (queued_at, id, ticket).
        queues: list[Queues] = [([], []) for _ in self.by_idx]
        streaks = [0] * len(self.counters)  # each counter's priority streak, as ``counter.priority_streak``
        free: list[tuple[float, int]] = [(self.sessions[0][0], i) for i in range(len(self.counters))]
        heapq.heapify(free)
        pending = 0  # next arrival not yet queued
        close = self.sessions[-1][1] + CALL_AFTER_CLOSE_MIN * 60
        svc_index = {s.code: s.idx for s in self.by_idx}
        counter_svcs = [[svc_index[c] for c in codes] for _, _, codes in self.counters]
        while free:
            free_at, ci = heapq.heappop(free)
            at_work = self._in_session(free_at)
            if at_work is None or at_work >= close:
                continue
            now = at_work
            while pending < len(tickets) and tickets[pending][T_ISSUED] <= now:
                t = tickets[pending]
                k = t[T_SVC]
                ahead = len(queues[k][0]) + len(queues[k][1])
                _enqueue(queues[k], t)
                s = self.by_idx[k]
                wait = math.ceil(ahead / max(1,
                                             self.serving_counters[s.code]) * s.cfg.default_service_min) if ahead else 0
                ev(t[T_ISSUED], EventKind.ISSUED, t, s.code, staff=t[T_GRANTED], actor="kiosk-1",
                   data={"priority": t[T_GROUP], "ahead": ahead, "estimated_wait_min": wait})
                pending += 1
            chosen = self._next(queues, counter_svcs[ci], now, ev, streaks, ci)
            if chosen is None:
                nxt = tickets[pending][T_ISSUED] if pending < len(tickets) else None
                if nxt is not None:
                    heapq.heappush(free, (max(nxt, now + 1), ci))
                continue
            heapq.heappush(free, (self._serve(chosen, ci, now, staff_of, queues, ev), ci))

        # Close of day: anything still waiting is cancelled (if the citizen gave up) or expires.
        close_at = self.sessions[-1][1] + 1800.0
        expired = 0
        for t in tickets:
            if t[T_STATUS] != TicketState.WAITING:
                continue
            code = self.by_idx[t[T_SVC]].code
            if t[T_CANCEL_AT] is not None and t[T_CANCEL_AT] < close_at:
                t[T_STATUS], t[T_FINISHED] = TicketState.CANCELLED, float(int(t[T_CANCEL_AT]))
                ev(t[T_FINISHED], EventKind.CANCELLED, t, code, actor="cli")
            else:
                t[T_STATUS], t[T_FINISHED] = TicketState.EXPIRED, close_at
                expired += 1
                ev(close_at, EventKind.EXPIRED, t, code, data={"from": TicketState.WAITING})
        for _cid, number, _codes in self.counters:
            ev(close_at, EventKind.COUNTER_CLOSED, counter=number)
        ev(close_at, EventKind.DAY_CLOSED, data={"day": day.isoformat(), "expired": expired})

        # Rows, events in time order.
        def ts(sec: float | None) -> datetime | None:
            return None if sec is None else midnight + timedelta(seconds=int(sec))

        svc_ids = [s.id for s in self.by_idx]
        for t in tickets:
            issued, called, started, finished = ts(t[T_ISSUED]), ts(t[T_CALLED]), ts(t[T_STARTED]), ts(t[T_FINISHED])
            out.tickets.append((
                t[T_ID], day, svc_ids[t[T_SVC]], svc_ids[t[T_ORIGIN]], t[T_SEQ], t[T_NUMBER], t[T_GROUP],
                t[T_GROUP] is not None, t[T_GRANTED], t[T_STATUS], t[T_COUNTER], t[T_STAFF], DEMO_SOURCE, issued,
                issued, called, ts(t[T_LAST_CALLED]), started, finished, t[T_CALLS], None,
                duration_us(issued, called), duration_us(started,
                                                         finished) if t[T_STATUS] == TicketState.DONE else None,
            ))
        for at, _, row in sorted(events, key=lambda e: (e[0], e[1])):
            stamp = ts(at)
            out.events.append((next_event, stamp, *row))
            if row[0] == EventKind.RATED:
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

    def _next(self, queues: list[Queues], svcs: list[int], now: float, ev: Callable[..., None],
              streaks: list[int], ci: int) -> list[Any] | None:
        """The ticket counter ``ci`` calls, in the queue's own call order (``lobby.queue.call_order``)."""
        while True:
            heads: list[tuple[tuple[float, int], int] | None] = []
            for cls in (0, 1):
                places = [((q[cls][0][0], q[cls][0][1]), k) for k in svcs if (q := queues[k])[cls]]
                heads.append(min(places) if places else None)
            priority, ordinary = (h[0] if h else None for h in heads)
            wanted = class_to_call(self.cfg, streaks[ci], priority, ordinary)
            if wanted is None:
                streaks[ci] = 0
                return None
            head = heads[0 if wanted else 1]
            assert head is not None
            queued_at, _, t = heapq.heappop(queues[head[1]][0 if wanted else 1])
            if t[T_CANCEL_AT] is not None and t[T_CANCEL_AT] < now and t[T_CALLED] is None:
                t[T_STATUS], t[T_FINISHED] = TicketState.CANCELLED, float(int(t[T_CANCEL_AT]))
                ev(t[T_FINISHED], EventKind.CANCELLED, t, self.by_idx[t[T_SVC]].code, actor="cli")
                continue
            streaks[ci] = streak_after(streaks[ci], wanted, (queued_at, t[T_ID]), ordinary)
            return t

    def _serve(self, t: list[Any], ci: int, now: float, staff_of: dict[int, Official],
               queues: list[Queues], ev: Callable[..., None]) -> float:
        """Call ``t`` at counter ``ci``; return when the counter is free again."""
        rng = self.rng
        cid, number, _codes = self.counters[ci]
        o = staff_of[cid]
        s = self.by_idx[t[T_SVC]]
        now = float(int(now))
        t[T_STATUS], t[T_COUNTER], t[T_STAFF], t[T_COUNTER_NO] = TicketState.CALLED, cid, o.id, number
        t[T_CALLED] = t[T_CALLED] if t[T_CALLED] is not None else now
        t[T_LAST_CALLED] = now
        t[T_CALLS] += 1
        ev(now, EventKind.CALLED, t, s.code, number, o.id, data={"priority": t[T_GROUP]})
        if rng.random() < P_NO_SHOW:
            at = now
            if rng.random() < P_RECALL:
                at += rng.randint(45, 120)
                t[T_LAST_CALLED] = at
                t[T_CALLS] += 1
                ev(at, EventKind.RECALLED, t, s.code, number, o.id, data={"priority": t[T_GROUP]})
            at += rng.randint(60, 150)
            t[T_STATUS], t[T_FINISHED] = TicketState.NO_SHOW, at
            ev(at, EventKind.NO_SHOW, t, s.code, number, o.id)
            return at + 5
        start = now + rng.randint(20, 100)
        t[T_STARTED] = start
        ev(start, EventKind.SERVING, t, s.code, number, o.id)
        length = s.cfg.default_service_min * 60 * o.pace * rng.lognormvariate(-0.08, 0.4)
        target = TRANSFER_TO.get(s.code)
        if target in self.services and rng.random() < P_TRANSFER and t[T_SVC] == t[T_ORIGIN]:
            at = start + int(length * rng.uniform(0.3, 0.7))
            to = self.services[target]
            t[T_SVC], t[T_STATUS], t[T_COUNTER], t[T_STAFF] = to.idx, TicketState.WAITING, None, None
            ev(at, EventKind.TRANSFERRED, t, to.code, number, o.id, data={"from": s.code, "to": to.code})
            _enqueue(queues[to.idx], t)
            return at + 10
        done = start + max(40, int(length))
        t[T_STATUS], t[T_FINISHED] = TicketState.DONE, done
        ev(done, EventKind.FINISHED, t, s.code, number, o.id)
        if rng.random() < P_RATE:
            value = self._rating(t, o)
            ev(done + rng.randint(3, 40), "rated", t, s.code, number, o.id, data={"value": value})
        return done + rng.randint(5, 30)

    def _rating(self, t: list[Any], o: Official) -> str:
        origin = self.by_idx[t[T_ORIGIN]]
        waited = (t[T_CALLED] - t[T_ISSUED]) / 60.0
        late = max(0.0, waited / origin.cfg.target_wait_min - 1.0)
        p_not = min(0.6, max(0.01, 0.04 + 0.12 * late - o.warmth * 0.3))
        p_very = min(0.9, max(0.1, 0.55 - 0.15 * late + o.warmth))
        r = self.rng.random()
        if r < p_not:
            return "not_satisfied"
        return "very_satisfied" if r < p_not + p_very else "satisfied"


def _enqueue(queues: Queues, t: list[Any]) -> None:
    """Queue ``t`` in its class by issue time (a transfer keeps its place by issue time)."""
    heapq.heappush(queues[0 if t[T_GROUP] else 1], (t[T_ISSUED], t[T_ID], t))


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
