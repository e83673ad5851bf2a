"""Fixtures for the web app: the real ASGI app over a real store (SQLite file and PostgreSQL)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from manager_helpers import Clock, add_accounts
from web_support import PUBLIC_URL, LiveServer

from lobby.config import CentreConfig
from lobby.store.engine import Store
from support import demo_config
from web.app import create_app


@pytest.fixture
def cfg() -> CentreConfig:
    """The demo centre, open at all hours, with a public URL for links."""
    base = demo_config()
    return base.model_copy(update={"web": base.web.model_copy(update={"public_url": PUBLIC_URL})})


@pytest.fixture
def client(cfg: CentreConfig, store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(cfg, store)) as c:
        yield c


@pytest.fixture
def live(cfg: CentreConfig, store: Store) -> Iterator[LiveServer]:
    with LiveServer(create_app(cfg, store)) as server:
        yield server


@pytest.fixture
def clock(client: TestClient, store: Store) -> Clock:
    """The staff accounts made, and the app's clock at 08:00 (a test moves ``clock.now``)."""
    add_accounts(store)
    c = Clock()
    client.app.state.manager_clock = c  # type: ignore[attr-defined]
    return c


@pytest.fixture
def shots() -> Path | None:
    """``LOBBY_SCREENSHOTS=DIR``: where the browser tests save their pages (none otherwise)."""
    target = os.environ.get("LOBBY_SCREENSHOTS")
    return Path(target) if target else None
