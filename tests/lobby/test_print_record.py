"""Nothing lost on paper: the print of each ticket is recorded; a restarted kiosk learns what it never printed."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import select

from lobby import queue
from lobby.config import CentreConfig
from lobby.queue.printing import mark_printed, unprinted_tickets
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from lobby.store.migrate import alembic_config, upgrade
from lobby.store.models import Ticket

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=HCM)


def _issue(store: Store, cfg: CentreConfig, source: str, minute: int) -> queue.TicketInfo:
    with store.session() as s:
        return queue.issue_ticket(s, cfg, "DKKD", source=source, now=MONDAY_9 + timedelta(minutes=minute))


def test_a_restarted_kiosk_is_offered_exactly_what_it_issued_and_never_printed(store: Store, cfg: CentreConfig) -> None:
    printed = _issue(store, cfg, "kiosk-1", 0)
    lost = _issue(store, cfg, "kiosk-1", 1)  # the kiosk was killed before the printer finished
    other = _issue(store, cfg, "kiosk-2", 2)  # another kiosk's: not this one's to offer
    also_lost = _issue(store, cfg, "kiosk-1", 3)
    later = MONDAY_9 + timedelta(minutes=5)
    assert mark_printed(store.session(), printed.id, now=MONDAY_9 + timedelta(seconds=4))
    offered = unprinted_tickets(store.session(), cfg, "kiosk-1", now=later)
    assert [t.number for t in offered] == [lost.number, also_lost.number]
    assert [t.ahead for t in offered] == [1, 3]  # what the reprinted tickets say (kiosk-2's A003 is ahead too)
    assert [t.number for t in unprinted_tickets(store.session(), cfg, "kiosk-2", now=later)] == [other.number]
    # one tap reprints it: then it is printed, and offered no more; a second print keeps the first time
    assert mark_printed(store.session(), lost.id, now=later)
    assert not mark_printed(store.session(), lost.id, now=later + timedelta(minutes=1))
    assert [t.number for t in unprinted_tickets(store.session(), cfg, "kiosk-1", now=later)] == [also_lost.number]
    with store.read_session() as s:
        assert s.scalar(select(Ticket.printed_at).where(Ticket.id == lost.id)) == later


def test_a_ticket_already_called_or_from_yesterday_is_not_offered(store: Store, cfg: CentreConfig) -> None:
    called = _issue(store, cfg, "kiosk-1", 0)
    waiting = _issue(store, cfg, "kiosk-1", 1)
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "1357")
    counters.sign_in(store.session(), cfg, 1, "an", "1357", now=MONDAY_9 + timedelta(minutes=2))
    with store.session() as s:
        first = queue.call_next(s, cfg, 1, now=MONDAY_9 + timedelta(minutes=3))
    assert first is not None and first.number == called.number
    assert [t.number for t in unprinted_tickets(store.session(), cfg, "kiosk-1", now=MONDAY_9 + timedelta(minutes=4))
            ] == [waiting.number]
    assert unprinted_tickets(store.session(), cfg, "kiosk-1", now=MONDAY_9 + timedelta(days=1)) == []


def test_0009_takes_tickets_stored_before_it_as_printed(store: Store, cfg: CentreConfig) -> None:
    old = _issue(store, cfg, "kiosk-1", 0)
    acfg = alembic_config(store)
    with store.engine.begin() as conn:
        acfg.attributes["connection"] = conn
        command.downgrade(acfg, "0008")
    upgrade(store)
    with store.read_session() as s:
        assert s.scalar(select(Ticket.printed_at).where(Ticket.id == old.id)) == old.issued_at
    assert unprinted_tickets(store.session(), cfg, "kiosk-1", now=MONDAY_9 + timedelta(minutes=1)) == []
