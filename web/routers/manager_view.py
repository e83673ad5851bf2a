"""The monitor's words and numbers for the templates: the same for the first render and every live update.

The live stream sends the four parts of the page (services, counters, alerts, today) as
HTML rendered by the very templates of the page, so the script only swaps them in.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request

from lobby.monitor.board import MonitorView
from lobby.monitor.sessions import WebUser
from lobby.reports.figures import Figures
from web.deps import get_cfg
from web.routers.manager_texts import t

PARTS = ("services", "counters", "alerts", "today")
SPARK_W, SPARK_H = 84, 22


def minutes(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return "—"
    return t("m.min", lang, m=int(seconds // 60))


def sparkline(values: tuple[int, ...]) -> str:
    """SVG polyline points of the last hour's waiting counts (highest at the top)."""
    top = max(max(values, default=0), 1)
    step = SPARK_W / max(len(values) - 1, 1)
    return " ".join(f"{i * step:.1f},{SPARK_H - 2 - (v / top) * (SPARK_H - 4):.1f}" for i, v in enumerate(values))


def _share(value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.0f}%"
    return text


def today_dict(f: Figures | None, lang: str) -> dict[str, Any]:
    if f is None:
        return {}
    return {"issued": f.issued, "served": f.served, "no_show": f.no_show, "transferred": f.transferred,
            "satisfied": _share(f.satisfied_share, lang), "rated": f.rated,
            "within": _share(f.within_target_share, lang)}


def view_context(request: Request, view: MonitorView, user: WebUser, lang: str) -> dict[str, Any]:
    tz = get_cfg(request).tz
    snap = view.snapshot
    alerted = {(a.kind, a.subject) for a in view.alerts}

    def clock(at: datetime | None) -> str:
        return at.astimezone(tz).strftime("%H:%M") if at else ""

    services = [{
        "code": s.code, "name": s.name_en or s.name_vi if lang == "en" else s.name_vi, "waiting": s.waiting,
        "longest": minutes(s.longest_wait_s, lang), "oldest": s.oldest_number or "", "target": s.target_min,
        "level": s.level, "level_text": t(f"m.level.{s.level}", lang), "trend": s.trend,
        "spark": sparkline(s.trend), "paused": s.paused_reason,
    } for s in snap.services]
    counters = [{
        "number": c.number, "name": c.name, "state": c.state, "state_text": t(f"counter.{c.state}", lang),
        "staff": c.staff_name or c.staff or "", "username": c.staff or "", "ticket": c.ticket or "",
        "busy": minutes(c.busy_s, lang) if c.ticket else "", "idle": minutes(c.idle_s, lang) if c.idle_s is not None
        else "", "services": ", ".join(c.services), "alert": ("idle", str(c.number)) in alerted
        or ("unattended", str(c.number)) in alerted,
    } for c in snap.counters]
    alerts = [{
        "id": a.id, "level": a.level, "kind": a.kind, "text": a.text(lang),
        "since": clock(a.raised_at), "acked": t("m.acked", lang, who=a.acked_by, time=clock(a.acked_at))
        if a.acked_at else "",
    } for a in view.alerts]
    return {"services": services, "counters": counters, "alerts": alerts,
            "today": today_dict(snap.today, lang), "updated": snap.at.astimezone(tz).strftime("%H:%M:%S"),
            "role": user.staff.role, "version": view.version,
            "faults": [{"source": p.source, "message": p.message} for p in snap.printer_faults]}


def render_parts(request: Request, view: MonitorView, user: WebUser, lang: str) -> dict[str, str]:
    """The four parts of the monitor as HTML, for the live stream."""
    env = request.app.state.templates.env
    ctx = {**view_context(request, view, user, lang), "t": t, "lang": lang, "csrf": user.csrf, "user": user}
    parts = {name: env.get_template(f"manager/_{name}.html").render(ctx) for name in PARTS}
    parts["updated"] = t("m.updated", lang, time=ctx["updated"])
    return parts
