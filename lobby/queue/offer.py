"""The kiosk's rules, without Qt: which services take a ticket now, what a ticket says.

The kiosk app only draws what these functions decide:

* :func:`service_states` — per service: can a citizen take a number now, and if not
  why (outside its hours, or today's numbers are used up), plus how many wait.
  One cheap read, so the home screen can grey out a button *before* anyone taps.
* :func:`receipt_text` — the words and figures printed on a ticket, as the
  :class:`lobby.receipt.TicketReceipt` the printer drivers lay out (``lobby`` imports no printer code).
* :func:`qr_payload` — the ticket's live page (``[web] public_url``/v/token), else the
  link ``centre.status_url`` (``…/t/{id}``) when configured, else None (no QR code).
* :func:`number_from_entry` — a number typed on the guard's keypad ("A" + "23") in the
  service's own format ("A023").
* :func:`page_timeout_s` — how long a kiosk page may be left alone before it gives way
  (to Home, or from Home to the attract screen).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.access.tokens import status_url
from lobby.clock import local, utcnow
from lobby.config import CentreConfig, KioskConfig
from lobby.feedback.general import general_remark_url
from lobby.monitor.pauses import paused_on, paused_text
from lobby.queue.numbering import limit_reached, service_open_problem
from lobby.queue.rows import today
from lobby.queue.views import TicketInfo
from lobby.receipt import ReceiptLabels, TicketReceipt
from lobby.store.engine import read_transaction
from lobby.store.models import DaySequence, Service

PRIORITY_PIN_ROLES = ("official", "guard", "manager")
GUARD_ROLES = ("guard", "manager")
EXIT_ROLES = ("manager",)
PRIORITY_IDLE_S = 30.0  # the priority picker / PIN / chosen group fall back to Home after this
PRINT_FAILED_MIN_S = 20.0  # a failed print keeps the number on screen at least this long, to note it down


@dataclass(frozen=True)
class ServiceState:
    """What the home screen shows for one service right now."""

    code: str
    enabled: bool
    waiting: int = 0
    reason_vi: str = ""
    reason_en: str = ""

    def reason(self, lang: str = "vi") -> str:
        return self.reason_en if lang == "en" else self.reason_vi


def closed_reason(hours: str) -> tuple[str, str]:
    return f"Ngoài giờ cấp số ({hours})", f"Outside ticket hours ({hours})"


LIMIT_REASON = ("Đã hết số hôm nay", "No more tickets today")


def service_states(session: Session, cfg: CentreConfig, now: datetime | None = None) -> dict[str, ServiceState]:
    """Service code → :class:`ServiceState`, in config order, from one read of today's sequences."""
    at = now or utcnow()
    day = today(cfg, at)
    with read_transaction(session):
        rows = session.execute(
            select(Service.code, DaySequence.next_number, DaySequence.waiting)
            .join(DaySequence, DaySequence.service_id == Service.id)
            .where(DaySequence.day == day)
        ).all()
        paused = paused_on(session, day)  # "Tạm ngưng cấp số: <reason>", set by a manager for today
    seq = {code: (next_number, waiting) for code, next_number, waiting in rows}
    states: dict[str, ServiceState] = {}
    for sc in cfg.services:
        next_number, waiting = seq.get(sc.code, (None, 0))
        hours = service_open_problem(cfg, sc, at)
        if hours is not None:
            vi, en = closed_reason(hours)
            states[sc.code] = ServiceState(sc.code, False, waiting, vi, en)
        elif sc.code in paused:
            reason = paused[sc.code]
            states[sc.code] = ServiceState(sc.code, False, waiting, paused_text(reason), paused_text(reason, "en"))
        elif limit_reached(sc, next_number):
            states[sc.code] = ServiceState(sc.code, False, waiting, *LIMIT_REASON)
        else:
            states[sc.code] = ServiceState(sc.code, True, waiting)
    return states


def qr_payload(cfg: CentreConfig, ticket: TicketInfo) -> str | None:
    """The ticket page ``{web.public_url}/v/{token}``, else the link ``centre.status_url`` with the ticket id,
    else None: no QR code (a code that leads nowhere only makes citizens scan in vain)."""
    link = status_url(cfg.web.public_url, ticket.public_token)
    if link:
        return link
    if cfg.centre.status_url:
        return cfg.centre.status_url.replace("{id}", str(ticket.id))
    return None


def receipt_text(
    cfg: CentreConfig, ticket: TicketInfo, lang: str = "vi", *, reprinted_at: datetime | None = None,
) -> TicketReceipt:
    """What the ticket says, in the citizen's language: the one place a ticket is worded (the kiosk prints
    exactly this). A reprint says so, with its time."""
    en = lang == "en"
    issued = local(ticket.issued_at, cfg.tz).strftime("%H:%M %d/%m/%Y")
    if reprinted_at is not None:
        again = local(reprinted_at, cfg.tz).strftime("%H:%M")
        issued += f" (reprinted {again})" if en else f" (in lại {again})"
    group = None
    if ticket.priority:
        group = next((g.name(lang) for g in cfg.priority_groups if g.code == ticket.priority), ticket.priority)
    return TicketReceipt(
        centre_name=cfg.centre.title(lang),
        service_name=ticket.service_name(lang),
        number=ticket.number,
        issued_at_text=issued,
        ahead=max(ticket.ahead or 0, 0),
        estimated_wait_min=ticket.estimated_wait_min or None,  # "about 0 min" says nothing: left out
        priority_label=group,
        qr_payload=qr_payload(cfg, ticket),
        footer=cfg.centre.footer_en if en else cfg.centre.footer,
        remark_url=general_remark_url(cfg),
        labels=ReceiptLabels.for_lang(lang),
    )


def number_from_entry(cfg: CentreConfig, prefix: str, digits: str) -> str:
    """A number typed as a service prefix and digits, in that service's format: ("A", "23") → "A023"."""
    sc = cfg.service(prefix)
    if not digits.isdigit():
        raise ValueError(f"digits expected, got {digits!r}")
    return sc.format_number(int(digits))


def page_timeout_s(
    kiosk: KioskConfig,
    page: str,
    *,
    print_failed: bool = False,
    guard_flow: bool = False,
    priority_chosen: bool = False,
) -> float | None:
    """Seconds a kiosk page may be left alone before it gives way; None: it stays.

    ``print_failed``: the confirmation shows a number that did not print (it stays
    longer, to be noted down). ``guard_flow``: a guard is signed in, or a guard or exit
    PIN is asked. ``priority_chosen``: Home shows a chosen priority group.
    """
    if page == "confirm":
        return max(2.0 * kiosk.idle_home_s, PRINT_FAILED_MIN_S) if print_failed else float(kiosk.idle_home_s)
    if page in ("guard", "reprint") or (page in ("pin", "priority") and guard_flow):
        return float(kiosk.guard_timeout_s)
    if page in ("pin", "priority") or (page == "home" and priority_chosen):
        return PRIORITY_IDLE_S
    if page == "home":
        return float(kiosk.attract_after_s)
    return None
