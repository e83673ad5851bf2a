"""Staff on the web: the session cookie, CSRF, and roles as FastAPI dependencies.

    @router.get("/quan-ly")
    async def monitor(request: Request, user: auth.Watcher) -> Response: ...        # manager or guard

    @router.post("/quan-ly/...")
    async def act(request: Request, user: auth.ManagerForm) -> Response: ...        # + CSRF

The cookie holds a random secret (its hash is in ``web_session``, see
``lobby.monitor.sessions``): HttpOnly, SameSite=Strict, and Secure when the page is
served over HTTPS. Every state-changing request carries the session's CSRF token
(a hidden ``csrf`` field, or the ``X-CSRF-Token`` header from the page's script) and,
when the browser sends one, an ``Origin`` of this very site. The sign-in form, before
any session, uses a double-submit cookie instead.
"""
from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from lobby.monitor.sessions import WebUser, session_user
from web.deps import get_cfg, get_store

COOKIE = "lobby_staff"
PRE_COOKIE = "lobby_signin_csrf"
SIGN_IN_PATH = "/quan-ly/dang-nhap"
FORM_MAX_FIELDS = 20
_UNREAD = object()  # request.state.web_user before the session was looked up


class SignInNeeded(Exception):
    """No live session: pages go to the sign-in form, scripts get 401."""


class AccessDenied(Exception):
    """Signed in, but the role may not see or do this (403)."""

    def __init__(self, role: str, roles: tuple[str, ...]) -> None:
        super().__init__(role)
        self.role, self.roles = role, roles


class CsrfRejected(Exception):
    """A state-changing request without this session's token, or from another site (403)."""


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str, lifetime: timedelta) -> None:
    response.set_cookie(COOKIE, token, max_age=int(lifetime.total_seconds()), httponly=True, samesite="strict",
                        secure=is_https(request), path="/")


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=is_https(request))


async def current_user(request: Request) -> WebUser | None:
    """The signed-in member, read once per request (None when not signed in or the session ended)."""
    found = getattr(request.state, "web_user", _UNREAD)
    if found is not _UNREAD:
        return found if isinstance(found, WebUser) else None
    cfg = get_cfg(request)
    store = get_store(request)
    token = request.cookies.get(COOKIE)
    user = None
    if token:
        def read() -> WebUser | None:
            with store.session() as s:
                return session_user(s, token, idle=timedelta(minutes=cfg.monitor.session_idle_min),
                                    now=request.app.state.manager_clock())
        user = await run_in_threadpool(read)
    request.state.web_user = user
    return user


def require(*roles: str) -> Callable[[Request], Awaitable[WebUser]]:
    """A dependency: the signed-in member with one of ``roles`` (SignInNeeded / AccessDenied otherwise)."""
    async def dependency(request: Request) -> WebUser:
        user = await current_user(request)
        if user is None:
            raise SignInNeeded()
        if user.staff.role not in roles:
            raise AccessDenied(user.staff.role, roles)
        return user
    return dependency


def same_origin(request: Request) -> bool:
    """True unless the browser says the request comes from another site (``Origin`` / ``Referer``)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source != "null"
    return urlsplit(source).netloc == request.headers.get("host", request.url.netloc)


async def form_fields(request: Request) -> dict[str, str]:
    """The posted form's text fields (kept on the request: the body is read once)."""
    cached: dict[str, str] | None = getattr(request.state, "form_fields", None)
    if cached is not None:
        return cached
    fields: dict[str, str] = {}
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form(max_fields=FORM_MAX_FIELDS, max_files=0)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
    request.state.form_fields = fields
    return fields


def require_form(*roles: str) -> Callable[[Request], Awaitable[WebUser]]:
    """Like :func:`require`, and the request must carry the session's CSRF token from this site."""
    check_role = require(*roles)

    async def dependency(request: Request) -> WebUser:
        user = await check_role(request)
        sent = request.headers.get("x-csrf-token") or (await form_fields(request)).get("csrf", "")
        if not same_origin(request) or not hmac.compare_digest(sent.encode(), user.csrf.encode()):
            raise CsrfRejected()
        return user
    return dependency


EVERYONE = ("manager", "guard", "official")
# What a route declares: ``user: auth.Manager`` (a page), ``user: auth.ManagerForm`` (a change, with CSRF).
Manager = Annotated[WebUser, Depends(require("manager"))]
ManagerForm = Annotated[WebUser, Depends(require_form("manager"))]
Watcher = Annotated[WebUser, Depends(require("manager", "guard"))]
WatcherForm = Annotated[WebUser, Depends(require_form("manager", "guard"))]
Anyone = Annotated[WebUser, Depends(require(*EVERYONE))]
AnyoneForm = Annotated[WebUser, Depends(require_form(*EVERYONE))]


def new_pre_csrf() -> str:
    return secrets.token_urlsafe(24)


def pre_csrf_ok(request: Request, sent: str) -> bool:
    kept = request.cookies.get(PRE_COOKIE, "")
    return bool(kept) and same_origin(request) and hmac.compare_digest(kept.encode(), (sent or "").encode())


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or request.url.path.endswith("/su-kien")


def install(app: FastAPI, page: Callable[[Request, int, str, str], Response]) -> None:
    """Answer the three refusals: sign-in redirect (or 401), 403 pages, 403 for CSRF."""
    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        if request.method != "GET" or _wants_json(request):
            return JSONResponse({"error": "sign_in_needed", "message_vi": "Phiên đăng nhập đã hết; đăng nhập lại.",
                                 "message_en": "Your session has ended; sign in again."}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(AccessDenied)
    async def _denied(request: Request, exc: AccessDenied) -> Response:
        return page(request, 403, "denied", exc.role)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, exc: CsrfRejected) -> Response:
        return page(request, 403, "csrf", "")


def safe_next(target: str | None, default: str) -> str:
    """Only a path of this site after signing in (never another site: no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def html(text: str, status: int = 200, **headers: Any) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=headers or None)
