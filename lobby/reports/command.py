"""The ``lobby report`` and ``lobby demo-history`` subcommands (registered by ``lobby.cli``).

    lobby report --from 2025-03-01 --to 2025-03-31 --by service --format table
    lobby report --from 2025-01-01 --to 2025-12-31 --format xlsx --out bao-cao-2025.xlsx
    lobby report --from 2025-01-01 --to 2025-12-31 --format png --out docs/reports/
    lobby report --from 2025-01-01 --to 2025-12-31 --direct        # every figure from the tickets (a check)
    lobby --db sqlite:///var/demo.sqlite3 demo-history --days 90
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lobby.config import CentreConfig
from lobby.errors import OutputProblem
from lobby.i18n import pick, tr
from lobby.reports import dossiers as dossier_figures
from lobby.reports import feedback as feedback_figures
from lobby.reports import feedback_formats
from lobby.reports.figures import GROUPINGS, ReportQuery, build_report, check_range, report_bundle
from lobby.store.engine import Store
from lobby.text_limits import shown

FORMATS = ("table", "csv", "xlsx", "json", "png")


@dataclass(frozen=True)
class Section:
    """Figures that follow the ticket figures in every format: how to count them for a query, and how each
    format carries them (after the text or under a JSON key, as workbook sheets, as a chart)."""

    key: str  # in JSON
    figures: Callable[[Store, CentreConfig, ReportQuery], Any]
    add_to_text: Callable[[str, str, Any, str, str], str]
    add_to_workbook: Callable[[Any, Any, str], None]  # (the openpyxl Workbook, the figures, lang)
    write_chart: Callable[[Path, Any, str], list[Path]]


SECTIONS = (
    Section("dossiers", dossier_figures.for_query, dossier_figures.add_to_text, dossier_figures.add_to_workbook,
            dossier_figures.write_chart),
    Section("feedback", feedback_figures.for_query, feedback_formats.add_to_text, feedback_formats.add_to_workbook,
            feedback_formats.write_chart),
)


def local_date(option: str) -> Any:
    def parse(text: str) -> date:
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"ngày phải có dạng YYYY-MM-DD (ngày địa phương), nhận được {text!r} / "
                f"{option}: the date must be YYYY-MM-DD (local date), got {text!r}") from None
    return parse


def positive(option: str, high: int = 1_000_000) -> Any:
    """An argparse type: a whole number from 1 to ``high`` (a huge one would run for days or overflow SQL)."""
    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 12 else high + 1
        except ValueError:
            value = 0
        if not 1 <= value <= high:
            raise argparse.ArgumentTypeError(f"phải là số nguyên từ 1 đến {high}, nhận được {shown(text)} / "
                                             f"{option}: must be a whole number from 1 to {high}, got {shown(text)}")
        return value
    return parse


def writable_file(path: Path) -> Path:
    """``--out`` as a file to write: OutputProblem (one line, exit 2) for a folder or a path under a file.

    Missing folders are made, as before; an unwritable place or a full disk is reported by
    the command's boundary (``lobby.boundary``) from the OSError itself.
    """
    if len(str(path)) > 1024:
        raise OutputProblem(shown(str(path)), "đường dẫn quá dài", "the path is too long")
    if path.is_dir():
        raise OutputProblem(str(path), "đó là một thư mục; cho tên tệp, ví dụ bao-cao.csv",
                            "it is a folder; give a file name, e.g. report.csv")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputProblem(str(path), f"{parent} là một tệp, không phải thư mục",
                                f"{parent} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report", help="reports: waits, service times, targets, ratings, busy hours",
        description="Figures per day, service, counter, official or hour of the centre's local days, "
                    "as a table, CSV, JSON, an Excel workbook (every grouping) or PNG charts.")
    p.add_argument("--from", dest="start", required=True, type=local_date("--from"), metavar="DATE",
                   help="first local day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", required=True, type=local_date("--to"), metavar="DATE",
                   help="last local day (included), YYYY-MM-DD")
    p.add_argument("--service", metavar="CODE", help="only tickets issued for this service (code or prefix)")
    p.add_argument("--counter", type=positive("--counter", 999), metavar="N",
                   help="only tickets handled at this counter")
    p.add_argument("--staff", metavar="NAME", help="only tickets handled by this official (username)")
    p.add_argument("--by", choices=GROUPINGS, default="service", help="grouping for table/csv/json (default service)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    p.add_argument("--out", type=Path, metavar="PATH",
                   help="output file (default: standard output; for xlsx lobby-report-FROM_TO.xlsx; "
                        "for png a directory, or NAME.png to prefix the three charts)")
    p.add_argument("--direct", action="store_true",
                   help="compute every figure from the tickets instead of adding up the stored day summaries "
                        "(the same figures, slower; a check, or after changing tickets by hand)")
    p.set_defaults(handler=cmd_report)

    d = subparsers.add_parser(
        "demo-history", help="fill the database with a generated history (for demos and benchmarks)",
        description="Generate a realistic history of working days ending --end (default yesterday): arrivals, "
                    "calls, service, no-shows, transfers, ratings. Only into days that have no tickets yet.")
    d.add_argument("--days", type=positive("--days", 3660), default=90, help="calendar days to fill (default 90)")
    d.add_argument("--end", type=local_date("--end"), metavar="DATE", help="last day, YYYY-MM-DD (default yesterday)")
    d.add_argument("--per-day", type=positive("--per-day", 20_000), metavar="N",
                   help="tickets on an average working day (default: about 60%% of what the counters can serve)")
    d.add_argument("--seed", type=positive("--seed", 2**31 - 1), default=7,
                   help="random seed (same seed, same history)")
    d.add_argument("--demo-store", action="store_true",
                   help="this database is a demo store: generate even though it holds tickets or accounts "
                        "the demo did not make (refused without it: fake history must not reach real reports)")
    d.set_defaults(handler=cmd_demo_history)


def cmd_report(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    lang = getattr(args, "lang", "vi")
    q = ReportQuery(args.start, args.end, service=args.service, counter=args.counter, staff=args.staff)
    check_range(q)
    fmt = args.format
    default_name = f"lobby-report-{q.start.isoformat()}_{q.end.isoformat()}"
    if fmt == "xlsx":
        from lobby.reports.xlsx import write_xlsx

        out = writable_file(args.out or Path(default_name + ".xlsx"))
        reports, heatmap = report_bundle(store, cfg, q, direct=args.direct)

        def sheets(section: Section) -> Callable[[Any], None]:
            figures = section.figures(store, cfg, q)
            return lambda wb: section.add_to_workbook(wb, figures, lang)

        write_xlsx(out, reports, heatmap, lang, [sheets(s) for s in SECTIONS])
        print(out)
        return 0
    if fmt == "png":
        from lobby.reports.charts import write_charts

        reports, heatmap = report_bundle(store, cfg, q, ("service", "staff"), direct=args.direct)
        assert heatmap is not None
        targets = {s.code: s.target_wait_min for s in cfg.services}
        charts = args.out or Path(default_name + ".png")
        paths = write_charts(charts, reports["service"], reports["staff"], heatmap, lang, targets)
        for section in SECTIONS:
            paths += section.write_chart(charts, section.figures(store, cfg, q), lang)
        for path in paths:
            print(path)
        return 0
    from lobby.reports import formats as report_formats

    report = build_report(store, cfg, q, args.by, direct=args.direct)
    if fmt == "json":
        text = report_formats.to_json(report, {s.key: s.figures(store, cfg, q).to_json() for s in SECTIONS})
    else:
        text = report_formats.to_table(report, lang) if fmt == "table" else report_formats.to_csv(report, lang)
        for section in SECTIONS:
            text = section.add_to_text(text, fmt, section.figures(store, cfg, q), lang, args.by)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    out = writable_file(args.out)
    # A byte-order mark lets Excel open a CSV's Vietnamese as UTF-8. Written beside and renamed over: a full
    # disk leaves the previous file whole, never half a report.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    if out.exists() and not out.is_file():  # a device or a pipe (/dev/stdout): written as it is, never replaced
        with out.open("w", encoding=encoding, newline="") as f:
            f.write(text)
        print(out)
        return 0
    part = out.with_name(f".{out.name}.part")
    try:
        part.write_text(text, encoding=encoding, newline="")
        part.replace(out)
    finally:
        part.unlink(missing_ok=True)
    print(args.out)
    return 0


def cmd_demo_history(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    from lobby.reports.demo_history import generate_history

    lang = getattr(args, "lang", "vi")
    last_month: list[tuple[int, int]] = []

    def num(n: int) -> str:
        return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"

    def progress(day: date, tickets: int) -> None:
        if not last_month or last_month[-1] != (day.year, day.month):
            last_month.append((day.year, day.month))
            print(pick(lang, f"  {day:%m/%Y}: {num(tickets)} số…", f"  {day:%Y-%m}: {num(tickets)} tickets…"),
                  file=sys.stderr, flush=True)

    r = generate_history(store, cfg, days=args.days, end=args.end, seed=args.seed, per_day=args.per_day,
                         progress=progress, demo_store=args.demo_store)
    secs_vi = f"{r.seconds:.1f}".replace(".", ",")
    print(pick(
        lang,
        f"Đã tạo lịch sử mẫu {r.first:%d/%m/%Y}–{r.last:%d/%m/%Y}: {r.days} ngày làm việc, {num(r.tickets)} số, "
        f"{num(r.events)} sự kiện, {num(r.ratings)} đánh giá, {r.staff_created} tài khoản mới "
        f"trong {secs_vi} giây.",
        f"Generated history {r.first.isoformat()} to {r.last.isoformat()}: {r.days} working days, {r.tickets:,} "
        f"tickets, {r.events:,} events, {r.ratings:,} ratings, {r.staff_created} new accounts "
        f"in {r.seconds:.1f} s.",
    ))
    if r.accounts:  # shown this once; only the hashes are stored
        print(pick(lang, "Tài khoản mẫu và PIN (chỉ hiện một lần, hãy ghi lại):",
                   "Demo accounts and PINs (shown only this once; note them):"))
        for a in r.accounts:
            print(f"  {a.username:<20} {tr('role.' + a.role, lang):<10} {a.pin}")
    return 0
