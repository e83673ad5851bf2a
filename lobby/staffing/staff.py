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

from lobby.clock import as_utc, at_or_now, local
from lobby.config import CentreConfig
from lobby.errors import (
    AccountLocked,
    BadPinFormat,
    BadUsername,
    LobbyError,
    NotAllowed,
    PinRejected,
    StaffExists,
    UnknownStaff,
)
from lobby.feed.events import record_event
from lobby.queue.views import StaffInfo
from lobby.staffing import pin_checks_pg
from lobby.store.catalog import staff_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Event, Staff
from lobby.text_limits import clean_text, shown
from lobby.vocabulary import EventKind

ROLES = ("official", "guard", "manager")
PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 8
LONG_PIN_DIGITS = 6
LONG_PIN_ROLES = ("manager", "guard")
USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,31}")
FULL_NAME_MAX = 120
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


def pin_min_digits(role: str | None) -> int:
    """A manager's and a guard's PIN grants priority and manages accounts: at least 6 digits."""
    return LONG_PIN_DIGITS if role in LONG_PIN_ROLES else PIN_MIN_DIGITS


def check_pin_format(pin: str, role: str | None = None) -> str:
    """The PIN itself: ASCII digits 0-9 only (the keypad has no other), 4-8 long, 6-8 for a manager or guard."""
    shortest = pin_min_digits(role)
    if not isinstance(pin, str) or not re.fullmatch(rf"[0-9]{{{shortest},{PIN_MAX_DIGITS}}}", pin):
        raise BadPinFormat(shortest, PIN_MAX_DIGITS)
    return pin


def clean_username(username: str) -> str:
    """A username as stored: trimmed, lower-case, 2-32 of a-z 0-9 . _ - (no look-alike or control characters)."""
    name = (username or "").strip()
    if not USERNAME_RE.fullmatch(name):
        raise BadUsername(shown(name))
    return name.lower()


def clean_full_name(full_name: str) -> str:
    """A display name: trimmed, NFC, at most FULL_NAME_MAX characters, no control or bidi-override characters."""
    return clean_text(full_name, "full_name", FULL_NAME_MAX, required=True)


def staff_info(s: Staff) -> StaffInfo:
    return StaffInfo(id=s.id, username=s.username, full_name=s.full_name, role=s.role, active=s.active,
                     locked_until=s.locked_until)


def account_locked(who: str, until: datetime, cfg: CentreConfig) -> AccountLocked:
    """The refusal of an account (or a keypad) locked until ``until``, shown in the centre's local time."""
    return AccountLocked(who, local(until, cfg.tz).strftime("%H:%M %d/%m/%Y"))


def locked_now(row: Staff, cfg: CentreConfig, at: datetime) -> AccountLocked | None:
    """AccountLocked while the account's lockout runs, else None."""
    if row.locked_until is not None and row.locked_until > at:
        return account_locked(row.username, row.locked_until, cfg)
    return None


def count_wrong_try(
    session: Session, cfg: CentreConfig, row: Staff, at: datetime, *,
    kind: EventKind = EventKind.PIN_FAILED, data: dict[str, object] | None = None,
) -> AccountLocked | None:
    """Count a wrong PIN or web password on the account (the one lockout of both), with its ``kind`` event;
    AccountLocked when this try locks it (``pin_max_attempts`` in a row), else None."""
    row.failed_pins += 1
    record_event(session, kind, staff_id=row.id, actor=row.username, at=at, data=data)
    if row.failed_pins < cfg.security.pin_max_attempts:
        return None
    row.failed_pins = 0
    row.locked_until = at + timedelta(minutes=cfg.security.lockout_minutes)
    record_event(session, EventKind.ACCOUNT_LOCKED, staff_id=row.id, actor=row.username, at=at, data=data)
    return account_locked(row.username, row.locked_until, cfg)


def add_staff(
    session: Session, username: str, full_name: str, role: str, pin: str, *,
    by: StaffInfo | None = None, now: datetime | None = None,
) -> StaffInfo:
    """A new account; one a manager adds (``by``) is recorded as ``staff_added``."""
    if role not in ROLES:
        raise LobbyError(f"Vai trò phải là một trong: {', '.join(ROLES)}; nhận được {shown(role)}.",
                         f"Role must be one of: {', '.join(ROLES)}; got {shown(role)}.")
    username, full_name = clean_username(username), clean_full_name(full_name)
    check_pin_format(pin, role)
    pin_hash = hash_pin(pin)
    at = at_or_now(now)
    with transaction(session):
        if session.scalar(select(Staff.id).where(func.lower(Staff.username) == username)) is not None:
            raise StaffExists(username)
        row = Staff(username=username, full_name=full_name, role=role, pin_hash=pin_hash, failed_pins=0,
                    active=True, created_at=at)
        session.add(row)
        session.flush()
        if by is not None:
            record_event(session, EventKind.STAFF_ADDED, staff_id=by.id, actor=by.username, at=at,
                         data={"account": username, "role": role})
        return staff_info(row)


