"""The PostgreSQL roles and the print record (section 13 of docs/deploy/postgres-roles.sql), on a real server.

The kiosk, connected as its own role, records that a ticket was printed and lists what it never printed;
no other role may write that column. Setup as in test_pg_roles.py (this run's own role names).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lobby import queue
from lobby.queue.printing import mark_printed, unprinted_tickets
from pg_roles_support import Cluster, denied, granted_cluster
from support import demo_config

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 12, 7, 8, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("print") as c:
        yield c


def test_the_kiosk_records_its_prints_and_lists_the_unprinted(cluster: Cluster) -> None:
    cfg = demo_config()
    kiosk = cluster.store("kiosk")
    with kiosk.session() as s:
        done = queue.issue_ticket(s, cfg, "DKKD", source="kiosk-1", now=T0)
    with kiosk.session() as s:
        lost = queue.issue_ticket(s, cfg, "DKKD", source="kiosk-1", now=T0 + timedelta(minutes=1))
    assert mark_printed(kiosk.session(), done.id, now=T0 + timedelta(seconds=5))
    offered = unprinted_tickets(kiosk.session(), cfg, "kiosk-1", now=T0 + timedelta(minutes=2))
    assert [t.number for t in offered] == [lost.number]


@pytest.mark.parametrize("kind", ["counter", "display", "web"])
def test_no_other_role_writes_the_print_record(cluster: Cluster, kind: str) -> None:
    with pytest.raises(DBAPIError) as refused, cluster.store(kind).engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET printed_at = now() WHERE id = 1"))
    # the display's connections are read-only as well: refused either way
    assert denied(refused.value) or "read-only" in str(refused.value)


def test_the_kiosk_writes_no_other_column_of_a_ticket(cluster: Cluster) -> None:
    with pytest.raises(DBAPIError) as refused, cluster.store("kiosk").engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET status = 'done' WHERE id = 1"))
    assert denied(refused.value)
