"""Errors as people meet them: JSON with a Vietnamese and an English message under ``/api``, plain
pages elsewhere. Nothing here writes: a refused request has changed nothing.

JSON shape (every error of the API): ``{"error": CODE, "message_vi": ..., "message_en": ...}``.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from lobby.errors import (
    DailyLimitReached,
    LobbyError,
    PriorityNeedsPin,
    SchemaOutdated,
    ServiceClosed,
    StoreUnavailable,
    UnknownPriorityGroup,
    UnknownService,
)
from lobby.monitor.errors import ServicePaused
from web.texts import t

log = logging.getLogger("lobby.web")


class ApiError(Exception):
    """An error a route raises on purpose, with its status code and both messages."""

    def __init__(self, status: int, code: str, vi: str, en: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(en)
        self.status, self.code, self.vi, self.en, self.headers = status, code, vi, en, headers


# The core's errors, by what the client did wrong.
STATUS: list[tuple[type[LobbyError], int, str]] = [
    (StoreUnavailable, 503, "store_unavailable"),
    (SchemaOutdated, 503, "store_unavailable"),
    (UnknownService, 422, "unknown_service"),
    (UnknownPriorityGroup, 422, "unknown_priority_group"),
    (PriorityNeedsPin, 403, "priority_needs_pin"),
    (ServiceClosed, 409, "service_closed"),
    (DailyLimitReached, 409, "daily_limit_reached"),
    (ServicePaused, 409, "service_paused"),  # a manager paused issuing for today (issue 13)
]

HTTP_CODES = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
    401: ("unauthorized", "Thiếu hoặc sai token.", "Missing or wrong token."),
    403: ("forbidden", "Không có quyền.", "Not allowed."),
    404: ("not_found", "Không tìm thấy địa chỉ này.", "No such address."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này.", "Method not allowed here."),
}

UNAVAILABLE_VI = "Hệ thống tạm gián đoạn. Vui lòng thử lại sau ít phút."
UNAVAILABLE_EN = "The system is temporarily unavailable. Please try again in a few minutes."


def error_json(status: int, code: str, vi: str, en: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "message_vi": vi, "message_en": en}, status_code=status, headers=headers)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def plain_page(request: Request, status: int, title_key: str, body_key: str, **kw: object) -> Response:
    """A small page for pages' errors (the citizen's phone); the template when it can be rendered."""
    from web.deps import page_lang

    lang = page_lang(request)
    templates = getattr(request.app.state, "templates", None)
    if templates is not None:
        return templates.TemplateResponse(request, "message.html", {
            "lang": lang, "t": t, "title": t(title_key, lang), "body": t(body_key, lang, **kw),
        }, status_code=status)
    return HTMLResponse(f"<h1>{t(title_key, lang)}</h1><p>{t(body_key, lang, **kw)}</p>", status_code=status)


def lobby_error_response(request: Request, exc: LobbyError) -> Response:
    status, code = 400, "refused"
    for cls, st, cd in STATUS:
        if isinstance(exc, cls):
            status, code = st, cd
            break
    if status == 503:
        log.warning("store unavailable: %s", exc.message("en"))
        if not is_api(request):
            return plain_page(request, 503, "unavailable.title", "unavailable.body")
        return error_json(503, code, f"{UNAVAILABLE_VI} ({exc.vi})", f"{UNAVAILABLE_EN} ({exc.en})",
                          {"Retry-After": "30"})
    return error_json(status, code, exc.vi, exc.en)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_json(exc.status, exc.code, exc.vi, exc.en, exc.headers)

    @app.exception_handler(LobbyError)
    async def _lobby_error(request: Request, exc: LobbyError) -> Response:
        return lobby_error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        detail = "; ".join(problems)
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            return error_json(400, "bad_json", f"Nội dung không phải JSON hợp lệ: {detail}",
                              f"The body is not valid JSON: {detail}")
        return error_json(422, "invalid_input", f"Dữ liệu không hợp lệ: {detail}", f"Invalid input: {detail}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, vi, en = HTTP_CODES.get(exc.status_code, ("error", "Lỗi.", "Error."))
        if is_api(request) or request.url.path == "/healthz":
            return error_json(exc.status_code, code, vi, en, getattr(exc, "headers", None))
        if exc.status_code == 404:
            return plain_page(request, 404, "notfound.title", "notfound.body")
        return HTMLResponse(f"<h1>{exc.status_code}</h1><p>{vi} / {en}</p>", status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_api(request):
            return error_json(500, "internal_error", "Lỗi không mong đợi; đã ghi vào nhật ký.",
                              "Unexpected error; it has been logged.")
        return plain_page(request, 500, "unavailable.title", "unavailable.body")