def set_pin(
    session: Session, username: str, pin: str, *, by: StaffInfo | None = None, now: datetime | None = None,
) -> StaffInfo:
    """Change a PIN; this also lifts a lockout. A manager's reset (``by``) is recorded as ``staff_pin_reset``."""
    with read_transaction(session):
        role = staff_row(session, username).role
    check_pin_format(pin, role)
    pin_hash = hash_pin(pin)
    with transaction(session):
        row = staff_row(session, username)
        if row.role != role:  # re-roled meanwhile: the length rule is the new role's
            check_pin_format(pin, row.role)
        row.pin_hash, row.failed_pins, row.locked_until = pin_hash, 0, None
        if by is not None:
            record_event(session, EventKind.STAFF_PIN_RESET, staff_id=by.id, actor=by.username,
                         at=at_or_now(now), data={"account": row.username})
        return staff_info(row)


def list_staff(session: Session) -> list[StaffInfo]:
    with read_transaction(session):
        return [staff_info(s) for s in session.scalars(select(Staff).order_by(Staff.username))]


def verify_pin(
    session: Session, cfg: CentreConfig, username: str, pin: str, *,
    roles: tuple[str, ...] | None = None, now: datetime | None = None,
) -> StaffInfo:
    """Check a member's PIN; count a wrong one toward the lockout; raise PinRejected or AccountLocked."""
    at = at_or_now(now)
    if session.get_bind().dialect.name == "postgresql":  # hashes and lockouts behind the 0007 functions
        info = pin_checks_pg.verify_pin(session, cfg, username, pin, as_utc(now) if now else None)
        if roles is not None and info.role not in roles:
            raise NotAllowed(username, info.role, ", ".join(roles))
        return info
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
        failure = locked_now(row, cfg, at)
        if failure is None and (not row.active or not ok):
            failure = count_wrong_try(session, cfg, row, at) or PinRejected(
                cfg.security.pin_max_attempts - row.failed_pins)
        if failure is None:
            row.failed_pins = 0
            row.locked_until = None
            info = staff_info(row)
    if failure is not None:
        raise failure
    if roles is not None and info.role not in roles:
        raise NotAllowed(username, info.role, ", ".join(roles))
    return info


def verify_any_pin(
    session: Session, cfg: CentreConfig, pin: str, *, roles: tuple[str, ...], source: str,
    now: datetime | None = None,
) -> StaffInfo:
    """Check a PIN typed alone on a keypad (the kiosk's guard mode) against every active member with a role.

    A PIN alone names no account, so wrong tries count against the keypad (``source``):
    after ``pin_max_attempts`` wrong PINs in a row the keypad refuses every PIN for
    ``lockout_minutes``, which stops anyone trying PINs one after another.
    """
    if session.get_bind().dialect.name == "postgresql":  # hashes and keypad lockouts behind the 0007 functions
        return pin_checks_pg.verify_any_pin(session, cfg, pin, roles, source, as_utc(now) if now else None)
    at = at_or_now(now)
    failure: LobbyError | None = None
    found: StaffInfo | None = None
    with read_transaction(session):
        if _keypads_locked(session, cfg, source, at):
            members: list[tuple[int, str]] = []  # locked: no PIN is even tried
        else:
            members = [
                (m.id, m.pin_hash)
                for m in session.execute(select(Staff.id, Staff.pin_hash, Staff.locked_until).where(
                    Staff.role.in_(roles), Staff.active.is_(True)).order_by(Staff.id))
                if m.locked_until is None or m.locked_until <= at
            ]
    match_id = next((staff_id for staff_id, stored in members if pin_matches(pin, stored)), None)
    with transaction(session):
        recent_failures = _keypad_failures(session, cfg, source, at)  # again: another try may have landed meanwhile
        match = session.get(Staff, match_id) if match_id is not None else None
        if _keypads_locked(session, cfg, source, at):
            last = recent_failures[-1] if recent_failures else at
            until = last + timedelta(minutes=cfg.security.lockout_minutes)
            failure = account_locked(source, until, cfg)
        else:
            if match is None:
                record_event(session, EventKind.PIN_FAILED, actor=source, at=at)
                remaining = cfg.security.pin_max_attempts - len(recent_failures) - 1
                failure = PinRejected(remaining) if remaining > 0 else account_locked(
                    source, at + timedelta(minutes=cfg.security.lockout_minutes), cfg)
            else:
                record_event(session, EventKind.PIN_OK, staff_id=match.id, actor=source, at=at)
                found = staff_info(match)
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


def _keypads_locked(session: Session, cfg: CentreConfig, source: str, at: datetime) -> bool:
    """This keypad's wrong PINs reached the limit, or all keypads' together reached ten times it.

    The second cap stops a caller who names a new keypad for every try.
    """
    if len(_keypad_failures(session, cfg, source, at)) >= cfg.security.pin_max_attempts:
        return True
    window = at - timedelta(minutes=cfg.security.lockout_minutes)
    everywhere = session.scalar(select(func.count()).select_from(Event).where(
        Event.kind == EventKind.PIN_FAILED, Event.staff_id.is_(None), Event.at >= window)) or 0
    return everywhere >= cfg.security.pin_max_attempts * 10
