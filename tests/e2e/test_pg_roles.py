"""The least-privilege PostgreSQL roles of docs/deploy/postgres-roles.sql, proven on a real server.

The steps are those of docs/operations.md: a database owned by the owner role,
``lobby init`` as that owner, the grants script as the superuser (twice: it must be
safe to re-run), then every app's real operations connected *as* its role. Roles are
cluster-wide, so this run uses its own role names (``lobby_t<hex>_kiosk`` …, the
script's names rewritten) and drops them at the end.
"""
from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import lobby.queue.offer as kiosk_rules
import lobby.staffing.desk as counter_rules
from lobby import cli, queue
from lobby.errors import AccountLocked, PinRejected
from lobby.feed import alerts
from lobby.feed.reader import ChangeWaiter, FeedReader, latest_event_id
from lobby.staffing import counters, staff
from lobby.store.engine import Store
from pg_roles_support import KINDS, Cluster, apply_script, denied, drop_roles, granted_cluster
from support import DEMO_CONFIG, create_pg_database, demo_config, drop_pg_database, require_pg

GUARD_PIN, AN_PIN, BINH_PIN = "482916", "135790", "246801"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with granted_cluster("main") as c:
        # Staff accounts, added by the manager role (what `lobby staff add` does).
        with c.store("manager").session() as s:
            staff.add_staff(s, "baove", "Lê Văn Hùng", "guard", GUARD_PIN)
        with c.store("manager").session() as s:
            staff.add_staff(s, "an", "Nguyễn Văn An", "official", AN_PIN)
        with c.store("manager").session() as s:
            staff.add_staff(s, "binh", "Phạm Thị Bình", "official", BINH_PIN)
        yield c


def test_script_refuses_before_lobby_init() -> None:
    require_pg()
    tag = uuid.uuid4().hex[:8]
    roles = {kind: f"lobby_t{tag}_{kind}" for kind in KINDS}
    db = f"lobby_roles_empty_{tag}"
    c = Cluster(db=db, url=create_pg_database(db), roles=roles)
    try:
        with pytest.raises(psycopg.errors.RaiseException, match="lobby init"):
            apply_script(c)
        with c.admin() as conn:  # nothing half-done: no role was created
            found = conn.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s", (f"lobby_t{tag}_%",)).fetchone()
        assert found == (0,)
    finally:
        drop_pg_database(db)
        drop_roles(roles)


def test_roles_are_plain_logins(cluster: Cluster) -> None:
    with cluster.admin() as conn:
        rows = conn.execute(
            "SELECT rolname, rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = ANY(%s)",
            (list(cluster.roles.values()),),
        ).fetchall()
    assert len(rows) == len(KINDS)
    assert all(login and not (sup or createdb or createrole) for _, login, sup, createdb, createrole in rows)


