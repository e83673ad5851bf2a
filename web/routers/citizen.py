"""The citizen's ticket page, ``/v/{token}``: server-rendered (works without JavaScript), live by SSE.

A wrong or expired token gets the same plain 404 page; each one counts against the
address in the guessing limiter, which answers 429 once an address guesses too often.
"""
from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from lobby.access.limiter import GuessLimiter
from lobby.access.ticket_page import BoardUpdate, TicketPage, find_page
from lobby.access.tokens import looks_like_token
from lobby.config import CentreConfig
from lobby.store.engine import Store
from web.deps import Cfg, Hub, Limiter, StoreDep, client_address, page_lang
from web.errors import plain_page
from web.hub import Batch
from web.routers.dossiers import page_block as dossier_block
from web.sse import Message, sse_response
from web.view import ticket_view

router = APIRouter(tags=["citizen"], include_in_schema=False)
LANG_COOKIE_DAYS = 30


async def lookup(request: Request, token: str, cfg: CentreConfig, store: Store,
                 limiter: GuessLimiter) -> TicketPage | Response:
    """The ticket of a token, or the 429 / 404 page; a wrong token counts against the address
    (the ticket page, its stream and the feedback forms all look a token up here)."""
    address = client_address(request)
    wait = limiter.retry_after(address)
    if wait > 0:
        seconds = math.ceil(wait)
        response = plain_page(request, 429, "slowdown.title", "slowdown.body", s=seconds)
        response.headers["Retry-After"] = str(seconds)
        return response
    page = None
    if looks_like_token(token):
        with store.read_session() as session:
            page = await run_in_threadpool(find_page, session, cfg, token, lifetime_days=cfg.web.token_days)
    if page is None:
        limiter.miss(address)
        return plain_page(request, 404, "notfound.title", "notfound.body")
    return page


@router.get("/v/{token}")
async def ticket_page(request: Request, token: str, cfg: Cfg, store: StoreDep, limiter: Limiter) -> Response:
    found = await lookup(request, token, cfg, store, limiter)
    if isinstance(found, Response):
        return found
    lang = page_lang(request)
    dossiers = await dossier_block(store, cfg, found.ticket_id, lang)  # web/routers/dossiers.py
    response = request.app.state.templates.TemplateResponse(request, "ticket.html", {
        "lang": lang, "view": ticket_view(found, lang), "token": token, "page": found, "dossiers": dossiers,
        "day": found.day.strftime("%d/%m/%Y"), "centre": cfg.centre.title(lang),
    })
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    if "lang" in request.query_params:
        response.set_cookie("lang", lang, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax")
    return response


@router.get("/v/{token}/events")
async def ticket_events(request: Request, token: str, cfg: Cfg, store: StoreDep, limiter: Limiter,
                        hub: Hub) -> Response:
    since = hub.last_id
    found = await lookup(request, token, cfg, store, limiter)
    if isinstance(found, Response):
        return found
    lang = page_lang(request)
    state = {"page": found}

    def render(batch: Batch) -> list[Message]:
        before = state["page"]
        if batch.extra is None:  # a catch-up or a batch the hub could not enrich: read this one ticket again
            if not any(e.ticket_id == before.ticket_id or e.service == before.service for e in batch.events):
                return []
            with store.read_session() as session:
                after = find_page(session, cfg, token, lifetime_days=cfg.web.token_days) or before
        else:
            after = batch.extra.apply(before)
        if after == before:
            return []
        state["page"] = after
        return [Message(ticket_view(after, lang), event="ticket", id=batch.last_id)]

    def wants(batch: Batch) -> bool:
        page = state["page"]
        update = batch.extra
        if not isinstance(update, BoardUpdate):
            return True
        return page.ticket_id in update.pages or page.service in update.queues

    initial = [Message(ticket_view(found, lang), event="ticket", id=since or None)]
    return sse_response(request, hub, render, initial=initial, after_id=since, wants=wants)
