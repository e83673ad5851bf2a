"""Fixtures for the counter app: real stores, real widgets offscreen, every thread joined at the end."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from counter_helpers import OFFICIALS, PIN, Apps
from lobby.config import CentreConfig
from lobby.staffing import staff
from lobby.store.engine import Store


@pytest.fixture
def officials(store: Store) -> dict[str, str]:
    with store.session() as s:
        for username, name in OFFICIALS.items():
            staff.add_staff(s, username, name, "official", PIN)
    return OFFICIALS


@pytest.fixture
def apps(qtbot: QtBot, store: Store, cfg: CentreConfig, officials: dict[str, str]) -> Iterator[Apps]:
    made = Apps(qtbot, store, cfg)
    yield made
    made.close()


