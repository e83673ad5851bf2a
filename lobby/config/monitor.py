"""The ``[monitor]`` section: when the manager's live view raises alerts, and how long a web session lasts."""
from __future__ import annotations

from pydantic import Field

from lobby.config.base import Strict


class MonitorConfig(Strict):
    # a service turns amber when its longest wait reaches this share of its target (red past the target)
    amber_share: float = Field(default=0.8, gt=0, lt=1)
    # minutes a staffed, open counter may stay idle while its services have people waiting
    idle_alert_min: int = Field(default=5, ge=1, le=240)
    # minutes a counter may stay open with nobody signed in (0: alert at once)
    unattended_alert_min: int = Field(default=2, ge=0, le=240)
    # a web sign-in lasts at most this many hours; a session ends after this many minutes without a request
    session_hours: int = Field(default=10, ge=1, le=24)
    session_idle_min: int = Field(default=30, ge=5, le=480)
