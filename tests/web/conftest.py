"""Fixtures for the web app: the real ASGI app over a real store (SQLite file and PostgreSQL)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
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