def test_kiosk_issues_tickets_and_records_faults(cluster: Cluster) -> None:
    cfg = demo_config()
    kiosk = cluster.store("kiosk")
    with kiosk.session() as s:
        first = queue.issue_ticket(s, cfg, "DKKD", source="kiosk-1")
    with kiosk.session() as s:
        second = queue.issue_ticket(s, cfg, "DKKD", source="kiosk-1")
    assert (first.number, second.number, second.ahead) == ("A001", "A002", 1)

    # Guard mode: a PIN typed alone; a wrong one is recorded against the keypad, a right one too.
    with kiosk.session() as s, pytest.raises(PinRejected):
        staff.verify_any_pin(s, cfg, "000000", roles=kiosk_rules.GUARD_ROLES, source="kiosk-1")
    with kiosk.session() as s:
        guard = staff.verify_any_pin(s, cfg, GUARD_PIN, roles=kiosk_rules.GUARD_ROLES, source="kiosk-1")
    with kiosk.session() as s:
        prio = queue.issue_ticket(s, cfg, "DKKD", priority="merit", granted_by=guard.id, source="kiosk-1")
    assert prio.priority == "merit" and prio.ahead == 0

    # A wrong PIN for a named account is counted on the staff row.
    with kiosk.session() as s, pytest.raises(PinRejected):
        staff.verify_pin(s, cfg, "baove", "111111", roles=kiosk_rules.PRIORITY_PIN_ROLES)
    with kiosk.session() as s:
        assert staff.verify_pin(s, cfg, "baove", GUARD_PIN).username == "baove"  # and reset on success

    # Printer fault raised for the guard, then cleared.
    with kiosk.session() as s:
        alerts.record_printer_fault(s, "kiosk-1", "tcp://10.0.0.9:9100", "Hết giấy")
    with kiosk.session() as s:
        assert [a.source for a in alerts.open_printer_faults(s)] == ["kiosk-1"]
    with kiosk.session() as s:
        alerts.record_printer_ok(s, "kiosk-1", "tcp://10.0.0.9:9100")
    with kiosk.session() as s:
        assert alerts.open_printer_faults(s) == []

    # What the home screen and a reprint read.
    with kiosk.session() as s:
        assert kiosk_rules.service_states(s, cfg)["DKKD"].waiting == 3
    with kiosk.session() as s:
        assert queue.find_ticket(s, cfg, "A002").ahead == 2

    with cluster.store("owner").session() as s:
        kinds = list(s.scalars(text("SELECT kind FROM event WHERE actor IN ('kiosk-1', 'baove') ORDER BY id")))
        failed = s.scalar(text("SELECT failed_pins FROM staff WHERE username = 'baove'"))
    assert kinds.count("pin_failed") == 2 and "pin_ok" in kinds
    assert kinds[-2:] == ["printer_fault", "printer_ok"]
    assert failed == 0

    # …and nothing a kiosk has no business doing.
    with kiosk.session() as s, pytest.raises(DBAPIError) as exc:
        queue.call_next(s, cfg, 1)
    assert denied(exc.value)
    for sql in ("UPDATE staff SET pin_hash = 'x' WHERE username = 'baove'",
                "UPDATE ticket SET status = 'done'",
                "DELETE FROM event",
                "INSERT INTO rating (ticket_id, value, at) VALUES (1, 'satisfied', now())"):
        with kiosk.session() as s, pytest.raises(DBAPIError) as exc:
            with s.begin():
                s.execute(text(sql))
        assert denied(exc.value), sql


def test_counter_calls_serves_rates_and_closes_the_day(cluster: Cluster) -> None:
    cfg = demo_config()
    kiosk, counter = cluster.store("kiosk"), cluster.store("counter")
    for _ in range(4):
        with kiosk.session() as s:
            queue.issue_ticket(s, cfg, "DD", source="kiosk-1")

    with counter.session() as s:
        an = counters.sign_in(s, cfg, 3, "an", AN_PIN)
    assert an.username == "an"
    with counter.session() as s:
        called = queue.call_next(s, cfg, 3)
    assert called is not None and (called.number, called.counter, called.staff) == ("B001", 3, "an")
    with counter.session() as s:
        queue.recall(s, cfg, 3)
    with counter.session() as s:
        queue.start_serving(s, cfg, 3)
    with counter.session() as s:
        done = queue.finish(s, cfg, 3, note="đủ hồ sơ")
    with counter.session() as s:  # the rating panel
        queue.rate(s, cfg, done.id, "very_satisfied")
    with counter.session() as s:
        assert queue.rating_of(s, done.id) == "very_satisfied"
    view = counter_rules.read_counter_view(counter, cfg, 3, an.id)  # what the work screen reads
    assert (view.counter.staff, view.waiting["DD"], view.figures.served) == ("an", 3, 1)

    with counter.session() as s:
        assert queue.call_next(s, cfg, 3).number == "B002"  # type: ignore[union-attr]
    with counter.session() as s:
        assert queue.no_show(s, cfg, 3).status == "no_show"
    with counter.session() as s:
        assert queue.call_next(s, cfg, 3).number == "B003"  # type: ignore[union-attr]
    with counter.session() as s:
        moved = queue.transfer(s, cfg, 3, "HT")
    assert (moved.status, moved.service) == ("waiting", "HT")
    with counter.session() as s:
        assert queue.call_next(s, cfg, 3).number == "B004"  # type: ignore[union-attr]
    with counter.session() as s:
        queue.park(s, cfg, 3)
    with counter.session() as s:
        assert queue.resume(s, cfg, 3, "B004").status == "called"
    with counter.session() as s:
        queue.finish(s, cfg, 3)
    with counter.session() as s:
        counters.set_counter_state(s, cfg, 3, "paused")
    with counter.session() as s:
        counters.set_counter_state(s, cfg, 3, "open")
    with counter.session() as s:
        assert queue.call_number(s, cfg, 5, "B003").counter == 5  # the transferred number, at counter 5
    with counter.session() as s:
        counters.sign_out(s, cfg, 3)

    # Wrong PINs at the counter lock the account (the count must be writable by this role).
    for _ in range(cfg.security.pin_max_attempts - 1):
        with counter.session() as s, pytest.raises(PinRejected):
            counters.sign_in(s, cfg, 4, "binh", "999999")
    with counter.session() as s, pytest.raises(AccountLocked):
        counters.sign_in(s, cfg, 4, "binh", "999999")
    with counter.session() as s, pytest.raises(AccountLocked):
        counters.sign_in(s, cfg, 4, "binh", BINH_PIN)

    # `lobby close-day` needs nothing more than a counter's rights.
    with counter.session() as s:
        expired = queue.close_day(s, cfg)
    assert expired >= 1  # B003 at counter 5, and the kiosk test's A tickets

    with counter.session() as s, pytest.raises(DBAPIError) as exc:
        queue.issue_ticket(s, cfg, "DD", source="counter")
    assert denied(exc.value)
    for sql in ("UPDATE ticket SET number = 'Z999'",
                "UPDATE ticket SET issued_at = now()",
                "UPDATE staff SET pin_hash = 'x'",
                "INSERT INTO staff (username, full_name, role, pin_hash, failed_pins, active, created_at) "
                "VALUES ('x', 'x', 'manager', 'x', 0, true, now())",
                "DELETE FROM rating"):
        with counter.session() as s, pytest.raises(DBAPIError) as exc:
            with s.begin():
                s.execute(text(sql))
        assert denied(exc.value), sql


