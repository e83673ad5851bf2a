"""The monitor's actions: acknowledge an alert, pause or resume a service, close a counter, sign an official
out; the guard's reprint request. Each is a form post with the session's CSRF token, one transaction in
``lobby.monitor`` with its event, then back to the monitor with a one-line message."""
from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from lobby import queue
from lobby.feed.events import record_event
from lobby.monitor import admin, alerts, pauses
from lobby.monitor.errors import BadInput
from lobby.store.engine import transaction
from lobby.vocabulary import EventKind
from web import auth
from web.deps import get_cfg, page_lang
from web.routers.manager_common import act, back, now_of
from web.routers.manager_texts import t

router = APIRouter(include_in_schema=False)
MONITOR = "/quan-ly"
NUMBER = re.compile(r"[A-Za-z]{0,3}\d{1,5}")


@router.post("/quan-ly/canh-bao/{alert_id}/xac-nhan")
async def acknowledge(request: Request, alert_id: int, user: auth.ManagerForm) -> Response:
    return await act(request, MONITOR, lambda s: alerts.acknowledge(s, alert_id, by=user.staff, now=now_of(request)))


@router.post("/quan-ly/dich-vu/{code}/tam-ngung")
async def pause(request: Request, code: str, user: auth.ManagerForm) -> Response:
    reason = (await auth.form_fields(request)).get("reason", "")
    cfg = get_cfg(request)
    return await act(request, MONITOR, lambda s: pauses.pause_service(s, cfg, code[:16], reason, by=user.staff,
                                                                      now=now_of(request)))


@router.post("/quan-ly/dich-vu/{code}/tiep-tuc")
async def resume(request: Request, code: str, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    return await act(request, MONITOR, lambda s: pauses.resume_service(s, cfg, code[:16], by=user.staff,
                                                                       now=now_of(request)))


@router.post("/quan-ly/quay/{number}/dong")
async def close_counter(request: Request, number: int, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    return await act(request, MONITOR, lambda s: admin.close_counter(s, cfg, number, by=user.staff,
                                                                     now=now_of(request)))


@router.post("/quan-ly/quay/{number}/dang-xuat")
async def sign_official_out(request: Request, number: int, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    return await act(request, MONITOR, lambda s: t("m.official_out", lang, n=number, who=admin.sign_official_out(
        s, cfg, number, by=user.staff, now=now_of(request))))


@router.post("/quan-ly/in-lai")
async def request_reprint(request: Request, user: auth.WatcherForm) -> Response:
    """A guard asks for a ticket of today to be printed again (recorded; the kiosk's guard mode prints it)."""
    lang = page_lang(request)
    number = (await auth.form_fields(request)).get("number", "").strip().upper()
    if not NUMBER.fullmatch(number):
        return back(request, MONITOR, BadInput("Số thứ tự phải có dạng A023.", "A ticket number looks like A023.")
                    .message(lang), ok=False)
    cfg = get_cfg(request)

    def record(s: Session) -> str:
        ticket = queue.find_ticket(s, cfg, number, queue.today(cfg, now_of(request)))
        with transaction(s):
            record_event(s, EventKind.REPRINT_REQUESTED, service_code=ticket.service, staff_id=user.staff.id,
                         actor=user.staff.username, at=now_of(request), data={"number": ticket.number})
        return t("m.reprint.done", lang, number=ticket.number)
    return await act(request, MONITOR, record)
