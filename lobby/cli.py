"""The ``lobby`` command: set up the store, work the queue from a terminal, manage staff.

``--db``, ``--config`` and ``--lang`` belong to ``lobby`` itself and come before the
subcommand: ``lobby --db URL --config PATH issue DKKD --json``. Human output is
Vietnamese by default. Any error a person can fix (bad config, unknown service,
unreachable database, old schema) is one message on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from lobby import queue
from lobby.access import command as token_command
from lobby.access.links import ticket_json
from lobby.boundary import run_at_boundary
from lobby.cli_guards import COUNTER_NUMBER, LobbyParser, recently_issued, refuse_accidental_sqlite
from lobby.config import CentreConfig, default_config_path, load_config
from lobby.dossiers import command as dossier_command
from lobby.errors import LobbyError
from lobby.feed import alerts
from lobby.i18n import pick, tr
from lobby.monitor.command import cmd_web_password
from lobby.queue.views import TicketInfo
from lobby.reports import command as report_command
from lobby.staffing import counters, staff
from lobby.store.engine import Store, default_db, resolve_db_url
from lobby.store.migrate import init_store
from lobby.store.url import safe_url
from lobby.text_limits import NOTE_MAX, SOURCE_MAX, clean_optional, clean_text, shown

Handler = Callable[[argparse.Namespace, CentreConfig, Store], int]


class CommandModule(Protocol):
    """A module holding subcommands of its own: ``register`` adds them to ``lobby``'s subparsers."""

    def register(self, subparsers: Any) -> None: ...


#: The subcommands that live in their own modules, in the order of ``lobby --help``: to add one,
#: write a module with ``register(subparsers)`` and add it here. Imported at the top, so a
#: broken module stops ``lobby`` with its traceback instead of silently losing the command.
COMMAND_MODULES: tuple[CommandModule, ...] = (
    report_command,   # lobby report, lobby demo-history
    token_command,    # lobby token
    dossier_command,  # lobby dossier
)


# ---------------------------------------------------------------- output


def _local_time(t: TicketInfo | None, cfg: CentreConfig) -> str:
    return t.issued_at.astimezone(cfg.tz).strftime("%H:%M") if t else ""


def _emit_ticket(args: argparse.Namespace, cfg: CentreConfig, t: TicketInfo | None) -> None:
    if args.json:
        print(json.dumps(ticket_json(t, cfg) if t else None, ensure_ascii=False))
        return
    lang = args.lang
    if t is None:
        print(tr("word.nobody_waiting", lang))
        return
    parts = [f"{t.number}", t.service_name(lang), tr(f"status.{t.status}", lang)]
    if t.priority:
        parts.append(f"{tr('word.priority', lang)}: {cfg.priority_group(t.priority).name(lang)}")
    if t.counter is not None:
        parts.append(f"{tr('word.counter', lang)} {t.counter}")
    if t.ahead is not None:
        parts.append(pick(lang, f"{t.ahead} người chờ trước", f"{t.ahead} ahead"))
    if t.estimated_wait_min is not None:
        parts.append(pick(lang, f"chờ khoảng {t.estimated_wait_min} phút", f"about {t.estimated_wait_min} min"))
    print(" · ".join(parts))


def _emit_tickets(args: argparse.Namespace, cfg: CentreConfig, tickets: list[TicketInfo]) -> None:
    if args.json:
        print(json.dumps([t.to_json() for t in tickets], ensure_ascii=False))
        return
    lang = args.lang
    header = pick(lang, "Số    Dịch vụ  Trạng thái      Quầy  Giờ cấp", "No.   Service  Status          Ctr   Issued")
    print(header)
    for t in tickets:
        status = tr("status." + t.status, lang)
        print(f"{t.number:<6}{t.service:<9}{status:<16}{t.counter or '':<6}{_local_time(t, cfg)}")
    print(pick(lang, f"Tổng: {len(tickets)} số", f"Total: {len(tickets)} tickets"))


# ---------------------------------------------------------------- handlers


