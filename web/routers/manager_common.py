"""What every manager page shares: the board, the clock, rendering with the signed-in member, flash messages.

A form posts, the action runs in the thread pool (one transaction in ``lobby.monitor``),
and the browser is sent back to the page with a one-line message in a short-lived
cookie, so every page works without JavaScript and a reload never repeats an action.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from lobby.errors import LobbyError
from lobby.monitor.board import MonitorBoard
from lobby.monitor.sessions import WebUser
from web.deps import get_cfg, get_store, page_lang
from web.routers.manager_texts import t

FLASH = "lobby_flash"
T = TypeVar("T")


def board_of(request: Request) -> MonitorBoard:
    board: MonitorBoard = request.app.state.monitor_board
    return board


def now_of(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.manager_clock
    return clock()


async def in_store(request: Request, fn: Callable[[Session], T]) -> T:
    """Run ``fn(session)`` in the thread pool over a fresh session (the event loop never waits on the store)."""
    store = get_store(request)

    def run() -> T:
        with store.session() as s:
            return fn(s)
    return await run_in_threadpool(run)


def local_time(request: Request, at: datetime | None, fmt: str = "%H:%M") -> str:
    return at.astimezone(get_cfg(request).tz).strftime(fmt) if at else ""


def render(request: Request, template: str, user: WebUser | None, status: int = 200, **ctx: Any) -> Response:
    lang = page_lang(request)
    flash = request.cookies.get(FLASH)
    kind, _, text = unquote(flash).partition(":") if flash else ("", "", "")
    response: Response = request.app.state.templates.TemplateResponse(request, template, {
        "lang": lang, "t": t, "user": user, "csrf": user.csrf if user else "", "flash": text, "flash_kind": kind,
        "centre": get_cfg(request).centre.title(lang), "path": request.url.path, **ctx,
    }, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if flash:
        response.delete_cookie(FLASH, path="/")
    if "lang" in request.query_params:
        response.set_cookie("lang", lang, max_age=30 * 86400, samesite="lax")
    return response


def back(request: Request, path: str, message: str, *, ok: bool = True) -> Response:
    """303 to ``path`` with a one-line message shown once."""
    response = RedirectResponse(path, status_code=303)
    response.set_cookie(FLASH, quote(f"{'ok' if ok else 'error'}:{message}"), max_age=60, httponly=True,
                        samesite="strict", path="/")
    return response


async def act(request: Request, path: str, fn: Callable[[Session], Any], done: str | None = None) -> Response:
    """Run an action; back to ``path`` with ``done`` or with the refusal's message (nothing changed then)."""
    lang = page_lang(request)
    try:
        result = await in_store(request, fn)
    except LobbyError as exc:
        return back(request, path, exc.message(lang), ok=False)
    board_of(request).invalidate()
    return back(request, path, done if done is not None else (result if isinstance(result, str) else t("m.done", lang)))


def denied_page(request: Request, status: int, kind: str, role: str) -> Response:
    lang = page_lang(request)
    if kind == "csrf":
        title, body = t("m.csrf.title", lang), t("m.csrf.body", lang)
    else:
        title, body = t("m.denied.title", lang), t("m.denied.body", lang, role=t(f"role.{role}", lang))
    return render(request, "manager/message.html", None, status=status, title=title, body=body)
