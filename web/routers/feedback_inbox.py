"""The manager's inbox of remarks, ``/quan-ly/gop-y``: assign, answer, close; overdue ones flagged and first.

Pages use the manager's pages' sign-in, roles and CSRF (``web.auth``): reading needs a manager,
every change is a form post with the session's token, one transaction in ``lobby.feedback.remarks``
with its event, then back to the inbox with a one-line message. An answer refused (too long,
empty) comes back in its text box as typed, never lost.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from lobby.errors import LobbyError
from lobby.feedback.remarks import (
    ASSIGNED,
    RECEIVED,
    RemarkView,
    answer_remark,
    assign_remark,
    assignable_staff,
    close_remark,
    list_remarks,
)
from web import auth
from web.deps import get_cfg, page_lang
from web.routers.manager_common import act, back, in_store, local_time, now_of, render
from web.texts import t as ft

router = APIRouter(include_in_schema=False)
INBOX = "/quan-ly/gop-y"
FILTERS = ("open", "overdue", "all")


def _item(request: Request, r: RemarkView, lang: str) -> dict[str, Any]:
    fmt = "%H:%M %d/%m/%Y"
    origin = ft("fb.inbox.anonymous", lang)
    if r.ticket_number:
        origin = ft("fb.inbox.from_ticket", lang, number=r.ticket_number, service=r.service_name or r.service_code,
                    counter=r.counter_number or "—", official=r.staff_name or "—")
    return {"id": r.id, "body": r.body, "contact": r.contact, "state": r.state,
            "state_text": ft(f"fb.state.{r.state}", lang), "received": local_time(request, r.received_at, fmt),
            "due": local_time(request, r.due_at, fmt), "overdue": r.overdue, "origin": origin,
            "assigned_to": r.assigned_to, "answer": r.answer, "closed": r.state == "closed"}


async def _inbox(request: Request, user: Any, *, status: int = 200, drafts: dict[int, str] | None = None,
                 error: str = "") -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    shown = request.query_params.get("loc", "open")
    shown = shown if shown in FILTERS else "open"
    now = now_of(request)

    def read(s: Session) -> tuple[list[RemarkView], list[tuple[int, str]], int]:
        everything = list_remarks(s, cfg, now=now)
        return everything, assignable_staff(s), sum(1 for r in everything if r.overdue)
    remarks, staff, overdue = await in_store(request, read)
    if shown == "open":
        remarks = [r for r in remarks if r.state in (RECEIVED, ASSIGNED)]
    elif shown == "overdue":
        remarks = [r for r in remarks if r.overdue]
    return render(request, "manager_inbox.html", user, status=status, ft=ft, shown=shown, filters=FILTERS,
                  items=[_item(request, r, lang) for r in remarks], staff=staff, overdue=overdue,
                  drafts=drafts or {}, error=error, max_answer=cfg.feedback.answer_max_chars)


@router.get(INBOX)
async def inbox(request: Request, user: auth.Manager) -> Response:
    return await _inbox(request, user)


@router.post(INBOX + "/{remark_id}/giao")
async def assign(request: Request, remark_id: int, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    to = (await auth.form_fields(request)).get("to", "")
    to_id = int(to) if to.isdigit() and len(to) < 10 else -1
    return await act(request, INBOX, lambda s: assign_remark(s, cfg, remark_id, to_id, by=user.staff.id,
                                                             now=now_of(request)),
                     ft("fb.inbox.assigned_done", lang, id=remark_id))


@router.post(INBOX + "/{remark_id}/tra-loi")
async def answer(request: Request, remark_id: int, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    text = (await auth.form_fields(request)).get("answer", "")
    try:
        await in_store(request, lambda s: answer_remark(s, cfg, remark_id, text, by=user.staff.id,
                                                         now=now_of(request)))
    except LobbyError as exc:  # the answer comes back in its box, as typed
        return await _inbox(request, user, status=422, drafts={remark_id: text}, error=exc.message(lang))
    return back(request, INBOX, ft("fb.inbox.answered_done", lang, id=remark_id))


@router.post(INBOX + "/{remark_id}/dong")
async def close(request: Request, remark_id: int, user: auth.ManagerForm) -> Response:
    cfg = get_cfg(request)
    lang = page_lang(request)
    return await act(request, INBOX, lambda s: close_remark(s, cfg, remark_id, by=user.staff.id,
                                                            now=now_of(request)),
                     ft("fb.inbox.closed_done", lang, id=remark_id))
