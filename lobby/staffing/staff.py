"""Staff accounts and PINs: salted slow hashes (scrypt), lockout after repeated wrong PINs.

A wrong PIN is recorded (and may lock the account) in its own committed transaction
before the error is raised, so a caller that gives up cannot undo the count.

The slow hash is computed outside any write transaction (about 50 ms each): on
SQLite a write transaction holds the one write lock, and every kiosk and counter
would wait for it.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lobby.clock import as_utc, local, utcnow
from lobby.config import CentreConfig
from lobby.errors import AccountLocked, BadPinFormat, LobbyError, NotAllowed, PinRejected, StaffExists, UnknownStaff
from lobby.feed.events import record_event
from lobby.queue.views import StaffInfo
from lobby.store.catalog import staff_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Event, Staff
from lobby.vocabulary import EventKind

ROLES = ("official", "guard", "manager")
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate.hex(), digest)


def check_pin_format(pin: str) -> str:
    if not re.fullmatch(rf"\d{{{PIN_MIN_DIGITS},{PIN_MAX_DIGITS}}}", pin or ""):
        raise BadPinFormat()
    return pin


def _info(s: Staff) -> StaffInfo:
    return StaffInfo(id=s.id, username=s.username, full_name=s.full_name, role=s.role, active=s.active,
                     locked_until=s.locked_until)


def add_staff(session: Session, username: str, full_name: str, role: str, pin: str) -> StaffInfo:
    if role not in ROLES:
        raise LobbyError(f"Vai trò phải là một trong: {', '.join(ROLES)}; nhận được {role!r}.",
                         f"Role must be one of: {', '.join(ROLES)}; got {role!r}.")
    check_pin_format(pin)
    pin_hash = hash_pin(pin)
    with transaction(session):
        if session.scalar(select(Staff).where(Staff.username == username)) is not None:
            raise StaffExists(username)
        row = Staff(username=username, full_name=full_name, role=role, pin_hash=pin_hash, failed_pins=0,
                    active=True, created_at=utcnow())
        session.add(row)
        session.flush()
        return _info(row)


def set_pin(session: Session, username: str, pin: str) -> StaffInfo:
    """Change a PIN; this also lifts a lockout."""
    check_pin_format(pin)
    pin_hash = hash_pin(pin)
    with transaction(session):
        row = staff_row(session, username)
        row.pin_hash, row.failed_pins, row.locked_until = pin_hash, 0, None
        return _info(row)


def list_staff(session: Session) -> list[StaffInfo]:
    with read_transaction(session):
        return [_info(s) for s in session.scalars(select(Staff).order_by(Staff.username))]


def verify_pin(
    session: Session, cfg: CentreConfig, username: str, pin: str, *,
    roles: tuple[str, ...] | None = None, now: datetime | None = None,
) -> StaffInfo:
    """Check a member's PIN; count a wrong one toward the lockout; raise PinRejected or AccountLocked."""
    at = as_utc(now) if now else utcnow()
    with read_transaction(session):
        row = staff_row(session, username)
        staff_id, stored = row.id, row.pin_hash
    ok = pin_matches(pin, stored)
    failure: LobbyError | None = None
    with transaction(session):
        locked = session.scalar(
            select(Staff).where(Staff.id == staff_id).with_for_update().execution_options(populate_existing=True)
        )
        if locked is None:
            raise UnknownStaff(username)
        row = locked
        if row.pin_hash != stored:  # the PIN was changed a moment ago: check against the new one
            ok = pin_matches(pin, row.pin_hash)
        if row.locked_until is not None and row.locked_until > at:
            failure = AccountLocked(username, local(row.locked_until, cfg.tz).strftime("%H:%M %d/%m/%Y"))
        elif not row.active or not ok:
            failure = _count_failure(session, cfg, row, at)
        else:
            row.failed_pins = 0
            row.locked_until = None
            info = _info(row)
    if failure is not None:
        raise failure
    if roles is not None and info.role not in roles:
        raise NotAllowed(username, info.role, ", ".join(roles))
    return info


def _count_failure(session: Session, cfg: CentreConfig, row: Staff, at: datetime) -> LobbyError:
    row.failed_pins += 1
    record_event(session, EventKind.PIN_FAILED, staff_id=row.id, actor=row.username, at=at)
    limit = cfg.security.pin_max_attempts
    if row.failed_pins >= limit:
        row.failed_pins = 0
        row.locked_until = at + timedelta(minutes=cfg.security.lockout_minutes)
        record_event(session, EventKind.ACCOUNT_LOCKED, staff_id=row.id, actor=row.username, at=at)
        return AccountLocked(row.username, local(row.locked_until, cfg.tz).strftime("%H:%M %d/%m/%Y"))
    return PinRejected(limit - row.failed_pins)


def verify_any_pin(
    session: Session, cfg: CentreConfig, pin: str, *, roles: tuple[str, ...], source: str,
    now: datetime | None = None,
) -> StaffInfo:
    """Check a PIN typed alone on a keypad (the kiosk's guard mode) against every active member with a role.

    A PIN alone names no account, so wrong tries count against the keypad (``source``):
    after ``pin_max_attempts`` wrong PINs in a row the keypad refuses every PIN for
    ``lockout_minutes``, which stops anyone trying PINs one after another.
    """
    at = as_utc(now) if now else utcnow()
    failure: LobbyError | None = None
    found: StaffInfo | None = None
    with read_transaction(session):
        if len(_keypad_failures(session, cfg, source, at)) >= cfg.security.pin_max_attempts:
            members: list[tuple[int, str]] = []  # locked: no PIN is even tried
        else:
            members = [
                (m.id, m.pin_hash)
                for m in session.scalars(select(Staff).where(Staff.role.in_(roles),
                                                             Staff.active.is_(True)).order_by(Staff.id))
                if m.locked_until is None or m.locked_until <= at
            ]
    match_id = next((staff_id for staff_id, stored in members if pin_matches(pin, stored)), None)
    with transaction(session):
        recent_failures = _keypad_failures(session, cfg, source, at)  # again: another try may have landed meanwhile
        match = session.get(Staff, match_id) if match_id is not None else None
        if len(recent_failures) >= cfg.security.pin_max_attempts:
            until = recent_failures[-1] + timedelta(minutes=cfg.security.lockout_minutes)
            failure = AccountLocked(source, local(until, cfg.tz).strftime("%H:%M %d/%m/%Y"))
        else:
            if match is None:
                record_event(session, EventKind.PIN_FAILED, actor=source, at=at)
                remaining = cfg.security.pin_max_attempts - len(recent_failures) - 1
                failure = PinRejected(remaining) if remaining > 0 else AccountLocked(
                    source, local(at + timedelta(minutes=cfg.security.lockout_minutes),
                                  cfg.tz).strftime("%H:%M %d/%m/%Y"))
            else:
                record_event(session, EventKind.PIN_OK, staff_id=match.id, actor=source, at=at)
                found = _info(match)
    if failure is not None:
        raise failure
    assert found is not None
    return found


def _keypad_failures(session: Session, cfg: CentreConfig, source: str, at: datetime) -> list[datetime]:
    """Times of the keypad's wrong PINs since its last right one, within the lockout window."""
    window = at - timedelta(minutes=cfg.security.lockout_minutes)
    last_ok = session.scalar(select(func.max(Event.id)).where(Event.kind == EventKind.PIN_OK,
                                                              Event.actor == source)) or 0
    return list(session.scalars(
        select(Event.at).where(Event.kind == EventKind.PIN_FAILED, Event.actor == source, Event.id > last_ok,
                               Event.at >= window).order_by(Event.id)
    ))