def test_display_reads_the_feed_and_cannot_write(cluster: Cluster) -> None:
    cfg = demo_config()
    display, kiosk = cluster.store("display"), cluster.store("kiosk")
    reader = FeedReader(display, after_id=max(latest_event_id(display) - 5, 0))
    assert reader.poll(), "the display role reads the event feed"
    waiter = ChangeWaiter(display)
    try:
        assert waiter.wait(0.1) is True  # the first call connects and LISTENs
        with kiosk.session() as s:
            issued = queue.issue_ticket(s, cfg, "GPLX", source="kiosk-1")
        assert waiter.wait(30.0) is True, "NOTIFY after the kiosk's commit wakes the display's LISTEN"
    finally:
        waiter.close()
    assert issued.number in [e.number for e in reader.poll() if e.kind == "issued"]

    # What the board reads besides the feed (display/snapshot.py).
    with display.read_session() as s:
        assert queue.waiting_counts(s, cfg)["GPLX"] >= 1
    with display.read_session() as s:
        assert [c.number for c in counters.counter_infos(s, cfg)][:3] == [1, 2, 3]
    with display.read_session() as s:
        assert issued.number in [t.number for t in queue.list_tickets(s, cfg)]

    # Writing fails: read-only by default, and without the privilege even when asked for read-write.
    with display.session() as s, pytest.raises(DBAPIError) as exc:
        queue.issue_ticket(s, cfg, "GPLX", source="display")
    assert isinstance(exc.value.orig, psycopg.errors.ReadOnlySqlTransaction)
    for sql in ("INSERT INTO event (at, kind) VALUES (now(), 'called')",
                "UPDATE ticket SET status = 'done'",
                "UPDATE counter SET state = 'open'",
                "UPDATE staff SET failed_pins = 0",
                "DELETE FROM ticket"):
        with display.session() as s, pytest.raises(DBAPIError) as exc:
            with s.begin():
                s.execute(text("SET TRANSACTION READ WRITE"))
                s.execute(text(sql))
        assert denied(exc.value), sql


