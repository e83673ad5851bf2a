"""Web sessions of staff: a random secret in an HttpOnly cookie, its SHA-256 in ``web_session``.

Kept in the store (not in a signed cookie) so that signing out, deactivating an account
or a restart of the web server ends a session at once, on every server process. A session
ends when signed out, after ``lifetime`` in all, or after ``idle`` without a request;
``seen_at`` is written at most once a minute, so reading pages costs no write each time.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.feed.events import record_event
from lobby.queue.views import StaffInfo
from lobby.staffing.staff import staff_info
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Staff, WebSession
from lobby.vocabulary import EventKind

TOUCH_EVERY = timedelta(minutes=1)
TOKEN_MAX = 128


@dataclass(frozen=True)
class WebUser:
    """The signed-in member behind a request, and the CSRF token of their session."""

    staff: StaffInfo
    csrf: str
    token_hash: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    session: Session,
    member: StaffInfo,
    *,
    lifetime: timedelta,
    source: str = "web",
    now: datetime | None = None,
) -> tuple[str, WebUser]:
    """A new session for a member who just gave the right password: (cookie secret, user). Records ``web_signed_in``."""
    at = at_or_now(now)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_digest(token), staff_id=member.id, csrf=csrf, created_at=at, seen_at=at, expires_at=at + lifetime
    )
    with transaction(session):
        session.add(row)
        record_event(
            session, EventKind.WEB_SIGNED_IN, staff_id=member.id, actor=member.username, at=at, data={"source": source}
        )
    return token, WebUser(staff=member, csrf=csrf, token_hash=row.token_hash, expires_at=row.expires_at)


def session_user(
    session: Session,
    token: str | None,
    *,
    idle: timedelta,
    now: datetime | None = None,
) -> WebUser | None:
    """The member of a live session, or None (unknown, signed out, expired, idle too long, account deactivated)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    at = at_or_now(now)
    digest = _digest(token)
    with read_transaction(session):
        found = session.execute(
            select(WebSession, Staff)
            .join(Staff, Staff.id == WebSession.staff_id)
            .where(WebSession.token_hash == digest)
        ).one_or_none()
        if found is None:
            return None
        row, member = found
        if row.ended_at is not None or row.expires_at <= at or row.seen_at + idle <= at or not member.active:
            return None
        user = WebUser(staff=staff_info(member), csrf=row.csrf, token_hash=digest, expires_at=row.expires_at)
        stale = at - row.seen_at >= TOUCH_EVERY
    if stale:
        with transaction(session):
            session.execute(
                update(WebSession)
                .where(WebSession.token_hash == digest)
                .values(seen_at=at)
                .execution_options(synchronize_session=False)
            )
    return user


def end_session(session: Session, user: WebUser, *, now: datetime | None = None) -> None:
    """Sign a browser out (``web_signed_out``); the row is kept, marked ended."""
    at = at_or_now(now)
    with transaction(session):
        done = session.execute(
            update(WebSession)
            .where(WebSession.token_hash == user.token_hash, WebSession.ended_at.is_(None))
            .values(ended_at=at)
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 0):
            record_event(session, EventKind.WEB_SIGNED_OUT, staff_id=user.staff.id, actor=user.staff.username, at=at)


def end_sessions_of(session: Session, staff_id: int, at: datetime) -> int:
    """End every open session of a member, inside the caller's transaction (deactivation). How many ended."""
    done = session.execute(
        update(WebSession)
        .where(WebSession.staff_id == staff_id, WebSession.ended_at.is_(None))
        .values(ended_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0) or 0)
