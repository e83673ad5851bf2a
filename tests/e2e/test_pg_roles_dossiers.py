"""The PostgreSQL roles and the dossier table (section 10 of docs/deploy/postgres-roles.sql), on a real server.

Each app does its real dossier operations connected as its own role; what it has no business
doing is refused. The setup is that of test_pg_roles.py: owner-owned database, ``lobby init``
as the owner, the grants script as the superuser, this run's own role names.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lobby import cli, dossiers
from lobby.config import CentreConfig
from lobby.dossiers.kiosk_check import Outcome, check_results
from lobby.dossiers.sync import sync_once
from lobby.reports.dossiers import dossier_report
from lobby.store.engine import Store
from pg_roles_support import Cluster, denied, granted_cluster
from support import DEMO_CONFIG, demo_config

VN = demo_config().tz


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("dossiers") as c:
        yield c


def _cfg() -> CentreConfig:
    return demo_config()  # the demo's [dossiers]: results at TKQ, a late result's priority group


def test_every_app_does_its_dossier_work_as_its_own_role(cluster: Cluster, tmp_path: object) -> None:
    cfg = _cfg()
    counter, kiosk = cluster.store("counter"), cluster.store("kiosk")
    received = datetime(2026, 11, 30, 9, tzinfo=VN)
    for code in ("HS-READY", "HS-WAIT", "HS-LATE"):
        with counter.session() as s:
            dossiers.receive(s, cfg, code, "HT", counter=3, now=received)
    with counter.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-READY"], now=received + timedelta(days=1))
    with counter.session() as s:
        assert dossiers.record_overdue(s, cfg, now=received + timedelta(days=1)) == []

    late = dossiers_promise(counter, cfg, "HS-LATE") + timedelta(minutes=1)
    with kiosk.session() as s:
        assert check_results(s, cfg, "HS-READY", source="kiosk-1", now=late).outcome == Outcome.READY
    with kiosk.session() as s:
        overdue = check_results(s, cfg, "HS-LATE", source="kiosk-1", now=late)
    assert overdue.outcome == Outcome.OVERDUE and overdue.ticket is not None and overdue.new_promise is not None
    with kiosk.session() as s:
        assert check_results(s, cfg, "NOT-HERE", source="kiosk-1", now=late).outcome == Outcome.UNKNOWN

    with counter.session() as s:
        assert dossiers.mark_returned(s, cfg, "HS-READY", counter=12, now=late).state == "returned"
    report = dossier_report(cluster.store("manager"), cfg, received.date(), late.date(), now=late)
    assert (report.total.received, report.total.returned, report.total.overdue_now) == (3, 1, 2)
    with cluster.store("display").read_session() as s:
        assert s.execute(text("SELECT count(*) FROM dossier")).scalar_one() == 3
    base = ["--db", cluster.url_as("manager"), "--config", str(DEMO_CONFIG), "dossier"]
    assert cli.main([*base, "list", "--overdue", "--json"]) == 0  # the manager reads; a list writes nothing
    assert cli.main([*base, "show", "HS-WAIT"]) == 0
    sync_cfg = cfg.model_copy(update={"dossiers": cfg.dossiers.model_copy(update={"sync": "none"})})
    assert sync_once(counter, sync_cfg, now=late).errors == []  # the sync service's role is the counter's


def dossiers_promise(store: Store, cfg: CentreConfig, code: str) -> datetime:
    with store.session() as s:
        return dossiers.find(s, cfg, code).promised_at


@pytest.mark.parametrize(("kind", "sql"), [
    ("kiosk", "INSERT INTO dossier (code, service_id, state, received_at, first_promised_at, promised_at, reschedules) "
              "VALUES ('X', 1, 'received', now(), now(), now(), 0)"),
    ("kiosk", "UPDATE dossier SET ready_at = now()"),
    ("kiosk", "UPDATE dossier SET code = 'X'"),
    ("counter", "UPDATE dossier SET code = 'X'"),
    ("counter", "UPDATE dossier SET first_promised_at = now()"),
    ("counter", "UPDATE dossier SET service_id = 1"),
    ("counter", "DELETE FROM dossier"),
    ("manager", "UPDATE dossier SET state = 'ready'"),
    ("manager", "DELETE FROM dossier"),
])
def test_what_a_role_must_not_do(cluster: Cluster, kind: str, sql: str) -> None:
    with cluster.store(kind).session() as s, pytest.raises(DBAPIError) as exc:
        with s.begin():
            s.execute(text(sql))
    assert denied(exc.value), sql


def test_the_display_cannot_write_dossiers(cluster: Cluster) -> None:
    with cluster.store("display").session() as s, pytest.raises(DBAPIError) as exc:
        with s.begin():
            s.execute(text("SET TRANSACTION READ WRITE"))
            s.execute(text("UPDATE dossier SET state = 'ready'"))
    assert denied(exc.value) or isinstance(exc.value.orig, psycopg.errors.ReadOnlySqlTransaction)
