"""The ``lobby dossier`` subcommands (registered by ``lobby.cli``).

    lobby dossier add 000.00.19.H61-231128-0012 --service DKKD [--promised 2026-12-04[T10:00]] [--ticket A012]
    lobby dossier ready CODE [CODE …]
    lobby dossier returned CODE
    lobby dossier show CODE
    lobby dossier list [--overdue]
    lobby dossier sync [--watch]

Each takes ``--json``. Bad input (unknown service, malformed date, a code already received,
an unknown code) is one line on stderr and exit status 2, with nothing written.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time
from typing import Any

from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.dossiers import records
from lobby.dossiers.model import CODE_MAX, BadPromise, DossierInfo, state_name
from lobby.i18n import pick
from lobby.store.engine import Store

_ACTOR = "cli"


def parse_promise(text: str, cfg: CentreConfig) -> datetime:
    """``YYYY-MM-DD`` (at the configured due time, else the end of the centre's last opening range) or
    ``YYYY-MM-DDTHH:MM``, in the centre's local time."""
    raw = text.strip()
    try:
        if "T" in raw or " " in raw:
            stamp = datetime.strptime(raw.replace(" ", "T"), "%Y-%m-%dT%H:%M")
            return stamp.replace(tzinfo=cfg.tz)
        day = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise BadPromise(
            f"--promised: ngày hẹn phải có dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM (giờ địa phương), nhận được {text!r}.",
            f"--promised: the date must be YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time), got {text!r}.")
    hours = cfg.centre.opening_hours
    at = cfg.dossiers.due_time or (hours[-1].end if hours else time(17, 0))
    return datetime.combine(day, at, tzinfo=cfg.tz)


def _when(cfg: CentreConfig, dt: datetime | None) -> str:
    return dt.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y") if dt else "—"


def _line(d: DossierInfo, cfg: CentreConfig, lang: str) -> str:
    parts = [d.code, d.service_name(lang), state_name(d.state, lang),
             pick(lang, f"hẹn trả {_when(cfg, d.promised_at)}", f"promised {_when(cfg, d.promised_at)}")]
    if d.reschedules:
        parts.append(pick(lang, f"hẹn lần đầu {_when(cfg, d.first_promised_at)}",
                          f"first promised {_when(cfg, d.first_promised_at)}"))
    if d.ready_at:
        parts.append(pick(lang, f"có kết quả {_when(cfg, d.ready_at)}", f"ready {_when(cfg, d.ready_at)}"))
    if d.returned_at:
        parts.append(pick(lang, f"đã trả {_when(cfg, d.returned_at)}", f"returned {_when(cfg, d.returned_at)}"))
    if d.ticket:
        parts.append(pick(lang, f"số {d.ticket}", f"ticket {d.ticket}"))
    return " · ".join(parts)


def _emit(args: argparse.Namespace, cfg: CentreConfig, found: DossierInfo | list[DossierInfo]) -> None:
    if args.json:
        body: Any = [d.to_json() for d in found] if isinstance(found, list) else found.to_json()
        print(json.dumps(body, ensure_ascii=False))
        return
    for d in found if isinstance(found, list) else [found]:
        print(_line(d, cfg, args.lang))


def cmd_add(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    promised = parse_promise(args.promised, cfg) if args.promised else None
    with store.session() as s:
        d = records.receive(s, cfg, args.code, args.service, promised=promised, ticket_number=args.ticket,
                            actor=_ACTOR)
    _emit(args, cfg, d)
    return 0


def cmd_ready(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        found = records.mark_ready(s, cfg, args.codes, actor=_ACTOR)
    _emit(args, cfg, found)
    return 0


def cmd_returned(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        d = records.mark_returned(s, cfg, args.code, actor=_ACTOR)
    _emit(args, cfg, d)
    return 0


def cmd_show(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:
        d = records.find(s, cfg, args.code)
    _emit(args, cfg, d)
    return 0


def cmd_list(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    with store.session() as s:  # read only: a late dossier reads "overdue" whether or not that was recorded yet
        found = records.list_dossiers(s, cfg, overdue_only=args.overdue, now=utcnow())
    if args.json:
        _emit(args, cfg, found)
        return 0
    for d in found:
        print(_line(d, cfg, args.lang))
    print(pick(args.lang, f"Tổng: {len(found)} hồ sơ", f"Total: {len(found)} dossiers"))
    return 0


def cmd_sync(args: argparse.Namespace, cfg: CentreConfig, store: Store) -> int:
    from lobby.dossiers.sync import run_sync

    return run_sync(store, cfg, watch=args.watch, as_json=args.json, lang=args.lang, out=sys.stdout)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "dossier", help="dossiers and their promised dates: receive, ready, returned, show, list, sync",
        description="Dossiers (hồ sơ) received at the counters, their promised dates and results.")
    sub = p.add_subparsers(dest="dossier_command", metavar="ACTION", required=True)

    def add(name: str, handler: Any, help_text: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("--json", action="store_true", help="print JSON instead of text")
        sp.set_defaults(handler=handler)
        return sp

    a = add("add", cmd_add, "record a dossier received (its code from the one-stop system)")
    a.add_argument("code", help=f"the dossier code, up to {CODE_MAX} characters (trimmed, upper-cased)")
    a.add_argument("--service", required=True, help="service code or number prefix, e.g. DKKD")
    a.add_argument("--promised", metavar="YYYY-MM-DD[THH:MM]",
                   help="promised date, local time (default: the service's processing days from the config)")
    a.add_argument("--ticket", metavar="NUMBER", help="today's ticket of the visit, e.g. A012")
    a = add("ready", cmd_ready, "the results are ready (all the codes, or none if one is wrong)")
    a.add_argument("codes", nargs="+", metavar="CODE")
    a = add("returned", cmd_returned, "the citizen collected the result")
    a.add_argument("code")
    a = add("show", cmd_show, "one dossier")
    a.add_argument("code")
    a = add("list", cmd_list, "dossiers by promised date (the most pressing first)")
    a.add_argument("--overdue", action="store_true", help="only those not ready past their promise")
    a = add("sync", cmd_sync, "read which results are ready from the one-stop system (config: dossiers.sync) "
                              "and record the dossiers that became overdue")
    a.add_argument("--watch", action="store_true", help="keep polling every sync_interval_s seconds until stopped")
