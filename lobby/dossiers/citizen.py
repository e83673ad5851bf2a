"""What the citizen's page (and the API) shows of a dossier: its state and promised date, in plain words.

The ticket page (``/v/{token}``) of the visit a dossier was received in lists the dossiers
of that ticket (``for_ticket``), so a citizen checks from home whether the result is ready:
"Đã có kết quả" once it is. No names, nothing but what the receipt already says.
"""
from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from lobby.config import CentreConfig
from lobby.dossiers import records
from lobby.dossiers.model import DossierInfo, DossierState, state_name
from lobby.i18n import pick, weekday_name


def when_text(dt: datetime, tz: tzinfo, lang: str) -> str:
    """A promised or ready time as a citizen reads it: "16 giờ 00, thứ hai 01/12/2026"."""
    local = dt.astimezone(tz)
    day = weekday_name(local.date(), lang)
    return pick(lang, f"{local:%H} giờ {local:%M}, {day.lower()} {local:%d/%m/%Y}",
                f"{local:%H:%M}, {day} {local:%d/%m/%Y}")


def _when(dt: datetime | None, cfg: CentreConfig, lang: str) -> str | None:
    return None if dt is None else when_text(dt, cfg.tz, lang)


def citizen_view(d: DossierInfo, cfg: CentreConfig, lang: str = "vi") -> dict[str, Any]:
    """The dossier as JSON, plus its state and dates worded for the citizen."""
    if d.state == DossierState.READY:
        advice = pick(lang, "Đã có kết quả. Mời ông/bà đến nhận tại quầy trả kết quả.",
                      "Your result is ready. Please collect it at the results counter.")
    elif d.state == DossierState.RETURNED:
        advice = pick(lang, "Ông/bà đã nhận kết quả.", "You have collected the result.")
    elif d.state == DossierState.OVERDUE:
        advice = pick(lang, "Kết quả chưa có đúng hẹn. Trung tâm xin lỗi ông/bà; "
                            "ông/bà sẽ nhận phiếu hẹn lại khi đến.",
                      "The result is late. The centre apologises; you will get a new date when you come.")
    else:
        advice = pick(lang, "Chưa có kết quả. Ông/bà chưa cần đến trước ngày hẹn.",
                      "Not ready yet. No need to come before the promised date.")
    return {
        **d.to_json(),
        "service_name": d.service_name(lang),
        "state_text": state_name(d.state, lang),
        "ready": d.state in (DossierState.READY, DossierState.RETURNED),
        "promised_text": _when(d.promised_at, cfg, lang),
        "ready_text": _when(d.ready_at, cfg, lang),
        "advice": advice,
    }


def for_ticket(session: Session, cfg: CentreConfig, ticket_id: int, lang: str = "vi", *,
               now: datetime | None = None) -> list[dict[str, Any]]:
    """The dossiers received during the visit of ``ticket_id``, for its page."""
    return [citizen_view(d, cfg, lang) for d in records.of_ticket(session, cfg, ticket_id, now=now)]
