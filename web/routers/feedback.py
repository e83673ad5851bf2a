"""The citizen's side of satisfaction: rating from the phone and remarks, on the ticket page and at ``/gop-y``.

- ``feedback_block.html`` is included in the ticket page; it calls the template global
  ``feedback_for(page, lang, notice)`` (installed here) for what to show: the rating form while
  rating is open, the rating given, the remarks sent from this ticket and their answers.
- ``POST /v/{token}/danh-gia``: the one rating of a served ticket (``lobby.feedback.phone``).
- ``POST /v/{token}/gop-y``: a remark linked to the ticket; ``GET``/``POST /gop-y``: an anonymous
  one (the general QR code on the kiosk screen and the ticket's footer).

A refused remark is never lost: the form comes back with the error and the text exactly as typed.
Remarks are limited per address (``[feedback] remarks_per_hour``); posts from another site are refused.
Every page works without JavaScript; text typed by citizens is only ever shown escaped (Jinja2's autoescape).
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lobby.access.ticket_page import TicketPage
from lobby.clock import utcnow
from lobby.config import CentreConfig
from lobby.errors import LobbyError
from lobby.feedback.errors import RemarksRateLimited
from lobby.feedback.phone import rate_from_phone, rating_view
from lobby.feedback.remarks import remarks_of_ticket, submit_remark
from lobby.feedback.throttle import RemarkThrottle
from lobby.store.engine import Store
from web.deps import client_address, get_cfg, get_limiter, get_store, page_lang
from web.routers import feedback_inbox
from web.routers.citizen import lookup
from web.texts import t

router = APIRouter(tags=["feedback"], include_in_schema=False)
FORM_MAX_FIELDS = 30
NOTICES = ("rated", "sent")


def install(app: FastAPI) -> None:
    """The routes, the remark throttle and the template global the ticket page's include calls."""
    cfg: CentreConfig = app.state.cfg
    store: Store = app.state.store
    app.state.remark_throttle = RemarkThrottle(cfg.feedback.remarks_per_hour)
    app.state.templates.env.globals["feedback_for"] = lambda page, lang, notice=None: feedback_for(
        store, cfg, page, lang, notice, now=now_of(app))
    app.include_router(router)
    app.include_router(feedback_inbox.router)


def now_of(app: FastAPI) -> datetime:
    """The app's clock (the manager's pages' clock when installed, so tests drive one time)."""
    clock = getattr(app.state, "manager_clock", None)
    return clock() if clock is not None else utcnow()


def _local(cfg: CentreConfig, at: datetime | None) -> str:
    return at.astimezone(cfg.tz).strftime("%H:%M %d/%m/%Y") if at else ""


def feedback_for(store: Store, cfg: CentreConfig, page: TicketPage | None, lang: str, notice: str | None = None,
                 *, now: datetime) -> dict[str, Any] | None:
    """What the ticket page's feedback block shows (read in one short read transaction)."""
    if page is None:
        return None
    with store.read_session() as s:
        rating = rating_view(s, cfg, page.ticket_id, now=now)
        remarks = remarks_of_ticket(s, cfg, page.ticket_id, now=now)
    names = {r.code: r.label(lang) for r in cfg.feedback.reasons}
    return {
        "notice": t(f"fb.{'rate' if notice == 'rated' else 'remark'}.thanks", lang) if notice in NOTICES else "",
        "rating": t(f"fb.rating.{rating.value}", lang) if rating.value else "",
        "rating_reasons": ", ".join(names.get(c, c) for c in rating.reasons),
        "can_rate": rating.can_rate, "open_until": _local(cfg, rating.open_until),
        "served": page.status == "done",
        "reasons": [(r.code, r.label(lang)) for r in cfg.feedback.reasons], "max_reasons": cfg.feedback.max_reasons,
        "remarks": [{"id": r.id, "body": r.body, "answer": r.answer, "due": _local(cfg, r.due_at)} for r in remarks],
        "max_chars": cfg.feedback.remark_max_chars,
    }


async def _page(request: Request, token: str) -> TicketPage | Response:
    """The ticket of a token, counting a wrong one against the address like the ticket page does."""
    return await lookup(request, token, get_cfg(request), get_store(request), get_limiter(request))


def _from_another_site(request: Request) -> bool:
    """The browser names another site as the form's origin. The citizens' pages send no referrer, so their
    own forms come with ``Origin: null`` (accepted: the ticket's token is the secret, not the origin)."""
    source = request.headers.get("origin")
    if not source or source == "null":
        return False
    return urlsplit(source).netloc != request.headers.get("host", request.url.netloc)


