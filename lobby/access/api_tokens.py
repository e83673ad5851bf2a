"""Bearer tokens of the HTTP API: made, listed and revoked by ``lobby token``; checked per request.

The secret is 256 random bits shown once; the store keeps only its SHA-256 (a slow
salted hash protects guessable PINs; a random 256-bit secret needs none), looked up
by that hash. Scopes: ``issue`` (take a ticket), ``priority`` (a priority ticket of a
group that needs no staff PIN), ``read`` (tickets and the queue), ``report`` (figures).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lobby.clock import utcnow
from lobby.errors import LobbyError
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import ApiToken

SCOPES = ("issue", "priority", "read", "report")
SECRET_PREFIX = "lq_"
MAX_SECRET_LENGTH = 100
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")


class TokenNameInvalid(LobbyError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"Tên token {name!r} không hợp lệ: dùng 1–40 ký tự a-z, 0-9, '.', '_', '-' (ví dụ cong-dich-vu-cong).",
            f"Token name {name!r} is invalid: use 1–40 characters a-z, 0-9, '.', '_', '-' (e.g. public-portal).",
        )


class ScopeInvalid(LobbyError):
    def __init__(self, given: str) -> None:
        names = ", ".join(SCOPES)
        super().__init__(f"Quyền {given!r} không hợp lệ. Các quyền: {names}.",
                         f"Scope {given!r} is invalid. Scopes: {names}.")


class TokenExists(LobbyError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Đã có token tên {name!r} (kể cả token đã thu hồi). Chọn tên khác.",
                         f"A token named {name!r} already exists (revoked ones count). Choose another name.")


class TokenUnknown(LobbyError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Không có token tên {name!r}. Xem danh sách: lobby token list.",
                         f"No token named {name!r}. See the list: lobby token list.")


@dataclass(frozen=True)
class ApiClient:
    name: str
    scopes: frozenset[str]
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def source(self) -> str:
        """What an issue through this client records as its source."""
        return f"api:{self.name}"


def parse_scopes(text: str) -> frozenset[str]:
    wanted = {part.strip().lower() for part in text.split(",") if part.strip()}
    if not wanted:
        raise ScopeInvalid(text)
    for scope in sorted(wanted):
        if scope not in SCOPES:
            raise ScopeInvalid(scope)
    return frozenset(wanted)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _client(row: ApiToken) -> ApiClient:
    return ApiClient(row.name, frozenset(s for s in row.scopes.split(",") if s), row.created_at, row.revoked_at)


def add_token(session: Session, name: str, scopes: frozenset[str], *,
              now: datetime | None = None) -> tuple[ApiClient, str]:
    """A new token and its secret (returned once, never stored)."""
    if not _NAME.match(name):
        raise TokenNameInvalid(name)
    for scope in scopes:
        if scope not in SCOPES:
            raise ScopeInvalid(scope)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction(session):
            if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
                raise TokenExists(name)
            row = ApiToken(name=name, secret_hash=secret_hash(secret), scopes=",".join(sorted(scopes)),
                           created_at=now or utcnow())
            session.add(row)
            session.flush()
            return _client(row), secret
    except IntegrityError:
        raise TokenExists(name) from None


def list_tokens(session: Session) -> list[ApiClient]:
    with read_transaction(session):
        return [_client(r) for r in session.scalars(select(ApiToken).order_by(ApiToken.name))]


def revoke_token(session: Session, name: str, *, now: datetime | None = None) -> ApiClient:
    with transaction(session):
        row = session.scalar(select(ApiToken).where(ApiToken.name == name))
        if row is None:
            raise TokenUnknown(name)
        if row.revoked_at is None:
            row.revoked_at = now or utcnow()
        return _client(row)


def authenticate(session: Session, secret: str) -> ApiClient | None:
    """The live client whose secret this is, or None (unknown, malformed or revoked)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > MAX_SECRET_LENGTH:
        return None
    with read_transaction(session):
        row = session.scalar(select(ApiToken).where(ApiToken.secret_hash == secret_hash(secret)))
        if row is None or row.revoked_at is not None:
            return None
        return _client(row)
