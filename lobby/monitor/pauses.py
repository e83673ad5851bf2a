"""Pausing issuing for a service for the rest of the day, with the reason the kiosk shows.

A pause belongs to one local day: the next morning the service issues again without
anyone having to remember to resume it. ``open_pause_reason`` is what the queue's
``issue_ticket`` reads (in the statement that reads the service) and ``refuse_if_paused``
the check it makes; ``paused_reasons`` is what the kiosk's home screen and the monitor read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ScalarSelect, select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now, local_day
from lobby.config import CentreConfig
from lobby.feed.events import record_event
from lobby.i18n import nfc
from lobby.monitor.errors import BadInput, Refused, ServicePaused
from lobby.store.catalog import service_row
from lobby.store.engine import read_transaction, transaction
from lobby.store.models import Service, ServicePause
from lobby.vocabulary import EventKind

if TYPE_CHECKING:  # lobby.queue imports this module (issue_ticket checks for a pause): no import back at run time
    from lobby.queue.views import StaffInfo
    from lobby.store.catalog import ServiceRow

REASON_MAX = 200
PAUSED_PREFIX = ("Tạm ngưng cấp số", "Tickets paused")


def check_reason(reason: str) -> str:
    text = nfc(" ".join((reason or "").split()))
    if not text or len(text) > REASON_MAX:
        raise BadInput(
            f"Lý do tạm ngưng phải có từ 1 đến {REASON_MAX} ký tự; công dân sẽ đọc nó trên máy cấp số.",
            f"The reason for the pause must be 1 to {REASON_MAX} characters; citizens read it on the kiosk.",
        )
    return text


def _open_pause(session: Session, service_id: int, day: date) -> ServicePause | None:
    return session.scalar(
        select(ServicePause).where(
            ServicePause.service_id == service_id, ServicePause.day == day, ServicePause.resumed_at.is_(None)
        )
    )


def pause_service(
    session: Session,
    cfg: CentreConfig,
    code: str,
    reason: str,
    *,
    by: StaffInfo,
    now: datetime | None = None,
) -> None:
    """Stop issuing for a service for the rest of today; Refused if it is paused already."""
    text = check_reason(reason)
    at = at_or_now(now)
    day = local_day(at, cfg.tz)
    with transaction(session):
        svc = service_row(session, cfg, code)
        current = _open_pause(session, svc.id, day)
        if current is not None:
            raise Refused(
                f"Dịch vụ «{svc.name_vi}» đã tạm ngưng cấp số từ trước (lý do: {current.reason}).",
                f"Service “{svc.name_en or svc.name_vi}” is already paused (reason: {current.reason}).",
            )
        session.add(ServicePause(day=day, service_id=svc.id, reason=text, paused_at=at, paused_by_id=by.id))
        record_event(
            session,
            EventKind.SERVICE_PAUSED,
            service_code=svc.code,
            staff_id=by.id,
            actor=by.username,
            at=at,
            data={"reason": text, "day": day.isoformat()},
        )


def resume_service(
    session: Session, cfg: CentreConfig, code: str, *, by: StaffInfo, now: datetime | None = None
) -> None:
    """Issue again for a paused service; Refused if it is not paused."""
    at = at_or_now(now)
    day = local_day(at, cfg.tz)
    with transaction(session):
        svc = service_row(session, cfg, code)
        current = _open_pause(session, svc.id, day)
        if current is None:
            raise Refused(
                f"Dịch vụ «{svc.name_vi}» đang cấp số bình thường; không có gì để tiếp tục.",
                f"Service “{svc.name_en or svc.name_vi}” is issuing tickets; there is nothing to resume.",
            )
        current.resumed_at, current.resumed_by_id = at, by.id
        record_event(
            session,
            EventKind.SERVICE_RESUMED,
            service_code=svc.code,
            staff_id=by.id,
            actor=by.username,
            at=at,
            data={"reason": current.reason},
        )


def open_pause_reason(service_id: ColumnElement[int], day: ColumnElement[date]) -> ScalarSelect[str]:
    """The reason of the service's open pause on ``day`` (NULL when it issues), as a scalar subquery."""
    return (
        select(ServicePause.reason)
        .where(ServicePause.service_id == service_id, ServicePause.day == day, ServicePause.resumed_at.is_(None))
        .limit(1)
        .scalar_subquery()
    )


def refuse_if_paused(service: ServiceRow, reason: str | None) -> None:
    """Raise ServicePaused when the service is paused: ``reason`` is what ``open_pause_reason`` read."""
    if reason is not None:
        raise ServicePaused(service.name_vi, service.name_en, reason)


def paused_on(session: Session, day: date) -> dict[str, str]:
    """Service code → the reason of its pause on ``day``, read inside the caller's transaction."""
    rows = session.execute(
        select(Service.code, ServicePause.reason)
        .join(Service, Service.id == ServicePause.service_id)
        .where(ServicePause.day == day, ServicePause.resumed_at.is_(None))
    ).all()
    return {code: reason for code, reason in rows}


def paused_reasons(session: Session, cfg: CentreConfig, now: datetime | None = None) -> dict[str, str]:
    """Service code → the reason of today's pause, for the services paused now."""
    day = local_day(at_or_now(now), cfg.tz)
    with read_transaction(session):
        return paused_on(session, day)


def paused_text(reason: str, lang: str = "vi") -> str:
    """What the kiosk shows on a paused service: "Tạm ngưng cấp số: <reason>"."""
    return f"{PAUSED_PREFIX[1] if lang == 'en' else PAUSED_PREFIX[0]}: {reason}"