def cmd_init(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    init_store(store, cfg)
    print(pick(args.lang,
               f"Đã khởi tạo cơ sở dữ liệu {store.safe_url}: {len(cfg.services)} dịch vụ, {len(cfg.counters)} quầy.",
               f"Initialised {store.safe_url}: {len(cfg.services)} services, {len(cfg.counters)} counters."))
    return 0


def _granted_by(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int | None:
    if not args.priority:
        return None
    group = cfg.priority_group(args.priority)
    if not group.needs_pin and not args.granted_by:
        return None
    if not args.granted_by:
        raise LobbyError(
            f"Nhóm ưu tiên «{group.name_vi}» cần mã PIN: thêm --granted-by TÊN_ĐĂNG_NHẬP.",
            f"Priority group “{group.name('en')}” needs a staff PIN: add --granted-by USERNAME.")
    pin = _read_pin(pick(args.lang, f"PIN của {args.granted_by}: ", f"PIN for {args.granted_by}: "))
    with store.session() as s:
        member = staff.verify_pin(s, cfg, args.granted_by, pin, roles=("guard", "official", "manager"))
    return member.id


def _read_pin(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


def cmd_issue(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    args.source = clean_text(args.source, "--source", SOURCE_MAX, required=True)
    granted = _granted_by(args, cfg, store)
    with store.session() as s:
        t = queue.issue_ticket(s, cfg, args.service, priority=args.priority, granted_by=granted, source=args.source)
    _emit_ticket(args, cfg, t)
    return 0


def cmd_call(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        if args.number:
            t: TicketInfo | None = queue.call_number(s, cfg, args.counter, args.number)
        else:
            t = queue.call_next(s, cfg, args.counter)
    _emit_ticket(args, cfg, t)
    return 0


def _counter_action(fn: Callable[..., TicketInfo]) -> Handler:
    def handler(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
        extra = [getattr(args, name) for name in ("service", "number") if getattr(args, name, None)]
        note = clean_optional(getattr(args, "note", None), "--note", NOTE_MAX)
        kwargs = {"note": note} if note else {}
        with store.session() as s:
            t = fn(s, cfg, args.counter, *extra, **kwargs)
        _emit_ticket(args, cfg, t)
        return 0
    return handler


def cmd_cancel(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        t = queue.cancel(s, cfg, args.number, actor="cli")
    _emit_ticket(args, cfg, t)
    return 0


def cmd_tickets(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    day = _parse_day(args.day) if args.day else None
    with store.session() as s:
        tickets = queue.list_tickets(s, cfg, day)
    _emit_tickets(args, cfg, tickets)
    return 0


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise LobbyError(f"--day: ngày phải có dạng YYYY-MM-DD, nhận được {shown(text)}.",
                         f"--day: the date must be YYYY-MM-DD, got {shown(text)}.") from None


def cmd_status(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    lang = args.lang
    with store.session() as s:
        infos = counters.counter_infos(s, cfg)
    with store.session() as s:
        waiting = queue.waiting_counts(s, cfg)
    with store.session() as s:
        faults = alerts.open_printer_faults(s)
    if args.json:
        print(json.dumps({
            "counters": [{"number": c.number, "state": c.state, "staff": c.staff, "current": c.current,
                          "services": list(c.services)} for c in infos],
            "waiting": waiting,
            "printer_faults": [{"source": f.source, "url": f.printer_url, "message": f.message} for f in faults],
        }, ensure_ascii=False))
        return 0
    print(cfg.centre.title(lang))
    print(pick(lang, "Đang chờ theo dịch vụ:", "Waiting per service:"))
    for sc in cfg.services:
        print(f"  {sc.prefix} {sc.name(lang):<45} {waiting.get(sc.code, 0):>4}")
    print(pick(lang, "Quầy:", "Counters:"))
    for c in infos:
        who = c.staff_name or "—"
        print(f"  {c.number:>3} {tr('counter.' + c.state, lang):<12} {who:<28} {c.current or ''}")
    for f in faults:
        print(pick(lang, f"! Máy in của {f.source} lỗi: {f.message}", f"! Printer at {f.source}: {f.message}"))
    return 0


def cmd_close_day(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    if not args.force:
        recent = recently_issued(store, timedelta(hours=1))
        if recent:
            raise LobbyError(
                f"Có {recent} số cấp trong một giờ qua vẫn đang mở: có thể công dân còn chờ trong sảnh. "
                "Kết thúc ngày sau khi họ được phục vụ, hoặc thêm --force nếu thật sự cần.",
                f"{recent} tickets issued in the last hour are still open: people may still be waiting. "
                "Close the day once they are served, or add --force if you really must.")
    with store.session() as s:
        n = queue.close_day(s, cfg, force=args.force)
    print(pick(args.lang, f"Đã kết thúc ngày: {n} số còn mở chuyển sang hết hạn. Lịch sử được giữ nguyên.",
               f"Day closed: {n} open tickets expired. History is kept."))
    _summarise_closed_days(args, cfg, store)
    return 0


def _summarise_closed_days(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> None:
    """Store the closed days' report figures; a failure here loses nothing (reports work them out themselves)."""
    from lobby.reports.summary import summarise_closed_days  # numpy: loaded only when a day is closed

    try:
        summarise_closed_days(store, cfg)
    except (LobbyError, SQLAlchemyError) as exc:
        print(pick(args.lang, f"Chưa lưu được số liệu báo cáo của ngày ({exc}); báo cáo sẽ tự tính lại từ các số.",
                   f"The day's report figures were not stored ({exc}); reports will work them out from the tickets."),
              file=sys.stderr)


def cmd_counter(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    state = {"open": "open", "pause": "paused", "close": "closed"}[args.action]
    with store.session() as s:
        counters.set_counter_state(s, cfg, args.counter, state)
    print(f"{tr('word.counter', args.lang)} {args.counter}: {tr('counter.' + state, args.lang)}")
    return 0


def cmd_staff_add(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    pin = args.pin or _read_pin(pick(args.lang, "PIN mới (4–8 chữ số): ", "New PIN (4–8 digits): "))
    with store.session() as s:
        member = staff.add_staff(s, args.username, args.name or args.username, args.role, pin)
    print(pick(args.lang, f"Đã tạo tài khoản {member.username} ({tr('role.' + member.role, 'vi')}).",
               f"Created account {member.username} ({tr('role.' + member.role, 'en')})."))
    return 0


def cmd_staff_passwd(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    if args.web:  # the web password of the manager's pages (lobby.monitor), not the PIN
        return cmd_web_password(args, cfg, store)
    pin = args.pin or _read_pin(pick(args.lang, "PIN mới (4–8 chữ số): ", "New PIN (4–8 digits): "))
    with store.session() as s:
        staff.set_pin(s, args.username, pin)
    print(pick(args.lang, f"Đã đổi PIN của {args.username} (và mở khóa nếu bị khóa).",
               f"Changed the PIN of {args.username} (and lifted any lock)."))
    return 0


def cmd_staff_list(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        members = staff.list_staff(s)
    if args.json:
        print(json.dumps([{"username": m.username, "full_name": m.full_name, "role": m.role, "active": m.active,
                           "locked_until": m.locked_until.isoformat() if m.locked_until else None} for m in members],
                         ensure_ascii=False))
        return 0
    for m in members:
        lock = pick(args.lang, " (bị khóa)", " (locked)") if m.locked_until else ""
        print(f"{m.username:<16} {tr('role.' + m.role, args.lang):<10} {m.full_name}{lock}")
    return 0


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = LobbyParser(prog="lobby", description="Lobby Queue: hàng đợi cấp số / queue ticketing.")
    p.add_argument("--db", default=None,
                   help="database URL (default: LOBBY_DB, then the config file, then var/lobby.sqlite3)")
    p.add_argument("--config", default=None, help="centre config file (default: LOBBY_CONFIG, then config/demo.toml)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the output (default vi)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, handler: Handler, help_text: str, *, json_flag: bool = False) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(handler=handler)
        if json_flag:
            sp.add_argument("--json", action="store_true", help="print JSON instead of text")
        return sp

    add("init", cmd_init, "create or upgrade the schema and load services and counters from the config")
    sp = add("issue", cmd_issue, "issue a ticket for a service", json_flag=True)
    sp.add_argument("service", help="service code or number prefix, e.g. DKKD or A")
    sp.add_argument("--priority", help="priority group code, e.g. elderly")
    sp.add_argument("--granted-by", help="username of the staff member granting the priority (asks for the PIN)")
    sp.add_argument("--source", default="cli", help="who issues (recorded in the event), default cli")
    sp = add("call", cmd_call, "finish the counter's current ticket and call the next one", json_flag=True)
    sp.add_argument("counter", type=COUNTER_NUMBER)
    sp.add_argument("--number", help="call this waiting number instead of the next one")
    actions: list[tuple[str, Callable[..., TicketInfo], str]] = [
        ("recall", queue.recall, "call the counter's current ticket again"),
        ("start", queue.start_serving, "the citizen has arrived: start serving"),
        ("finish", queue.finish, "finish serving the counter's current ticket"),
        ("no-show", queue.no_show, "the called citizen did not come"),
        ("park", queue.park, "set the current ticket aside at this counter"),
    ]
    for name, fn, text in actions:
        sp = add(name, _counter_action(fn), text, json_flag=True)
        sp.add_argument("counter", type=COUNTER_NUMBER)
        if name == "finish":
            sp.add_argument("--note", help="outcome note")
    sp = add("transfer", _counter_action(queue.transfer), "send the current ticket to wait for another service",
             json_flag=True)
    sp.add_argument("counter", type=COUNTER_NUMBER)
    sp.add_argument("service")
    sp = add("resume", _counter_action(queue.resume), "bring a parked ticket back to the counter", json_flag=True)
    sp.add_argument("counter", type=COUNTER_NUMBER)
    sp.add_argument("number")
    sp = add("cancel", cmd_cancel, "cancel a waiting ticket", json_flag=True)
    sp.add_argument("number")
    sp = add("tickets", cmd_tickets, "list the tickets of a day", json_flag=True)
    sp.add_argument("--day", help="local date YYYY-MM-DD (default today)")
    add("status", cmd_status, "counters, waiting counts and printer faults now", json_flag=True)
    sp = add("close-day", cmd_close_day, "expire every ticket still open and close the counters (history is kept)")
    sp.add_argument("--force", action="store_true",
                    help="close even during opening hours (expires the waiting tickets)")
    sp = add("counter", cmd_counter, "open, pause or close a counter")
    sp.add_argument("action", choices=("open", "pause", "close"))
    sp.add_argument("counter", type=COUNTER_NUMBER)

    sp = sub.add_parser("staff", help="staff accounts", description="staff accounts: add, change PIN, list")
    staff_sub = sp.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    a = staff_sub.add_parser("add", help="add an account", description="add an account (asks for the PIN)")
    a.add_argument("username")
    a.add_argument("--name", help="full name, e.g. \"Nguyễn Văn An\"")
    a.add_argument("--role", choices=staff.ROLES, default="official")
    a.add_argument("--pin", help="PIN (4–8 digits); asked for when omitted")
    a.set_defaults(handler=cmd_staff_add)
    a = staff_sub.add_parser("passwd", help="change a PIN and lift a lockout",
                             description="change a PIN and lift a lockout")
    a.add_argument("username")
    a.add_argument("--pin", help="new PIN; asked for when omitted")
    a.add_argument("--web", action="store_true", help="set the web password (10+ characters) instead of the PIN")
    a.set_defaults(handler=cmd_staff_passwd)
    a = staff_sub.add_parser("list", help="list accounts", description="list accounts")
    a.add_argument("--json", action="store_true")
    a.set_defaults(handler=cmd_staff_list)

    for module in COMMAND_MODULES:
        module.register(sub)
    return p


def _run(args: argparse.Namespace, place: list[str]) -> int:
    if not hasattr(args, "json"):
        args.json = False
    cfg = load_config(args.config or default_config_path())
    url = resolve_db_url(args.db, cfg)
    place[0] = safe_url(url)
    creating = args.handler is cmd_init
    if not (creating and url == default_db()):  # the default var/ folder is made on first init
        refuse_accidental_sqlite(url, creating)
    store = Store(url)
    place[0] = store.safe_url
    try:
        if not creating:
            store.ping()
            store.check_schema()
        return int(args.handler(args, cfg, store))
    finally:
        store.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    """The ``lobby`` command; every error a person can act on is one stderr line and exit status 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    place = [""]
    return run_at_boundary(lambda: _run(args, place), lambda: str(getattr(args, "lang", "vi")), lambda: place[0])


if __name__ == "__main__":
    raise SystemExit(main())
