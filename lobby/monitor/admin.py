"""What a manager does to accounts and counters: each action one transaction with its event.

Accounts are added, given another role, re-PINned and deactivated, never deleted
(tickets and events point at them). A deactivated account can sign in nowhere: the
counter and kiosk PIN checks (``lobby.staffing.staff``) refuse an inactive account,
the web refuses it too (``lobby.monitor.passwords``), and deactivating signs the
member out of any counter and ends their web sessions in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.feed.events import record_event
from lobby.monitor.errors import BadInput, Refused
from lobby.monitor.sessions import end_sessions_of
from lobby.queue.views import StaffInfo
from lobby.staffing.counters import set_state_row, sign_out_row
from lobby.staffing.staff import ROLES, add_staff, clean_full_name, clean_username, set_pin, staff_info
from lobby.store.catalog import counter_row, staff_row
from lobby.store.engine import transaction
from lobby.store.models import Counter, Staff, Ticket
from lobby.vocabulary import AT_COUNTER, CounterState, EventKind


def check_username(username: str) -> str:
    """The rules of ``lobby staff add``: trimmed, lower-case, 2-32 of a-z 0-9 . _ - (BadUsername otherwise)."""
    return clean_username(username)


def check_full_name(full_name: str) -> str:
    """Spaces folded, then the rules of ``lobby staff add`` (NFC, limited, no control characters)."""
    return clean_full_name(" ".join((full_name or "").split()))


def check_role(role: str) -> str:
    if role not in ROLES:
        raise BadInput(
            f"Vai trò phải là một trong: {', '.join(ROLES)}; nhận được «{role[:32]}».",
            f"The role must be one of: {', '.join(ROLES)}; got “{role[:32]}”.",
        )
    return role


def _event(session: Session, kind: EventKind, by: StaffInfo, at: datetime, **data: object) -> None:
    record_event(session, kind, staff_id=by.id, actor=by.username, at=at, data=dict(data))


def add_account(
    session: Session,
    username: str,
    full_name: str,
    role: str,
    pin: str,
    *,
    by: StaffInfo,
    now: datetime | None = None,
) -> StaffInfo:
    """An account a manager adds (recorded as ``staff_added``): the full name's spaces folded, the role
    refused as bad input, then ``lobby.staffing.staff.add_staff``."""
    name, full, _ = check_username(username), check_full_name(full_name), check_role(role)
    return add_staff(session, name, full, role, pin, by=by, now=now)


def _other_managers(session: Session, staff_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Staff)
            .where(Staff.role == "manager", Staff.active.is_(True), Staff.id != staff_id)
        )
        or 0
    )


def change_role(session: Session, username: str, role: str, *, by: StaffInfo, now: datetime | None = None) -> StaffInfo:
    check_role(role)
    at = at_or_now(now)
    with transaction(session):
        row = staff_row(session, username)
        if row.role == role:
            raise Refused(
                f"Tài khoản {row.username} đã có vai trò {role}.",
                f"Account {row.username} already has the role {role}.",
            )
        if row.role == "manager" and row.active and _other_managers(session, row.id) == 0:
            raise Refused(
                f"{row.username} là quản lý cuối cùng còn hoạt động; thêm một quản lý khác trước.",
                f"{row.username} is the last active manager; add another manager first.",
            )
        before, row.role = row.role, role
        _event(session, EventKind.STAFF_ROLE_CHANGED, by, at, account=row.username, before=before, after=role)
        return staff_info(row)


def reset_pin(session: Session, username: str, pin: str, *, by: StaffInfo, now: datetime | None = None) -> StaffInfo:
    """A new PIN for the counter and kiosk (as long as the account's role asks); this also lifts a lockout."""
    return set_pin(session, username, pin, by=by, now=now)


def _sign_out_counter(session: Session, counter: Counter, at: datetime, by: StaffInfo) -> None:
    sign_out_row(session, counter, at, data={"by": by.username})


def deactivate(session: Session, username: str, *, by: StaffInfo, now: datetime | None = None) -> StaffInfo:
    """Deactivate an account: signed out of its counter and its browsers in the same transaction."""
    at = at_or_now(now)
    with transaction(session):
        row = staff_row(session, username)
        if row.id == by.id:
            raise Refused(
                "Không thể tự khóa tài khoản đang dùng; nhờ một quản lý khác.",
                "You cannot deactivate your own account; ask another manager.",
            )
        if not row.active:
            raise Refused(
                f"Tài khoản {row.username} đã bị vô hiệu hóa từ trước.", f"Account {row.username} is already inactive."
            )
        if row.role == "manager" and _other_managers(session, row.id) == 0:
            raise Refused(
                f"{row.username} là quản lý cuối cùng còn hoạt động.", f"{row.username} is the last active manager."
            )
        for counter in session.scalars(
            select(Counter).where(Counter.staff_id == row.id).order_by(Counter.id).with_for_update(key_share=True)
        ):
            _sign_out_counter(session, counter, at, by)
        row.active = False
        ended = end_sessions_of(session, row.id, at)
        _event(session, EventKind.STAFF_DEACTIVATED, by, at, account=row.username, web_sessions_ended=ended)
        return staff_info(row)


def reactivate(session: Session, username: str, *, by: StaffInfo, now: datetime | None = None) -> StaffInfo:
    at = at_or_now(now)
    with transaction(session):
        row = staff_row(session, username)
        if row.active:
            raise Refused(f"Tài khoản {row.username} đang hoạt động.", f"Account {row.username} is active already.")
        row.active, row.failed_pins, row.locked_until = True, 0, None
        _event(session, EventKind.STAFF_REACTIVATED, by, at, account=row.username)
        return staff_info(row)


def _ticket_at(session: Session, counter: Counter) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(AT_COUNTER)).limit(1))


def close_counter(
    session: Session, cfg: CentreConfig, number: int, *, by: StaffInfo, now: datetime | None = None
) -> None:
    """Close a counter left open (signing out whoever is still signed in there)."""
    at = at_or_now(now)
    with transaction(session):
        counter = counter_row(session, cfg, number, lock=True)
        if counter.state == "closed" and counter.staff_id is None:
            raise Refused(f"Quầy số {number} đã đóng.", f"Counter {number} is already closed.")
        ticket = _ticket_at(session, counter)
        if ticket is not None:
            raise Refused(
                f"Quầy số {number} đang phục vụ số {ticket.number}: cán bộ kết thúc hoặc chuyển số đó "
                "trước khi đóng quầy.",
                f"Counter {number} is serving {ticket.number}: the official must finish or transfer it before closing.",
            )
        if counter.staff_id is not None:
            _sign_out_counter(session, counter, at, by)
        else:
            set_state_row(session, counter, CounterState.CLOSED, at, data={"by": by.username})


def sign_official_out(
    session: Session, cfg: CentreConfig, number: int, *, by: StaffInfo, now: datetime | None = None
) -> str:
    """Sign out the official of a counter (it closes); the username signed out. Refused when nobody is signed in."""
    at = at_or_now(now)
    with transaction(session):
        counter = counter_row(session, cfg, number, lock=True)
        member = session.get(Staff, counter.staff_id) if counter.staff_id else None
        if member is None:
            raise Refused(
                f"Không có cán bộ nào đăng nhập ở quầy số {number}.", f"Nobody is signed in at counter {number}."
            )
        _sign_out_counter(session, counter, at, by)
        return member.username
