"""The words of the ticket page for one state of a ticket, the same for the first render and live updates."""
from __future__ import annotations

from typing import Any

from lobby.access.ticket_page import TicketPage
from lobby.i18n import tr
from web.texts import t


def ticket_view(page: TicketPage, lang: str) -> dict[str, Any]:
    """Texts for the page's fields; ``called`` tells the browser to vibrate and chime."""
    status = page.status
    headline = ""
    message = ""
    if status == "called":
        headline = t("ticket.go_to", lang, n=page.counter)
        message = t("ticket.called_hint", lang)
    elif status == "serving":
        headline = t("ticket.serving", lang, n=page.counter)
    elif status == "parked":
        message = t("ticket.parked", lang, n=page.counter)
    elif status in ("done", "no_show", "cancelled", "expired"):
        message = t(f"ticket.{status}", lang)
    if status == "waiting" and page.transferred:
        message = t("ticket.transferred", lang, service=page.service_name(lang))
    ahead = ""
    wait = ""
    if status == "waiting" and page.ahead is not None:
        ahead = t("ticket.ahead_none", lang) if page.ahead == 0 else f"{t('ticket.ahead', lang)}: {page.ahead}"
        if page.estimated_wait_min:
            wait = f"{t('ticket.wait', lang)}: {t('ticket.wait_value', lang, m=page.estimated_wait_min)}"
    return {
        "number": page.number, "service": page.service_name(lang), "status": status,
        "status_label": tr(f"status.{status}", lang), "headline": headline, "message": message,
        "ahead": ahead, "wait": wait, "called": status == "called", "priority": page.priority,
        "final": status in ("done", "no_show", "cancelled", "expired"),
    }
