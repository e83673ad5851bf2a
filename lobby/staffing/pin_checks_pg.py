"""PIN checks on PostgreSQL: through the SECURITY DEFINER functions of migration 0007.

With ``docs/deploy/postgres-roles.sql`` applied, no app role can read a PIN hash or touch
the lockout state: it asks the database for the hash's scheme and salt
(``lobby_pin_spec``), computes the scrypt digest of the typed PIN itself (PostgreSQL has
no scrypt, and the slow hash stays out of any transaction), and hands the digest to
``lobby_check_pin`` / ``lobby_check_any_pin``, which compare it, record the attempt and
lock the account or the keypad in the same transaction. SQLite (one machine, no roles)
keeps the Python path in ``lobby.staffing.staff``.
"""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lobby.clock import local
from lobby.config import CentreConfig
from lobby.errors import AccountLocked, LobbyError, PinRejected, UnknownStaff
from lobby.queue.views import StaffInfo
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Staff

_STALE_RETRIES = 3  # the PIN changed between reading the salt and checking: read it again


def digest_for(pin: str, spec: str | None) -> str:
    """The hex scrypt digest of ``pin`` under a stored hash's ``scrypt$n$r$p$salt`` (a decoy for a bad spec)."""
    try:
        scheme, n, r, p, salt = (spec or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        return hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), dklen=32, n=int(n), r=int(r), p=int(p)).hex()
    except ValueError:
        return "-"  # never equal to a stored digest


def _naive_utc(at: datetime | None) -> datetime | None:
    return at.astimezone(UTC).replace(tzinfo=None) if at is not None else None


def _locked(who: str, until: datetime, cfg: CentreConfig) -> AccountLocked:
    return AccountLocked(who, local(until.replace(tzinfo=UTC), cfg.tz).strftime("%H:%M %d/%m/%Y"))


def _info(session: Session, staff_id: int) -> StaffInfo:
    row = session.execute(
        select(Staff.id, Staff.username, Staff.full_name, Staff.role, Staff.active, Staff.locked_until)
        .where(Staff.id == staff_id)
    ).one()
    return StaffInfo(id=row.id, username=row.username, full_name=row.full_name, role=row.role, active=row.active,
                     locked_until=row.locked_until)


def verify_pin(session: Session, cfg: CentreConfig, username: str, pin: str, at: datetime | None) -> StaffInfo:
    """The named account's PIN check (see ``staff.verify_pin``); the role check is the caller's."""
    for _ in range(_STALE_RETRIES):
        with read_transaction(session):
            spec = session.scalar(text("SELECT lobby_pin_spec(:u)"), {"u": username})
        if spec is None:
            raise UnknownStaff(username)
        digest = digest_for(pin, spec)
        failure: LobbyError | None = None
        with transaction(session):
            row = session.execute(
                text("SELECT * FROM lobby_check_pin(:u, :spec, :digest, :max, :lock, :at)"),
                {"u": username, "spec": spec, "digest": digest, "max": cfg.security.pin_max_attempts,
                 "lock": cfg.security.lockout_minutes, "at": _naive_utc(at)},
            ).one()
            if row.outcome == "ok":
                return _info(session, row.staff_id)
        if row.outcome == "stale":
            continue
        if row.outcome == "unknown":
            failure = UnknownStaff(username)
        elif row.outcome == "locked":
            failure = _locked(username, row.locked_until, cfg)
        else:
            failure = PinRejected(row.remaining)
        raise failure
    raise PinRejected(0)


def verify_any_pin(
    session: Session, cfg: CentreConfig, pin: str, roles: tuple[str, ...], source: str, at: datetime | None,
) -> StaffInfo:
    """A PIN typed alone on a keypad (see ``staff.verify_any_pin``)."""
    with read_transaction(session):
        specs = session.execute(text("SELECT staff_id, spec FROM lobby_pin_specs(:roles)"),
                                {"roles": list(roles)}).all()
    ids = [r.staff_id for r in specs]
    digests = [digest_for(pin, r.spec) for r in specs]
    with transaction(session):
        row = session.execute(
            text("SELECT * FROM lobby_check_any_pin(:source, :roles, :ids, :digests, :max, :lock, :at)"),
            {"source": source, "roles": list(roles), "ids": ids, "digests": digests,
             "max": cfg.security.pin_max_attempts, "lock": cfg.security.lockout_minutes, "at": _naive_utc(at)},
        ).one()
        if row.outcome == "ok":
            return _info(session, row.staff_id)
    if row.outcome == "locked":
        raise _locked(source, row.locked_until, cfg)
    raise PinRejected(row.remaining)

