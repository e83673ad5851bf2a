"""Reports in the browser: the figures of ``lobby report`` (``lobby.reports``, the same code as the CLI)
as a table, its charts and the CSV / XLSX downloads; and an official's own figures.

A report runs in the thread pool, so a long one never holds up the monitor's stream;
the page shows how long it has been working while the browser waits (``manager.js``).
matplotlib and openpyxl (``lobby.reports.charts``, ``lobby.reports.xlsx``) are imported only
when a report is shown or a workbook is made, never at the app's start-up.
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from lobby import queue
from lobby.errors import LobbyError
from lobby.reports import formats
from lobby.reports.figures import (
    GROUPINGS,
    Grouping,
    ReportQuery,
    arrivals_heatmap,
    build_report,
    build_reports,
    check_range,
)
from lobby.staffing.desk import official_figures
from web import auth
from web.deps import get_cfg, get_store, page_lang
from web.routers.manager_common import back, in_store, now_of, render
from web.routers.manager_texts import t

router = APIRouter(include_in_schema=False)
PAGE = "/quan-ly/bao-cao"
SHOWN = ("issued", "served", "no_show", "transferred", "wait_mean", "wait_p90", "service_mean", "within_target",
         "satisfied_share")
MAX_DAYS = 3660


@dataclass(frozen=True)
class Asked:
    query: ReportQuery
    by: Grouping

    def params(self) -> str:
        q = self.query
        items = {"from": q.start.isoformat(), "to": q.end.isoformat(), "by": self.by, "service": q.service or "",
                 "counter": q.counter or "", "staff": q.staff or ""}
        return urlencode({k: v for k, v in items.items() if v != ""})


class BadQuery(LobbyError):
    pass


def asked(request: Request) -> Asked | None:
    """The report asked for in the query string; None when no range is given; BadQuery on bad input."""
    q = request.query_params
    if not q.get("from") and not q.get("to"):
        return None
    try:
        start = date.fromisoformat(q.get("from", "")[:10])
        end = date.fromisoformat(q.get("to", "")[:10])
    except ValueError:
        raise BadQuery(t("m.bad_date", "vi"), t("m.bad_date", "en")) from None
    by_text = q.get("by", "service")
    by = next((g for g in GROUPINGS if g == by_text), None)
    counter_text = q.get("counter", "")
    if by is None or (counter_text and not (counter_text.isdigit() and len(counter_text) <= 3)):
        field = "by" if by is None else "counter"
        raise BadQuery(t("m.bad_field", "vi", field=field), t("m.bad_field", "en", field=field))
    service = (q.get("service") or "").strip().upper()[:16] or None
    if service:
        get_cfg(request).service(service)  # UnknownService names the valid codes
    query = ReportQuery(start, end, service=service, counter=int(counter_text) if counter_text else None,
                        staff=(q.get("staff") or "").strip()[:64] or None)
    check_range(query)
    if (end - start).days > MAX_DAYS:
        raise BadQuery(f"Khoảng ngày tối đa {MAX_DAYS} ngày.", f"At most {MAX_DAYS} days at once.")
    return Asked(query, by)


def asked_file(request: Request, known: bool) -> Asked | Response:
    """The report a download or a chart is made of, or back to the form with why not (``known``: such a file exists)."""
    lang = page_lang(request)
    try:
        wanted = asked(request)
    except LobbyError as exc:
        return back(request, PAGE, exc.message(lang), ok=False)
    if wanted is None or not known:
        return back(request, PAGE, t("m.reports.empty", lang), ok=False)
    return wanted


def table(report: Any, lang: str) -> dict[str, Any]:
    columns = [c for c in formats.COLUMNS if c.key in SHOWN]
    rows = [{"label": f.name(lang), "cells": [formats.shown(c, c.value(f), lang) for c in columns]}
            for f in report.groups]
    total = {"label": report.total.name(lang), "cells": [formats.shown(c, c.value(report.total), lang)
                                                         for c in columns]}
    return {"headers": [c.header(lang) for c in columns], "rows": rows, "total": total,
            "group_header": formats.group_header(report.by, lang), "title": formats.title(report, lang)}


@router.get(PAGE)
async def reports_page(request: Request, user: auth.Manager) -> Response:
    lang = page_lang(request)
    cfg = get_cfg(request)
    try:
        wanted = asked(request)
    except LobbyError as exc:
        return back(request, PAGE, exc.message(lang), ok=False)
    today = queue.today(cfg, now_of(request))
    form = {"from": (wanted.query.start if wanted else today - timedelta(days=29)).isoformat(),
            "to": (wanted.query.end if wanted else today).isoformat(), "by": wanted.by if wanted else "service",
            "service": wanted.query.service or "" if wanted else "", "counter": wanted.query.counter or ""
            if wanted else "", "staff": wanted.query.staff or "" if wanted else ""}
    result = None
    took = ""
    charts: tuple[str, ...] = ()
    if wanted is not None:
        from lobby.reports.charts import CHART_NAMES  # matplotlib: only once a report is shown
        charts = CHART_NAMES
        started = time.perf_counter()
        try:
            report = await run_in_threadpool(build_report, get_store(request), cfg, wanted.query, wanted.by)
        except LobbyError as exc:
            return back(request, PAGE, exc.message(lang), ok=False)
        took = t("m.reports.took", lang, s=f"{time.perf_counter() - started:.2f}")
        result = table(report, lang)
    groupings = [(g, formats.group_header(g, lang)) for g in GROUPINGS]
    return render(request, "manager/reports.html", user, form=form, groupings=groupings, services=cfg.services,
                  result=result, took=took, params=wanted.params() if wanted else "", charts=charts)


@router.get(PAGE + "/tai-ve.{fmt}")
async def download(request: Request, fmt: str, user: auth.Manager) -> Response:
    wanted = asked_file(request, fmt in ("csv", "xlsx"))
    if isinstance(wanted, Response):
        return wanted
    lang = page_lang(request)
    cfg, store = get_cfg(request), get_store(request)
    name = f"lobby-report-{wanted.query.start.isoformat()}_{wanted.query.end.isoformat()}"
    if fmt == "csv":
        report = await run_in_threadpool(build_report, store, cfg, wanted.query, wanted.by)
        body = formats.to_csv(report, lang).encode("utf-8-sig")  # Excel reads the Vietnamese as UTF-8
        media = "text/csv; charset=utf-8"
    else:
        from lobby.reports.xlsx import write_xlsx  # openpyxl: only when a workbook is made

        def xlsx() -> bytes:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "report.xlsx"
                write_xlsx(path, build_reports(store, cfg, wanted.query), arrivals_heatmap(store, cfg, wanted.query),
                           lang)
                return path.read_bytes()
        body = await run_in_threadpool(xlsx)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                                                      "Cache-Control": "no-store"})


@router.get(PAGE + "/bieu-do/{name}.png")
async def chart(request: Request, name: str, user: auth.Manager) -> Response:
    """One chart, drawn alone: the page asks for each of its charts separately."""
    from lobby.reports import charts  # matplotlib: only when a chart is drawn

    wanted = asked_file(request, name in charts.CHART_NAMES)
    if isinstance(wanted, Response):
        return wanted
    lang = page_lang(request)
    cfg, store, q = get_cfg(request), get_store(request), wanted.query

    def png() -> bytes:
        with tempfile.TemporaryDirectory() as tmp, charts.bundled_fonts() as fonts:
            path = Path(tmp) / f"{name}.png"
            if name == "satisfaction-by-official":
                charts.satisfaction_by_official_png(path, build_report(store, cfg, q, "staff"), fonts, lang)
            elif name == "arrivals-heatmap":
                charts.arrivals_heatmap_png(path, build_report(store, cfg, q, "service"),
                                            arrivals_heatmap(store, cfg, q), fonts, lang)
            else:
                targets = {s.code: s.target_wait_min for s in cfg.services}
                charts.wait_by_service_png(path, build_report(store, cfg, q, "service"), fonts, lang, targets)
            return path.read_bytes()
    return Response(await run_in_threadpool(png), media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/quan-ly/cua-toi")
async def my_figures(request: Request, user: auth.Anyone) -> Response:
    """A member's own figures: today's (as the counter shows them) and the last 30 days' report, theirs only."""
    lang = page_lang(request)
    cfg, store = get_cfg(request), get_store(request)
    now = now_of(request)
    mine = await in_store(request, lambda s: official_figures(s, cfg, user.staff.id, now=now))
    today = queue.today(cfg, now)
    query = ReportQuery(today - timedelta(days=29), today, staff=user.staff.username)
    report = await run_in_threadpool(build_report, store, cfg, query, "day")
    return render(request, "manager/mine.html", user, served=mine.served, no_shows=mine.no_shows,
                  average=mine.average_text(lang), result=table(report, lang))
