"""lobby.access without a web framework: tokens, the guessing limiter, API token records."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lobby.access.api_tokens import (
    TokenExists,
    TokenNameInvalid,
    TokenUnknown,
    add_token,
    authenticate,
    list_tokens,
    parse_scopes,
    revoke_token,
)
from lobby.access.limiter import GuessLimiter
from lobby.access.tokens import looks_like_token, new_public_token, status_url
from lobby.store.engine import Store
from lobby.store.models import ApiToken


def test_public_tokens_are_short_url_safe_and_distinct() -> None:
    tokens = {new_public_token() for _ in range(20_000)}
    assert len(tokens) == 20_000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", t) and looks_like_token(t) for t in tokens)
    assert not looks_like_token("../../etc/passwd") and not looks_like_token("A" * 17)
    assert status_url("http://10.0.0.5:8080/", "abc") == "http://10.0.0.5:8080/v/abc"
    assert status_url(None, "abc") is None and status_url("http://x", None) is None


def test_limiter_slows_an_address_after_its_misses_and_forgets_old_ones() -> None:
    now = [0.0]
    limiter = GuessLimiter(max_misses=3, window_s=10, max_addresses=2, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("a") == 0
        limiter.miss("a")
        now[0] += 1
    assert limiter.retry_after("a") == pytest.approx(7.0)
    assert limiter.retry_after("b") == 0  # another address is not punished
    now[0] = 10.5
    assert limiter.retry_after("a") == 0  # the first miss left the window
    limiter.miss("b")
    limiter.miss("c")  # a third address: the least recently seen one is forgotten
    assert len(limiter._misses) == 2  # noqa: SLF001


def test_api_tokens_keep_only_a_hash(store: Store) -> None:
    with store.session() as s:
        client, secret = add_token(s, "portal", parse_scopes("issue, READ"))
    assert client.scopes == frozenset({"issue", "read"}) and client.source == "api:portal"
    with store.read_session() as s:
        row = s.scalars(select(ApiToken)).one()
    assert secret not in (row.secret_hash, row.name, row.scopes) and len(row.secret_hash) == 64
    with store.session() as s:
        assert authenticate(s, secret) == client
    with store.session() as s:
        assert authenticate(s, secret + "x") is None and authenticate(s, "Bearer") is None
    with store.session() as s, pytest.raises(TokenExists):
        add_token(s, "portal", parse_scopes("read"))
    with store.session() as s, pytest.raises(TokenNameInvalid):
        add_token(s, "Cổng DVC", parse_scopes("read"))
    with store.session() as s, pytest.raises(TokenUnknown):
        revoke_token(s, "nobody")
    with store.session() as s:
        revoke_token(s, "portal")
    with store.session() as s:
        assert authenticate(s, secret) is None
    with store.session() as s:
        assert [c.revoked_at is not None for c in list_tokens(s)] == [True]
