"""The kiosk's results check in the core (both stores): the outcomes, their tickets and events, the new promise."""
from __future__ import annotations

from dossier_support import VN, dossier_config, vn
from sqlalchemy import select

from lobby import dossiers, queue
from lobby.dossiers.kiosk_check import Outcome, check_results, late_visits
from lobby.dossiers.model import DossierState
from lobby.store.engine import Store
from lobby.store.models import Event

T0 = vn(2026, 11, 30, 9)  # Monday; HT takes 2 working days: promised Wednesday 2/12 at 16:00


def _checks(store: Store) -> list[tuple[str, bool]]:
    with store.read_session() as s:
        rows = s.scalars(select(Event).where(Event.kind == "dossier_checked").order_by(Event.id))
        return [((e.data or {})["outcome"], bool((e.data or {}).get("alert"))) for e in rows]


def test_the_outcomes(store: Store) -> None:
    cfg = dossier_config(overdue_priority="late_result")
    for code in ("HS-READY", "HS-WAIT", "HS-LATE", "HS-DONE"):
        with store.session() as s:
            dossiers.receive(s, cfg, code, "HT", now=T0)
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-READY", "HS-DONE"], now=vn(2026, 12, 1, 10))
    with store.session() as s:
        dossiers.mark_returned(s, cfg, "HS-DONE", now=vn(2026, 12, 1, 11))
    at = vn(2026, 12, 2, 10)  # the promise (16:00 today) still holds

    with store.session() as s:
        ready = check_results(s, cfg, " hs-ready\n", source="kiosk-1", now=at)
    assert ready.outcome == Outcome.READY and ready.ticket is not None
    assert (ready.ticket.service, ready.ticket.priority, ready.ticket.number) == ("TKQ", None, "T001")

    with store.session() as s:
        wait = check_results(s, cfg, "HS-WAIT", now=at)
    assert wait.outcome == Outcome.NOT_READY and wait.ticket is None and wait.dossier is not None
    assert wait.dossier.promised_at.astimezone(VN) == vn(2026, 12, 2, 16)

    with store.session() as s:
        late = check_results(s, cfg, "HS-LATE", now=vn(2026, 12, 2, 16, 0, 1))
    assert late.outcome == Outcome.OVERDUE and late.ticket is not None and late.ticket.priority == "late_result"
    assert late.new_promise is not None and late.new_promise.astimezone(VN) == vn(2026, 12, 4, 16)
    assert late.dossier is not None and late.dossier.reschedules == 1
    assert late.dossier.first_promised_at.astimezone(VN) == vn(2026, 12, 2, 16)

    # Back the next day: the new promise holds, so no ticket and no second apology.
    with store.session() as s:
        again = check_results(s, cfg, "HS-LATE", now=vn(2026, 12, 3, 9))
    assert again.outcome == Outcome.NOT_READY and again.ticket is None
    assert again.dossier is not None and again.dossier.state == DossierState.OVERDUE

    with store.session() as s:
        done = check_results(s, cfg, "HS-DONE", now=at)
    with store.session() as s:
        unknown = check_results(s, cfg, "KHONG-CO", now=at)
    with store.session() as s:
        junk = check_results(s, cfg, "\x00" * 3, now=at)
    assert (done.outcome, unknown.outcome, junk.outcome) == (Outcome.RETURNED, Outcome.UNKNOWN, Outcome.UNKNOWN)
    assert done.ticket is None and unknown.ticket is None

    with store.session() as s:
        tickets = queue.list_tickets(s, cfg, vn(2026, 12, 2).date())
    assert [(t.number, t.priority) for t in tickets] == [("T001", None), ("T002", "late_result")]
    assert _checks(store) == [("ready", False), ("not_ready", False), ("overdue", True), ("not_ready", False),
                              ("returned", False), ("unknown", False), ("unknown", False)]
    with store.read_session() as s:
        kinds = [e.kind for e in s.scalars(select(Event).where(Event.kind.like("dossier_%")).order_by(Event.id))]
    assert kinds.count("dossier_overdue") == 1 and kinds.count("dossier_rescheduled") == 1

    # The manager's alert: today's late visit, until the result is ready.
    with store.session() as s:
        [alert] = late_visits(s, cfg, now=vn(2026, 12, 2, 17))
    assert (alert.code, alert.service, alert.ticket) == ("HS-LATE", "HT", "T002")  # the dossier's service
    with store.session() as s:
        assert late_visits(s, cfg, now=vn(2026, 12, 3, 9)) == []  # another day
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-LATE"], now=vn(2026, 12, 2, 17, 30))
    with store.session() as s:
        assert late_visits(s, cfg, now=vn(2026, 12, 2, 18)) == []


def test_an_ordinary_ticket_when_no_priority_is_configured(store: Store) -> None:
    cfg = dossier_config(overdue_priority="")
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-LATE", "HT", now=T0)
    with store.session() as s:
        late = check_results(s, cfg, "HS-LATE", now=vn(2026, 12, 7, 8))
    assert late.outcome == Outcome.OVERDUE and late.ticket is not None and late.ticket.priority is None
    assert late.new_promise is not None and late.new_promise.astimezone(VN) == vn(2026, 12, 9, 16)


def test_a_receipt_qr_holding_a_portal_address(store: Store) -> None:
    cfg = dossier_config()
    with store.session() as s:
        dossiers.receive(s, cfg, "000.00.19.H61-231128-0012", "HT", now=T0)
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["000.00.19.H61-231128-0012"], now=T0)
    for scanned in ("https://dichvucong.binhan.gov.vn/tra-cuu-ho-so?maHoSo=000.00.19.H61-231128-0012&lang=vi",
                    "https://dichvucong.binhan.gov.vn/ho-so/000.00.19.H61-231128-0012"):
        with store.session() as s:
            found = check_results(s, cfg, scanned, now=vn(2026, 12, 1, 9))
        assert (found.outcome, found.code) == (Outcome.READY, "000.00.19.H61-231128-0012")
