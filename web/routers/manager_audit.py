"""The audit page (managers only): who did what and when, filtered by day, staff and kind, a page at a time."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lobby.monitor.audit import KIND_CHOICES, read_events
from web import auth
from web.deps import get_cfg, page_lang
from web.routers.manager_common import back, in_store, local_time, render
from web.routers.manager_texts import t

router = APIRouter(include_in_schema=False)
PAGE = "/quan-ly/nhat-ky"


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(text) from None


@router.get(PAGE)
async def audit(request: Request, user: auth.Manager) -> Response:
    q = request.query_params
    lang = page_lang(request)
    try:
        day = parse_day(q.get("day"))
    except ValueError:
        return back(request, PAGE, t("m.bad_date", lang), ok=False)
    kind = q.get("kind") if q.get("kind") in KIND_CHOICES else None
    staff = (q.get("staff") or "").strip()[:64] or None
    before_text = q.get("before", "")
    before = int(before_text) if before_text.isdigit() and len(before_text) < 19 else None
    cfg = get_cfg(request)
    page = await in_store(request, lambda s: read_events(s, cfg, day=day, staff=staff, kind=kind, before=before))
    rows = [{
        "id": r.id, "at": local_time(request, r.at, "%d/%m %H:%M:%S"), "kind": r.kind, "who": r.who or "",
        "what": " · ".join(str(x) for x in (r.number, r.service, f"#{r.counter}" if r.counter else None) if x),
        "data": ", ".join(f"{k}={v}" for k, v in sorted(r.data.items()) if v is not None)[:200],
    } for r in page.rows]
    return render(request, "manager/audit.html", user, rows=rows, kinds=KIND_CHOICES, day=day.isoformat() if day
                  else "", staff=staff or "", kind=kind or "", next_before=page.next_before, before=before)
