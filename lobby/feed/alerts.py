"""Printer alerts raised by kiosks for the guard: recorded as events, so every app (and the
audit log) sees them, and cleared by a later ``printer_ok`` from the same kiosk."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import utcnow
from lobby.feed.events import record_event
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Event
from lobby.vocabulary import PRINTER_KINDS, EventKind

_LOOKBACK = 500


@dataclass(frozen=True)
class PrinterAlert:
    source: str
    printer_url: str
    message: str
    at: datetime


def record_printer_fault(session: Session, source: str, printer_url: str, message: str) -> None:
    with transaction(session):
        record_event(session, EventKind.PRINTER_FAULT, actor=source, at=utcnow(), data={"url": printer_url,
                                                                                        "message": message})


def record_printer_ok(session: Session, source: str, printer_url: str) -> None:
    with transaction(session):
        record_event(session, EventKind.PRINTER_OK, actor=source, at=utcnow(), data={"url": printer_url})


def open_printer_faults(session: Session) -> list[PrinterAlert]:
    """The kiosks whose latest printer event is a fault."""
    with read_transaction(session):
        rows = session.scalars(
            select(Event).where(Event.kind.in_(PRINTER_KINDS)).order_by(Event.id.desc()).limit(_LOOKBACK))
        latest: dict[str, Event] = {}
        for row in rows:
            latest.setdefault(row.actor or "", row)
    return [
        PrinterAlert(source=src, printer_url=(e.data or {}).get("url", ""), message=(e.data or {}).get("message", ""),
                     at=e.at)
        for src, e in sorted(latest.items()) if e.kind == EventKind.PRINTER_FAULT
    ]