def _too_big(request: Request) -> bool:
    """A body far beyond any remark the form allows (four times the limit, fully percent-encoded): not read.
    Anything up to that is read, so a remark over the limit still comes back whole with its error."""
    cfg = get_cfg(request)
    limit = (cfg.feedback.remark_max_chars + cfg.feedback.contact_max_chars) * 9 * 4 + 8192
    length = request.headers.get("content-length", "0")
    return not length.isdigit() or len(length) > 12 or int(length) > limit


async def _form(request: Request) -> dict[str, list[str]] | None:
    """The posted form's fields (several values per name), or None for a form from another site or too big."""
    if _from_another_site(request) or _too_big(request):
        return None
    try:
        form = await request.form(max_fields=FORM_MAX_FIELDS, max_files=0)
    except Exception:  # noqa: BLE001 - Starlette raises several kinds for a malformed or oversized body
        return None
    fields: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(key, []).append(value)
    return fields


def _back(token: str, lang: str, notice: str) -> Response:
    return RedirectResponse(f"/v/{token}?lang={lang}&fb={notice}#phan-hoi", status_code=303)


@router.post("/v/{token}/danh-gia")
async def rate(request: Request, token: str) -> Response:
    found = await _page(request, token)
    if isinstance(found, Response):
        return found
    lang = page_lang(request)
    fields = await _form(request)
    if fields is None:
        return _message(request, 400, t("fb.rate.title", lang), t("fb.bad_form", lang))
    value = (fields.get("value") or [""])[0]
    if not value:
        return _message(request, 400, t("fb.rate.title", lang), t("fb.rate.pick", lang))
    cfg = get_cfg(request)
    store = get_store(request)
    now = now_of(request.app)

    def run() -> None:
        with store.session() as s:
            rate_from_phone(s, cfg, found.ticket_id, value, fields.get("reason", []), now=now)
    try:
        await run_in_threadpool(run)
    except LobbyError as exc:
        return _message(request, 409, t("fb.rate.title", lang), exc.message(lang), back=f"/v/{token}?lang={lang}")
    return _back(token, lang, "rated")


def _message(request: Request, status: int, title: str, body: str, back: str = "") -> Response:
    lang = page_lang(request)
    return request.app.state.templates.TemplateResponse(request, "feedback_message.html", {
        "lang": lang, "title": title, "body": body, "back": back}, status_code=status)


async def _remark(request: Request, page: TicketPage | None, action: str) -> Response:
    """Store a remark, or show the form again with the error and the text as typed."""
    cfg = get_cfg(request)
    store = get_store(request)
    lang = page_lang(request)
    fields = await _form(request)
    body = (fields or {}).get("body", [""])[0]
    contact = (fields or {}).get("contact", [""])[0]
    throttle: RemarkThrottle = request.app.state.remark_throttle
    address = client_address(request)

    def again(status: int, error: str) -> Response:
        return _remark_form(request, action, page, status=status, error=error, body=body, contact=contact)

    if fields is None:
        return again(400, t("fb.bad_form", lang))
    wait = throttle.retry_after(address)
    if wait > 0:
        response = again(429, RemarksRateLimited(math.ceil(wait / 60)).message(lang))
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response
    now = now_of(request.app)

    def run() -> tuple[int, datetime]:
        with store.session() as s:
            r = submit_remark(s, cfg, body, contact=contact, ticket_id=page.ticket_id if page else None, now=now)
            return r.id, r.due_at
    try:
        remark_id, due = await run_in_threadpool(run)
    except LobbyError as exc:
        return again(422, exc.message(lang))
    throttle.sent(address)
    if page is not None:
        return _back(page.token, lang, "sent")
    return _message(request, 200, t("fb.remark.thanks", lang),
                    t("fb.remark.sent", lang, id=remark_id, due=_local(cfg, due)))


def _remark_form(request: Request, action: str, page: TicketPage | None, *, status: int = 200, error: str = "",
                 body: str = "", contact: str = "") -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    response: Response = request.app.state.templates.TemplateResponse(request, "feedback_remark.html", {
        "lang": lang, "action": action, "page": page, "error": error, "body": body, "contact": contact,
        "max_chars": cfg.feedback.remark_max_chars, "length": len(body),
        "back": f"/v/{page.token}?lang={lang}" if page else "",
    }, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/v/{token}/gop-y")
async def ticket_remark(request: Request, token: str) -> Response:
    found = await _page(request, token)
    if isinstance(found, Response):
        return found
    return await _remark(request, found, f"/v/{token}/gop-y?lang={page_lang(request)}")


@router.get("/gop-y")
async def general_form(request: Request) -> Response:
    return _remark_form(request, f"/gop-y?lang={page_lang(request)}", None)


@router.post("/gop-y")
async def general_remark(request: Request) -> Response:
    return await _remark(request, None, f"/gop-y?lang={page_lang(request)}")
