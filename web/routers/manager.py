"""The manager's pages, ``/quan-ly``: sign-in and out, the live monitor and its stream.

``install(app)`` is the one call ``web.app.create_app`` makes: it includes the manager's
routers, answers their refusals (sign-in redirect, 403) and keeps the shared
:class:`~lobby.monitor.board.MonitorBoard` on the app. Roles: a manager sees and does
everything; a guard sees the queue and asks for reprints; an official sees their own figures.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from lobby.access.limiter import GuessLimiter
from lobby.clock import utcnow
from lobby.errors import LobbyError
from lobby.monitor import passwords, sessions
from lobby.monitor.board import MonitorBoard
from web import auth
from web.deps import client_address, get_cfg, get_hub, page_lang
from web.routers import manager_actions, manager_audit, manager_reports, manager_staff
from web.routers.manager_common import board_of, denied_page, in_store, now_of, render
from web.routers.manager_texts import t
from web.routers.manager_view import render_parts, view_context
from web.sse import HEADERS, RETRY_MS, Message

router = APIRouter(include_in_schema=False)
HOME = {"manager": "/quan-ly", "guard": "/quan-ly", "official": "/quan-ly/cua-toi"}
KEEPALIVE_S = 15.0
# Wrong sign-ins from one address (any names) before it must wait: the per-account lockout does not
# stop someone trying many names, this does.
SIGN_IN_MISSES = 10
SIGN_IN_WINDOW_S = 300.0


def install(app: FastAPI, *, clock: Callable[[], datetime] = utcnow, tick_s: float | None = None) -> None:
    """Add the manager's pages to the app (``clock`` and ``tick_s``: tests drive time)."""
    cfg, store = app.state.cfg, app.state.store
    app.state.manager_clock = clock
    board = MonitorBoard(store, cfg, clock=lambda: app.state.manager_clock())
    if tick_s is not None:
        board.tick_s = tick_s
    app.state.monitor_board = board
    app.state.signin_limiter = GuessLimiter(max_misses=SIGN_IN_MISSES, window_s=SIGN_IN_WINDOW_S)
    auth.install(app, lambda request, status, kind, role: denied_page(request, status, kind, role))
    for r in (router, manager_actions.router, manager_staff.router, manager_reports.router, manager_audit.router):
        app.include_router(r)


# ---------------------------------------------------------------- signing in and out


@router.get("/quan-ly/dang-nhap")
async def sign_in_form(request: Request) -> Response:
    token = auth.new_pre_csrf()
    response = render(request, "manager/sign_in.html", None, pre_csrf=token, error="",
                      next=request.query_params.get("next", ""), username="")
    response.set_cookie(auth.PRE_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=auth.is_https(request), path="/quan-ly")
    return response


@router.post("/quan-ly/dang-nhap")
async def sign_in(request: Request) -> Response:
    lang = page_lang(request)
    fields = await auth.form_fields(request)
    username = fields.get("username", "").strip()[:64]
    target = fields.get("next", "")
    if not auth.pre_csrf_ok(request, fields.get("csrf", "")):
        return _sign_in_again(request, t("m.signin.stale", lang), username, target, 403)
    limiter: GuessLimiter = request.app.state.signin_limiter
    address = client_address(request)
    wait = limiter.retry_after(address)
    if wait > 0:
        response = _sign_in_again(request, t("m.signin.slow", lang, s=int(wait) + 1), username, target, 429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    cfg = get_cfg(request)
    try:
        member = await in_store(request, lambda s: passwords.verify_password(
            s, cfg, username, fields.get("password", "")[:passwords.PASSWORD_MAX * 4], now=now_of(request)))
        lifetime = timedelta(hours=cfg.monitor.session_hours)
        token, _ = await in_store(request, lambda s: sessions.open_session(s, member, lifetime=lifetime,
                                                                           now=now_of(request)))
    except LobbyError as exc:
        limiter.miss(address)
        return _sign_in_again(request, exc.message(lang), username, target, 401)
    response = RedirectResponse(auth.safe_next(target, HOME[member.role]), status_code=303)
    auth.set_session_cookie(response, request, token, lifetime)
    response.delete_cookie(auth.PRE_COOKIE, path="/quan-ly")
    return response


def _sign_in_again(request: Request, error: str, username: str, target: str, status: int) -> Response:
    token = auth.new_pre_csrf()
    response = render(request, "manager/sign_in.html", None, status=status, pre_csrf=token, error=error,
                      next=target, username=username)
    response.set_cookie(auth.PRE_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=auth.is_https(request), path="/quan-ly")
    return response


@router.post("/quan-ly/dang-xuat")
async def sign_out(request: Request, user: auth.AnyoneForm) -> Response:
    await in_store(request, lambda s: sessions.end_session(s, user, now=now_of(request)))
    response = RedirectResponse(auth.SIGN_IN_PATH, status_code=303)
    auth.clear_session_cookie(response, request)
    return response


# ---------------------------------------------------------------- the monitor


@router.get("/quan-ly")
async def monitor(request: Request, user: auth.Anyone) -> Response:
    if user.staff.role == "official":
        return RedirectResponse("/quan-ly/cua-toi", status_code=303)
    lang = page_lang(request)
    hub = get_hub(request)
    view = await run_in_threadpool(board_of(request).recent, hub.last_id)
    return render(request, "manager/monitor.html", user, **view_context(request, view, user, lang))


@router.get("/quan-ly/su-kien")
async def monitor_stream(request: Request, user: auth.Watcher) -> StreamingResponse:
    """The monitor's parts as HTML whenever the feed moves or the board's tick passes (Server-Sent Events)."""
    lang = page_lang(request)
    hub = get_hub(request)
    board = board_of(request)
    sub = hub.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        shown = -1
        idle = 0.0
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            while not sub.closed:
                try:
                    view = await run_in_threadpool(board.view, hub.last_id)
                except LobbyError:
                    view = None
                if view is not None and view.version != shown:
                    shown = view.version
                    idle = 0.0
                    yield Message(render_parts(request, view, user, lang), event="monitor", id=view.event_id).encode()
                batch = await sub.next(board.tick_s)
                if batch is None:
                    if sub.closed or await request.is_disconnected():
                        return
                    idle += board.tick_s
                    if idle >= KEEPALIVE_S:
                        idle = 0.0
                        yield b": keep-alive\n\n"
                else:
                    while not sub.queue.empty():  # several batches at once: one read of the board
                        sub.queue.get_nowait()
        except asyncio.CancelledError:
            raise
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)
