"""Helpers for the feedback tests: served tickets at known moments, and the demo centre's feedback section."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from lobby import queue
from lobby.config import CentreConfig
from lobby.config.feedback import FeedbackConfig
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from support import demo_config

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PINS = {"an": "135790", "binh": "246801"}


def vn(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def feedback_config(**section: Any) -> CentreConfig:
    cfg = demo_config()
    values = {**cfg.feedback.model_dump(), **section}
    return cfg.model_copy(update={"feedback": FeedbackConfig.model_validate(values)})


def add_officials(store: Store) -> dict[str, int]:
    ids = {}
    for username, name in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình")):
        with store.session() as s:
            ids[username] = staff.add_staff(s, username, name, "official", PINS[username]).id
    return ids


def sign_in(store: Store, cfg: CentreConfig, counter: int, official: str, at: datetime) -> None:
    with store.session() as s:
        counters.sign_in(s, cfg, counter, official, PINS[official], now=at)


def serve(store: Store, cfg: CentreConfig, at: datetime, *, service: str = "DKKD", counter: int = 1) -> int:
    """Issue a ticket at ``at``, then call, serve and finish it at ``counter`` (whose official is signed in)."""
    with store.session() as s:
        ticket = queue.issue_ticket(s, cfg, service, now=at)
    with store.session() as s:
        queue.call_number(s, cfg, counter, ticket.number, now=at + timedelta(minutes=1))
    with store.session() as s:
        queue.start_serving(s, cfg, counter, now=at + timedelta(minutes=2))
    with store.session() as s:
        queue.finish(s, cfg, counter, now=at + timedelta(minutes=10))
    return ticket.id