def test_manager_manages_staff_and_reads_reports(
    cluster: Cluster, capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    cfg = demo_config()
    manager_url = cluster.url_as("manager")
    base = ["--db", manager_url, "--config", str(DEMO_CONFIG), "--lang", "en"]
    assert cli.main([*base, "staff", "add", "chi", "--name", "Võ Thị Chi", "--role", "guard", "--pin", "246813"]) == 0
    # binh was locked at a counter by the counter test (or is not yet, if run alone): passwd lifts any lock.
    assert cli.main([*base, "staff", "passwd", "binh", "--pin", "97531"]) == 0
    manager = cluster.store("manager")
    with manager.session() as s:
        members = {m.username: m for m in staff.list_staff(s)}
    assert members["chi"].full_name == "Võ Thị Chi" and members["chi"].role == "guard"
    assert members["binh"].locked_until is None
    with cluster.store("counter").session() as s:
        assert staff.verify_pin(s, cfg, "binh", "97531").username == "binh"

    # Reports read every table; `lobby status` works as the manager too.
    with manager.read_session() as s:
        for table in ("ticket", "event", "rating", "day_sequence", "counter_service", "service", "counter"):
            s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    capsys.readouterr()
    assert cli.main([*base, "status", "--json"]) == 0
    assert '"waiting"' in capsys.readouterr().out
    day = queue.today(cfg).isoformat()
    for grouping in ("service", "counter", "staff", "hour"):
        assert cli.main([*base, "report", "--from", day, "--to", day, "--by", grouping, "--format", "json"]) == 0
    xlsx = str(tmp_path / "r.xlsx")
    assert cli.main([*base, "report", "--from", day, "--to", day, "--format", "xlsx", "--out", xlsx]) == 0
    assert (tmp_path / "r.xlsx").stat().st_size > 0

    with manager.session() as s, pytest.raises(DBAPIError) as exc:
        queue.issue_ticket(s, cfg, "DKKD", source="manager")
    assert denied(exc.value)
    for sql in ("UPDATE ticket SET status = 'done'", "DELETE FROM staff", "DELETE FROM event",
                "UPDATE staff SET username = 'x'"):
        with manager.session() as s, pytest.raises(DBAPIError) as exc:
            with s.begin():
                s.execute(text(sql))
        assert denied(exc.value), sql


def test_owner_backup_restores_with_the_grants(cluster: Cluster, tmp_path: Path) -> None:
    """The backup and restore of docs/operations.md: pg_dump -Fc as the owner, pg_restore into a new database."""
    pg_dump, pg_restore = shutil.which("pg_dump"), shutil.which("pg_restore")
    if not (pg_dump and pg_restore):
        pytest.skip("pg_dump / pg_restore are not installed")
    dump = tmp_path / "lobby.dump"
    subprocess.run([pg_dump, "-Fc", "-f", str(dump), "-d", cluster.url_as("owner")], check=True, capture_output=True)
    restored = f"{cluster.db}_restored"
    create_pg_database(restored)
    try:
        with cluster.admin() as conn:
            conn.execute(f'ALTER DATABASE "{restored}" OWNER TO "{cluster.roles["owner"]}"')
        subprocess.run([pg_restore, "--exit-on-error", "--no-owner", "-d", cluster.url_as("owner", restored),
                        str(dump)], check=True, capture_output=True)
        apply_script(cluster, restored)  # grants are re-applied after a restore, as the guide says
        kiosk = Store(cluster.url_as("kiosk", restored))
        try:
            kiosk.check_schema()
            with kiosk.session() as s:
                before = s.scalar(text("SELECT max(id) FROM ticket"))
            with kiosk.session() as s:
                t = queue.issue_ticket(s, demo_config(), "TKQ", source="kiosk-1")
            assert t.id > before  # sequences came back with the data
        finally:
            kiosk.dispose()
    finally:
        drop_pg_database(restored)


# ---------------------------------------------------------------- secrets (issue 17)

APP_ROLES = ("kiosk", "counter", "display", "manager", "web")


def refused(store: Store, sql: str, params: dict[str, object] | None = None) -> BaseException:
    """Run ``sql`` as the store's role in a read-write transaction; return the error it must raise."""
    with store.session() as s, pytest.raises(DBAPIError) as exc:
        with s.begin():
            s.execute(text("SET TRANSACTION READ WRITE"))
            s.execute(text(sql), params or {})
    return exc.value


@pytest.mark.parametrize("kind", APP_ROLES)
def test_no_app_role_reads_a_pin_hash(cluster: Cluster, kind: str) -> None:
    store = cluster.store(kind)
    for sql in ("SELECT pin_hash FROM staff", "SELECT * FROM staff", "COPY staff TO STDOUT"):
        assert denied(refused(store, sql)), (kind, sql)
    with store.read_session() as s:  # what the screens show still reads
        names = set(s.scalars(text("SELECT username FROM staff")))
    assert {"baove", "an"} <= names


@pytest.mark.parametrize("kind", APP_ROLES)
def test_no_app_role_resets_a_lockout_or_forges_pin_events(cluster: Cluster, kind: str) -> None:
    """The manager (``lobby staff passwd``) and the manager's web pages may lift a lock; nobody forges events."""
    store = cluster.store(kind)
    lockout = ("UPDATE staff SET locked_until = NULL, failed_pins = 0 WHERE username = 'an'",
               "UPDATE staff SET failed_pins = 0") if kind in ("kiosk", "counter", "display") else ()
    for sql in (*lockout,
                "INSERT INTO event (at, kind, actor) VALUES (now(), 'pin_ok', 'kiosk-1')",
                "INSERT INTO event (at, kind, actor, staff_id) VALUES (now(), 'pin_ok', 'kiosk-1', 1)",
                *(() if kind == "web" else  # the web pages lock accounts after wrong web passwords
                  ("INSERT INTO event (at, kind, actor) VALUES (now(), 'account_locked', 'an')",)),
                "DELETE FROM event WHERE kind = 'pin_failed'",
                "INSERT INTO event_kind_grant (role_name, kind) VALUES (current_user, 'pin_ok')",
                "DELETE FROM event_kind_grant"):
        err = refused(store, sql)
        assert denied(err) or isinstance(getattr(err, "orig", None), psycopg.errors.ReadOnlySqlTransaction), \
            (kind, sql)


@pytest.mark.parametrize(("kind", "event_kind"), [
    ("kiosk", "called"), ("kiosk", "finished"), ("kiosk", "rated"), ("kiosk", "day_closed"),
    ("kiosk", "signed_in"), ("kiosk", "staff_added"), ("counter", "issued"), ("counter", "staff_added"),
    ("counter", "web_signed_in"), ("manager", "issued"), ("manager", "called"), ("web", "called"),
    ("web", "day_closed"), ("web", "pin_failed"), ("kiosk", "not_a_kind"),
])
def test_each_role_records_only_its_own_event_kinds(cluster: Cluster, kind: str, event_kind: str) -> None:
    err = refused(cluster.store(kind), "INSERT INTO event (at, kind, actor) VALUES (now(), :k, 'forger')",
                  {"k": event_kind})
    assert denied(err), (kind, event_kind)


def test_tickets_are_born_waiting(cluster: Cluster) -> None:
    base = ("INSERT INTO ticket (day, service_id, origin_service_id, seq, number, is_priority, status, source, "
            "issued_at, queued_at, call_count) SELECT current_date, id, id, 900, :n, false, :st, 'forger', now(), "
            "now(), 0 FROM service LIMIT 1")
    for kind in ("kiosk", "web"):
        for status in ("called", "serving", "done", "no_show", "expired"):
            assert denied(refused(cluster.store(kind), base, {"n": "Z900", "st": status})), (kind, status)
        called = base.replace("call_count) SELECT", "call_count, called_at) SELECT").replace("0 FROM", "0, now() FROM")
        assert denied(refused(cluster.store(kind), called, {"n": "Z901", "st": "waiting"})), kind


@pytest.mark.parametrize("kind", ("display", "manager", "web"))
def test_only_kiosk_and_counter_may_check_pins(cluster: Cluster, kind: str) -> None:
    for sql in ("SELECT lobby_pin_spec('an')", "SELECT * FROM lobby_pin_specs(ARRAY['guard'])",
                "SELECT * FROM lobby_check_pin('an', 'x', 'y', 5, 15, NULL)",
                "SELECT * FROM lobby_check_any_pin('k', ARRAY['guard'], ARRAY[1], ARRAY['y'], 5, 15, NULL)"):
        err = refused(cluster.store(kind), sql)
        assert denied(err) or isinstance(getattr(err, "orig", None), psycopg.errors.ReadOnlySqlTransaction), \
            (kind, sql)


def test_the_salt_is_given_never_the_digest(cluster: Cluster) -> None:
    with cluster.store("kiosk").session() as s:
        spec = s.scalar(text("SELECT lobby_pin_spec('baove')"))
    with cluster.store("owner").session() as s:
        stored = s.scalar(text("SELECT pin_hash FROM staff WHERE username = 'baove'"))
    assert spec is not None and stored.startswith(spec + "$") and stored.split("$")[-1] not in spec


def test_a_caller_cannot_stretch_the_lockout_rules(cluster: Cluster) -> None:
    """A role that calls the functions by hand gets at most 10 tries, the server's clock, one digest per account."""
    kiosk = cluster.store("kiosk")
    owner = cluster.store("owner")
    with owner.session() as s, s.begin():
        s.execute(text("UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE username = 'an'"))
    with kiosk.session() as s:
        spec = s.scalar(text("SELECT lobby_pin_spec('an')"))
    outcomes = []
    for _ in range(12):  # asks for 1000 tries and a lockout of 0 minutes, with a time far in the future
        with kiosk.session() as s, s.begin():
            outcomes.append(s.execute(text(
                "SELECT outcome FROM lobby_check_pin('an', :spec, 'bad', 1000, 0, "
                "(now() + interval '10 years')::timestamp)"), {"spec": spec}).scalar_one())
    assert outcomes[:9] == ["wrong"] * 9 and outcomes[9:] == ["locked"] * 3
    with owner.session() as s:
        until = s.scalar(text("SELECT locked_until - (now() AT TIME ZONE 'UTC') FROM staff WHERE username = 'an'"))
    assert until.total_seconds() >= 4 * 60  # at least the 5-minute floor, from the server's clock
    with kiosk.session() as s, pytest.raises(DBAPIError, match="one digest per staff id"), s.begin():
        s.execute(text("SELECT * FROM lobby_check_any_pin('k9', ARRAY['guard'], ARRAY[1, 1], "
                       "ARRAY['a', 'b'], 5, 15, NULL)"))
    with owner.session() as s, s.begin():  # the manager would run `lobby staff passwd`; leave "an" usable
        s.execute(text("UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE username = 'an'"))


def test_keypads_with_made_up_names_share_one_cap(cluster: Cluster) -> None:
    kiosk = cluster.store("kiosk")
    cfg = demo_config()
    results = []
    for i in range(cfg.security.pin_max_attempts * 10 + 2):
        with kiosk.session() as s, s.begin():
            results.append(s.execute(text(
                "SELECT outcome FROM lobby_check_any_pin(:src, ARRAY['guard'], ARRAY[]::integer[], "
                "ARRAY[]::text[], :max, :lock, NULL)"),
                {"src": f"fake-{i}", "max": cfg.security.pin_max_attempts,
                 "lock": cfg.security.lockout_minutes}).scalar_one())
    assert "locked" in results[-2:] and results[0] == "wrong"
    with cluster.store("owner").session() as s, s.begin():  # other tests' keypads start afresh
        s.execute(text("DELETE FROM event WHERE actor LIKE 'fake-%'"))


def test_definer_functions_run_as_the_owner_with_a_fixed_search_path(cluster: Cluster) -> None:
    with cluster.admin() as conn:
        rows = conn.execute(
            "SELECT p.proname, pg_get_userbyid(p.proowner), p.proconfig, has_function_privilege('public', p.oid, "
            "'EXECUTE') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef").fetchall()
    names = {name for name, *_ in rows}
    assert {"lobby_pin_spec", "lobby_pin_specs", "lobby_check_pin", "lobby_check_any_pin"} <= names
    for name, owner, config, public in rows:
        assert owner == cluster.roles["owner"], (name, owner)  # never a superuser's rights
        assert config and any(c.startswith("search_path=pg_catalog") for c in config), (name, config)
        if name.startswith(("lobby_pin", "lobby_check")):
            assert not public, f"{name} is executable by PUBLIC"
