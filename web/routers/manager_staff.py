"""Staff accounts in the browser (managers only): add, change role, reset PIN, set the web password,
deactivate and reactivate. The rules, limits and events are those of ``lobby.monitor.admin``."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from lobby.monitor import admin, passwords
from lobby.staffing import staff
from lobby.staffing.staff import ROLES
from web import auth
from web.deps import page_lang
from web.routers.manager_common import act, in_store, local_time, now_of, render
from web.routers.manager_texts import t

router = APIRouter(include_in_schema=False)
PAGE = "/quan-ly/nhan-vien"


@router.get(PAGE)
async def staff_page(request: Request, user: auth.Manager) -> Response:
    members = await in_store(request, staff.list_staff)
    now = now_of(request)
    lang = page_lang(request)
    rows = [{
        "username": m.username, "full_name": m.full_name, "role": m.role, "active": m.active,
        "locked": t("m.staff.locked", lang, until=local_time(request, m.locked_until, "%H:%M %d/%m"))
        if m.locked_until and m.locked_until > now else "",
    } for m in members]
    return render(request, "manager/staff.html", user, members=rows, roles=ROLES)


async def _fields(request: Request) -> dict[str, str]:
    return await auth.form_fields(request)


@router.post(PAGE)
async def add(request: Request, user: auth.ManagerForm) -> Response:
    f = await _fields(request)
    return await act(request, PAGE, lambda s: admin.add_account(
        s, f.get("username", "")[:64], f.get("full_name", "")[:200], f.get("role", "")[:16], f.get("pin", "")[:8],
        by=user.staff, now=now_of(request)))


@router.post(PAGE + "/{username}/vai-tro")
async def set_role(request: Request, username: str, user: auth.ManagerForm) -> Response:
    role = (await _fields(request)).get("role", "")[:16]
    return await act(request, PAGE, lambda s: admin.change_role(s, username[:64], role, by=user.staff,
                                                                now=now_of(request)))


@router.post(PAGE + "/{username}/pin")
async def reset_pin(request: Request, username: str, user: auth.ManagerForm) -> Response:
    pin = (await _fields(request)).get("pin", "")[:8]
    return await act(request, PAGE, lambda s: admin.reset_pin(s, username[:64], pin, by=user.staff,
                                                              now=now_of(request)))


@router.post(PAGE + "/{username}/mat-khau")
async def set_password(request: Request, username: str, user: auth.ManagerForm) -> Response:
    password = (await _fields(request)).get("password", "")[:passwords.PASSWORD_MAX + 1]
    return await act(request, PAGE, lambda s: passwords.set_web_password(
        s, username[:64], password, actor=user.staff.username, actor_id=user.staff.id, now=now_of(request)))


@router.post(PAGE + "/{username}/vo-hieu")
async def deactivate(request: Request, username: str, user: auth.ManagerForm) -> Response:
    return await act(request, PAGE, lambda s: admin.deactivate(s, username[:64], by=user.staff, now=now_of(request)))


@router.post(PAGE + "/{username}/kich-hoat")
async def reactivate(request: Request, username: str, user: auth.ManagerForm) -> Response:
    return await act(request, PAGE, lambda s: admin.reactivate(s, username[:64], by=user.staff, now=now_of(request)))
