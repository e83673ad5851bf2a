"""``/api/v1``: the HTTP API for the province's systems, with bearer tokens and scopes.

Route bodies only parse input and call ``lobby``; each runs in the thread pool (plain
``def``), one transaction per call. Errors are JSON in Vietnamese and English (``web.errors``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from lobby import queue
from lobby.access.api_tokens import ApiClient, authenticate
from lobby.access.links import ticket_json
from lobby.access.ticket_page import ticket_by_token
from lobby.access.tokens import looks_like_token
from lobby.reports.figures import ReportQuery, build_report
from lobby.staffing.counters import counter_infos
from web.deps import Cfg, StoreDep
from web.errors import ApiError

bearer = HTTPBearer(auto_error=False, description="`lobby token add NAME --scope issue,read,report`")
LATEST_CALLS = 10


def api_client(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
               store: StoreDep) -> ApiClient:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "Thiếu token: gửi tiêu đề Authorization: Bearer <mã bí mật>.",
                       "Missing token: send the header Authorization: Bearer <secret>.",
                       {"WWW-Authenticate": "Bearer"})
    with store.read_session() as session:
        client = authenticate(session, credentials.credentials)
    if client is None:
        raise ApiError(401, "invalid_token", "Token không đúng hoặc đã bị thu hồi. Xin token mới từ quản trị viên.",
                       "The token is wrong or has been revoked. Ask the administrator for a new one.",
                       {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return client


def need(client: ApiClient, scope: str) -> None:
    if scope not in client.scopes:
        raise ApiError(403, "missing_scope", f"Token «{client.name}» không có quyền «{scope}».",
                       f"Token “{client.name}” lacks the scope “{scope}”.")


def scope_check(scope: str) -> Callable[[ApiClient], ApiClient]:
    """A dependency: the authenticated client, refused (403) without ``scope``."""
    def dependency(client: Annotated[ApiClient, Depends(api_client)]) -> ApiClient:
        need(client, scope)
        return client
    return dependency


Issuer = Annotated[ApiClient, Depends(scope_check("issue"))]
Reader = Annotated[ApiClient, Depends(scope_check("read"))]
Reporter = Annotated[ApiClient, Depends(scope_check("report"))]


router = APIRouter(prefix="/api/v1", tags=["api"])


class IssueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str = Field(min_length=1, max_length=16, description="service code or number prefix, e.g. DKKD or A",
                         examples=["DKKD"])
    priority: str | None = Field(default=None, min_length=1, max_length=32,
                                 description="priority group code (needs the `priority` scope), e.g. elderly")


class TicketOut(BaseModel):
    """A ticket, with the field names of ``lobby issue --json``."""

    id: int
    number: str
    service: str
    service_name: str
    status: str
    priority: str | None
    counter: int | None
    staff: str | None
    day: date
    issued_at: str
    called_at: str | None
    started_at: str | None
    finished_at: str | None
    ahead: int | None
    estimated_wait_min: int | None
    call_count: int
    token: str | None
    status_url: str | None


class ErrorOut(BaseModel):
    error: str
    message_vi: str
    message_en: str


ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 422, 503)}


@router.post("/tickets", status_code=201, response_model=TicketOut, summary="Cấp số / issue a ticket",
             responses={**ERRORS, 400: {"model": ErrorOut}, 409: {"model": ErrorOut,
                        "description": "outside the service's hours, or its daily limit is reached"}})
def issue(body: IssueRequest, client: Issuer, cfg: Cfg, store: StoreDep) -> JSONResponse:
    if body.priority is not None:
        need(client, "priority")
    with store.session() as session:
        info = queue.issue_ticket(session, cfg, body.service, priority=body.priority, source=client.source)
    return JSONResponse(ticket_json(info, cfg), status_code=201)


@router.get("/tickets/{token}", response_model=TicketOut, summary="Một số thứ tự / one ticket",
            responses={**ERRORS, 404: {"model": ErrorOut}})
def ticket(token: str, client: Reader, cfg: Cfg, store: StoreDep) -> JSONResponse:
    info = None
    if looks_like_token(token):
        with store.read_session() as session:
            info = ticket_by_token(session, cfg, token, lifetime_days=cfg.web.token_days)
    if info is None:
        raise ApiError(404, "ticket_not_found", "Không có số thứ tự với token này (hoặc đã hết hạn).",
                       "No ticket with this token (or it has expired).")
    return JSONResponse(ticket_json(info, cfg))


@router.get("/queue", summary="Hàng đợi hiện tại / the queue now", responses=ERRORS)
def queue_now(client: Reader, cfg: Cfg, store: StoreDep) -> dict[str, Any]:
    with store.read_session() as session:
        waiting = queue.waiting_counts(session, cfg)
        counters = counter_infos(session, cfg)
        calls = queue.latest_calls(session, LATEST_CALLS)
    return {
        "services": [{"service": s.code, "service_name": s.name_vi, "service_name_en": s.name_en,
                      "waiting": waiting.get(s.code, 0)} for s in cfg.services],
        "counters": [{"counter": c.number, "name": c.name, "state": str(c.state), "services": list(c.services),
                      "current": c.current} for c in counters],
        "latest_calls": [{"number": n, "service": code, "counter": counter, "at": at.isoformat()}
                         for n, code, counter, at in calls],
    }


@router.get("/summary", summary="Số liệu trong ngày / a day's figures", responses={**ERRORS, 400: {"model": ErrorOut}})
def summary(client: Reporter, cfg: Cfg, store: StoreDep,
            day: Annotated[date | None, Query(description="local day YYYY-MM-DD (default today)")] = None,
            by: Annotated[Literal["service", "counter", "staff", "hour"], Query()] = "service") -> dict[str, Any]:
    wanted = day or queue.today(cfg)
    report = build_report(store, cfg, ReportQuery(wanted, wanted), by)
    result: dict[str, Any] = report.to_json()
    return result
