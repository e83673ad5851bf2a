"""The queue's tables as SQLAlchemy Core ``Table`` objects, for the statements the hot path builds once.

The ORM models (``lobby.store.models``) stay the one definition; these are their tables, typed
as ``Table`` so Core statements (``insert(...).returning(...)``, ``.c.column``) type-check.
"""
from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from lobby.store.models import Counter, CounterService, DaySequence, Event, Service, Staff, Ticket

TICKET = cast(Table, Ticket.__table__)
SERVICE = cast(Table, Service.__table__)
COUNTER = cast(Table, Counter.__table__)
COUNTER_SERVICE = cast(Table, CounterService.__table__)
DAY_SEQUENCE = cast(Table, DaySequence.__table__)
STAFF = cast(Table, Staff.__table__)
EVENT = cast(Table, Event.__table__)
