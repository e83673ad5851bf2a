"""The PostgreSQL roles and the day summaries (section 14 of docs/deploy/postgres-roles.sql), on a real server.

The manager's `lobby report` (lobby_manager), the web app's reports (lobby_web) and `lobby close-day`
(lobby_counter) store the settled days they work out; the hall's display (lobby_display, read-only)
reads them and stores nothing, yet its figures are the same; the kiosk neither reads nor writes them,
and no role may rewrite a stored row in place. Setup as in test_pg_roles.py (this run's own role names).
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lobby.reports.demo_history import generate_history
from lobby.reports.figures import ReportQuery, build_report
from lobby.reports.summary import summarise
from pg_roles_support import Cluster, denied, granted_cluster
from support import demo_config

LAST = date(2025, 3, 14)  # a Friday
QUERY = ReportQuery(LAST - timedelta(days=13), LAST)
WORKING_DAYS = 10


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("reports") as c:
        generate_history(c.store("owner"), demo_config(), days=14, end=LAST, per_day=25, seed=5)
        yield c


def _stored(cluster: Cluster) -> int:
    with cluster.store("owner").engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM day_summary")).scalar_one())


def _forget(cluster: Cluster) -> None:
    with cluster.store("owner").engine.begin() as conn:
        for table in ("day_summary_values", "day_summary_group", "day_summary"):
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.mark.parametrize("kind", ["manager", "web"])
def test_roles_that_run_reports_store_the_days_they_work_out(cluster: Cluster, kind: str) -> None:
    cfg = demo_config()
    _forget(cluster)
    direct = build_report(cluster.store("owner"), cfg, QUERY, "staff", direct=True)
    assert build_report(cluster.store(kind), cfg, QUERY, "staff") == direct
    assert _stored(cluster) == WORKING_DAYS
    assert build_report(cluster.store(kind), cfg, QUERY, "staff") == direct  # now from the stored days


def test_close_day_as_the_counter_role_stores_the_closed_days(cluster: Cluster) -> None:
    _forget(cluster)
    assert summarise(cluster.store("counter"), demo_config(), QUERY.start, QUERY.end, until=LAST) == WORKING_DAYS


def test_the_display_reads_them_and_stores_nothing(cluster: Cluster, caplog: pytest.LogCaptureFixture) -> None:
    cfg = demo_config()
    _forget(cluster)
    direct = build_report(cluster.store("owner"), cfg, QUERY, "day", direct=True)
    with caplog.at_level(logging.WARNING, logger="lobby.reports.summary_store"):
        assert build_report(cluster.store("display"), cfg, QUERY, "day") == direct
    assert _stored(cluster) == 0
    assert "day summaries not stored" in caplog.text
    build_report(cluster.store("manager"), cfg, QUERY, "day")
    assert build_report(cluster.store("display"), cfg, QUERY, "day") == direct  # read from the stored days


@pytest.mark.parametrize(("kind", "sql"), [
    ("kiosk", "SELECT * FROM day_summary"),
    ("kiosk", "SELECT * FROM day_summary_group"),
    ("kiosk", "DELETE FROM day_summary_values"),
    ("display", "DELETE FROM day_summary"),
    ("manager", "UPDATE day_summary_group SET issued = issued + 1"),
    ("web", "UPDATE day_summary SET fingerprint = 'x'"),
    ("counter", "UPDATE day_summary_values SET waits = services"),
])
def test_what_a_role_must_not_do(cluster: Cluster, kind: str, sql: str) -> None:
    with pytest.raises(DBAPIError) as refused, cluster.store(kind).engine.begin() as conn:
        conn.execute(text(sql))
    # the display's connections are read-only as well: refused either way
    assert denied(refused.value) or "read-only" in str(refused.value)
