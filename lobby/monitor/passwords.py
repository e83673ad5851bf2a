"""Web passwords: at least 10 characters, hashed with scrypt like the PINs, the same lockout.

The kiosk and counter PIN is not a web password: a PIN of 4 to 8 digits is fine on a
keypad in the hall, not on the network. A wrong password counts on the same
``failed_pins`` / ``locked_until`` of the account as a wrong PIN ("the same lockout"),
in its own committed transaction before the refusal is raised. The slow hash is
computed outside any write transaction, as ``lobby.staffing.staff`` does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.errors import LobbyError
from lobby.feed.events import record_event
from lobby.monitor.errors import BadPassword, SignInRefused
from lobby.queue.views import StaffInfo
from lobby.staffing.staff import count_wrong_try, hash_pin, locked_now, pin_matches, staff_info
from lobby.store.catalog import staff_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Staff, WebPassword
from lobby.vocabulary import EventKind

PASSWORD_MIN = 10
PASSWORD_MAX = 128
USERNAME_MAX = 64
# Compared against when the account is unknown, so a wrong name costs the same time as a wrong password.
_DECOY = hash_pin("lobby-queue-decoy")


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password or "") <= PASSWORD_MAX:
        raise BadPassword(PASSWORD_MIN, PASSWORD_MAX)
    return password


def set_web_password(
    session: Session,
    username: str,
    password: str,
    *,
    actor: str = "cli",
    actor_id: int | None = None,
    now: datetime | None = None,
) -> StaffInfo:
    """Set (or reset) an account's web password; this also lifts a lockout. Recorded as ``web_password_set``."""
    check_password(password)
    digest = hash_pin(password)
    at = at_or_now(now)
    with transaction(session):
        row = staff_row(session, username)
        session.execute(select(Staff.id).where(Staff.id == row.id).with_for_update())  # one setter at a time
        kept = session.get(WebPassword, row.id)
        if kept is None:
            session.add(WebPassword(staff_id=row.id, hash=digest, set_at=at))
        else:
            kept.hash, kept.set_at = digest, at
        row.failed_pins, row.locked_until = 0, None
        record_event(
            session, EventKind.WEB_PASSWORD_SET, staff_id=actor_id, actor=actor, at=at, data={"account": row.username}
        )
        return staff_info(row)


def _stored(session: Session, staff_id: int) -> str | None:
    return session.scalar(select(WebPassword.hash).where(WebPassword.staff_id == staff_id))


def verify_password(
    session: Session,
    cfg: CentreConfig,
    username: str,
    password: str,
    *,
    source: str = "web",
    now: datetime | None = None,
) -> StaffInfo:
    """The account of a right username and password; SignInRefused or AccountLocked otherwise.

    A deactivated account, or one with no web password, is refused like a wrong password.
    """
    at = at_or_now(now)
    name = (username or "").strip()[:USERNAME_MAX]
    with read_transaction(session):
        staff_id = session.scalar(select(Staff.id).where(func.lower(Staff.username) == name.lower()))
        found = (staff_id, _stored(session, staff_id)) if staff_id is not None else None
    stored = found[1] if found and found[1] else _DECOY
    ok = pin_matches(password or "", stored) and found is not None and bool(found[1])
    failure: LobbyError | None = None
    result: StaffInfo | None = None
    with transaction(session):
        if found is None:
            record_event(session, EventKind.WEB_SIGN_IN_FAILED, actor=name or "?", at=at, data={"source": source})
            failure = SignInRefused()
        else:
            row = session.scalar(
                select(Staff).where(Staff.id == found[0]).with_for_update().execution_options(populate_existing=True)
            )
            assert row is not None
            now_stored = _stored(session, row.id)
            if now_stored != found[1]:  # changed a moment ago: check against the new one
                ok = now_stored is not None and pin_matches(password or "", now_stored)
            failure = locked_now(row, cfg, at)
            if failure is None and (not row.active or not ok):
                failure = (
                    count_wrong_try(session, cfg, row, at, kind=EventKind.WEB_SIGN_IN_FAILED, data={"source": source})
                    or SignInRefused()
                )
            if failure is None:
                row.failed_pins, row.locked_until = 0, None
                result = staff_info(row)
    if failure is not None:
        raise failure
    assert result is not None
    return result
