"""Dossiers in the store (SQLite and PostgreSQL): every state change with its event, and the overdue boundary."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from dossier_support import VN, dossier_config, vn
from sqlalchemy import func, select

from lobby import dossiers, queue
from lobby.dossiers.model import (
    BadDossierCode,
    BadPromise,
    DossierExists,
    DossierNotFound,
    DossierState,
    DossierStateError,
)
from lobby.errors import TicketNotFound, UnknownService
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from lobby.store.models import Dossier, Event

CODE = "000.00.19.H61-231128-0012"


def _events(store: Store) -> list[tuple[str, str | None]]:
    with store.read_session() as s:
        rows = s.scalars(select(Event).where(Event.kind.like("dossier_%")).order_by(Event.id))
        return [(e.kind, (e.data or {}).get("code")) for e in rows]


def _count(store: Store) -> int:
    with store.read_session() as s:
        return s.scalar(select(func.count()).select_from(Dossier)) or 0


def test_receive_links_the_visit_and_promises_the_usual_processing_time(store: Store) -> None:
    cfg = dossier_config()
    monday = vn(2026, 8, 31, 9, 15)
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "135790")
    with store.session() as s:
        counters.sign_in(s, cfg, 1, "an", "135790", now=monday)
    with store.session() as s:
        queue.issue_ticket(s, cfg, "DKKD", now=monday)
    with store.session() as s:
        queue.call_next(s, cfg, 1, now=monday + timedelta(minutes=1))
    with store.session() as s:
        ticket = queue.finish(s, cfg, 1, now=monday + timedelta(minutes=9))
    with store.session() as s:
        d = dossiers.receive(s, cfg, f"  {CODE.lower()}\r\n", "DKKD", ticket_id=ticket.id, counter=1,
                             now=monday + timedelta(minutes=10))
    assert d.code == CODE and d.state == DossierState.RECEIVED
    assert (d.ticket, d.staff, d.counter, d.service) == ("A001", "an", 1, "DKKD")
    # 3 working days after Monday 31/8, skipping the National Day holidays (1 and 2/9): Thu 3, Fri 4, Mon 7/9.
    assert d.promised_at.astimezone(VN) == vn(2026, 9, 7, 16, 0)
    assert d.first_promised_at == d.promised_at and d.received_at.tzinfo == UTC
    assert _events(store) == [("dossier_received", CODE)]
    with store.session() as s:
        assert [x.code for x in dossiers.of_ticket(s, cfg, ticket.id)] == [CODE]
    assert set(d.to_json()) >= {"code", "service", "state", "promised_at", "received_at", "ready_at", "returned_at"}


def test_every_state_change_is_an_event(store: Store) -> None:
    cfg = dossier_config()
    t0 = vn(2026, 11, 30, 9)
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-1", "HT", now=t0, actor="cli")
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-2", "HT", promised=vn(2026, 12, 10, 10), now=t0, actor="cli")
    with store.session() as s:
        ready = dossiers.mark_ready(s, cfg, ["hs-1", "HS-2"], actor="an", now=t0 + timedelta(days=1))
    assert [d.state for d in ready] == [DossierState.READY] * 2
    with store.session() as s:
        back = dossiers.mark_returned(s, cfg, "HS-1", actor="cli", now=t0 + timedelta(days=2))
    assert back.state == DossierState.RETURNED and back.returned_at == (t0 + timedelta(days=2)).astimezone(UTC)
    with store.session() as s:
        d2 = dossiers.find(s, cfg, "hs-2")
    assert d2.promised_at.astimezone(VN) == vn(2026, 12, 10, 10) and d2.ready_at is not None
    assert _events(store) == [("dossier_received", "HS-1"), ("dossier_received", "HS-2"), ("dossier_ready", "HS-1"),
                              ("dossier_ready", "HS-2"), ("dossier_returned", "HS-1")]


def test_bad_input_is_refused_and_nothing_is_written(store: Store) -> None:
    cfg = dossier_config()
    t0 = vn(2026, 11, 30, 9)
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-1", "HT", now=t0)
    before = (_count(store), _events(store))
    bad = [
        (UnknownService, lambda s: dossiers.receive(s, cfg, "HS-9", "NOPE", now=t0)),
        (DossierExists, lambda s: dossiers.receive(s, cfg, " hs-1 ", "HT", now=t0)),
        (BadDossierCode, lambda s: dossiers.receive(s, cfg, "   ", "HT", now=t0)),
        (BadDossierCode, lambda s: dossiers.receive(s, cfg, "X" * 65, "HT", now=t0)),
        (BadPromise, lambda s: dossiers.receive(s, cfg, "HS-9", "HT", promised=t0 - timedelta(hours=1), now=t0)),
        (BadPromise, lambda s: dossiers.receive(s, cfg, "HS-9", "HT", promised=t0 + timedelta(days=400), now=t0)),
        (TicketNotFound, lambda s: dossiers.receive(s, cfg, "HS-9", "HT", ticket_number="Z999", now=t0)),
        (DossierNotFound, lambda s: dossiers.mark_ready(s, cfg, ["HS-1", "HS-404"], now=t0)),  # all or none
        (DossierNotFound, lambda s: dossiers.mark_returned(s, cfg, "HS-404", now=t0)),
        (DossierStateError, lambda s: dossiers.mark_returned(s, cfg, "HS-1", now=t0)),  # not ready yet
    ]
    for error, action in bad:
        with store.session() as s, pytest.raises(error):
            action(s)
    assert (_count(store), _events(store)) == before
    with store.session() as s:
        assert dossiers.find(s, cfg, "HS-1", now=t0).state == DossierState.RECEIVED
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-1"], now=t0)
    with store.session() as s, pytest.raises(DossierStateError, match="HS-1"):
        dossiers.mark_ready(s, cfg, ["HS-1"], now=t0)  # not marked twice


def test_overdue_exactly_after_the_promise_in_local_time(store: Store) -> None:
    cfg = dossier_config()
    promise = vn(2026, 12, 2, 16, 0)  # 09:00 UTC
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-LATE", "DKKD", promised=promise, now=vn(2026, 11, 30, 9))
    with store.session() as s:
        on_time = dossiers.find(s, cfg, "HS-LATE", now=promise)
        late = dossiers.find(s, cfg, "HS-LATE", now=promise + timedelta(seconds=1))
    assert on_time.state == DossierState.RECEIVED  # "on or before the promise" is on time
    assert late.state == DossierState.OVERDUE  # read as overdue before anything recorded it
    with store.session() as s:
        assert dossiers.list_dossiers(s, cfg, overdue_only=True, now=promise) == []
    with store.session() as s:
        assert dossiers.record_overdue(s, cfg, now=promise) == []
    with store.session() as s:
        assert dossiers.record_overdue(s, cfg, now=promise + timedelta(seconds=1)) == ["HS-LATE"]
    with store.session() as s:
        assert dossiers.record_overdue(s, cfg, now=promise + timedelta(hours=1)) == []  # recorded once
    with store.session() as s:
        assert [d.code for d in dossiers.list_dossiers(s, cfg, overdue_only=True, now=promise)] == ["HS-LATE"]
    with store.session() as s:
        ready = dossiers.mark_ready(s, cfg, ["HS-LATE"], now=promise + timedelta(days=1))[0]
    assert ready.state == DossierState.READY and ready.late
    assert [k for k, _ in _events(store)] == ["dossier_received", "dossier_overdue", "dossier_ready"]
