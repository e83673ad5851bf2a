"""Guards at the door of the ``lobby`` command: argparse that errs in one line, bounded numbers, no
database file made by accident, and the people who may still be in the hall before a day is closed."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

from sqlalchemy import func, select

from lobby.clock import utcnow
from lobby.errors import DatabaseMissing, shown
from lobby.store.engine import Store
from lobby.store.models import Ticket
from lobby.store.url import normalise_url
from lobby.vocabulary import OPEN_STATES


class LobbyParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit status 2) that never echoes a huge argument."""

    def error(self, message: str) -> NoReturn:
        text = " ".join(message.split())
        if len(text) > 300:
            text = text[:300] + "…"
        self.exit(2, f"{self.prog}: {text} (xem / see: {self.prog} --help)\n")


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer from ``low`` to ``high`` (a counter number, a count)."""
    def parse(text: str) -> int:
        try:
            if not text.strip().isascii():
                raise ValueError(text)  # int() takes "٣" and "３": no keypad or script types those
            value = int(text.strip()) if len(text) <= 12 else high + 1
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {shown(text)}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {shown(text)}")
        return value
    return parse


COUNTER_NUMBER = bounded(1, 999)


class SqliteTarget:
    """The SQLite path of a URL, without opening anything (``Store`` would create the folder)."""

    def __init__(self, url: str) -> None:
        u = normalise_url(url)
        database = u.database
        if database and u.query.get("uri") == "true" and database.startswith("file:"):
            database = database[len("file:"):].split("?", 1)[0]  # sqlite:///file:PATH?mode=ro&uri=true
        self.sqlite_path = Path(database) if database and database != ":memory:" else None


def refuse_accidental_sqlite(url: str, creating: bool) -> None:
    """Never create a database by accident: only ``lobby init`` makes the file, and never its folder."""
    if not url.startswith("sqlite"):
        return
    path = SqliteTarget(url).sqlite_path
    if path is None:
        return
    if not path.parent.is_dir():
        raise DatabaseMissing(str(path), folder_missing=True)
    if not creating and not path.exists():
        raise DatabaseMissing(str(path), folder_missing=False)


def recently_issued(store: Store, within: timedelta) -> int:
    """Open tickets issued in the last ``within``: people who may still be in the hall."""
    with store.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.issued_at >= utcnow() - within, Ticket.status.in_([str(x) for x in OPEN_STATES]))) or 0)
