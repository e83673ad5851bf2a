"""Helpers for the dossier tests: the demo centre with a known dossier section and fixed moments."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lobby.config import CentreConfig
from lobby.dossiers.settings import DossiersConfig
from support import demo_config

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y: int, m: int, d: int, hh: int = 9, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


def dossier_config(**section: Any) -> CentreConfig:
    """The demo centre (open at all hours) with a dossier section: results at TKQ, 2026's holidays."""
    values: dict[str, Any] = {
        "results_service": "TKQ",
        "default_processing_days": 5,
        "processing_days": {"DKKD": 3, "DD": 10, "HT": 2},
        "due_time": "16:00",
        "holidays": [date(2026, 9, 1), date(2026, 9, 2), date(2027, 1, 1)],
        "extra_working_days": [],
        "reschedule_days": 2,
        "overdue_priority": "",
    }
    values.update(section)
    cfg = demo_config()
    return cfg.model_copy(update={"dossiers": DossiersConfig.model_validate(values)})
