"""The sections of a centre's config file, one model each ([centre], [[services]], [printer]...)."""
from __future__ import annotations

import re
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from lobby.config.base import Strict, TimeRange, Weekday, time_ranges

SERVICE_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,15}")
"""A service's code: capital letters, digits or _, starting with a letter (the [dossiers] keys name them too)."""


class CentreInfo(Strict):
    name: str = Field(min_length=1)
    name_en: str = ""
    address: str = ""
    timezone: str = "Asia/Ho_Chi_Minh"
    opening_days: list[Weekday] = [1, 2, 3, 4, 5]
    opening_hours: list[TimeRange] = Field(default_factory=lambda: time_ranges(["07:30-11:30", "13:30-17:00"]))
    status_url: str | None = None
    enforce_hours: bool = True
    footer: str = "Xin cảm ơn ông/bà. Vui lòng chú ý màn hình và loa gọi số."
    footer_en: str = "Thank you. Please watch the screen and listen for your number."

    _v_hours = field_validator("opening_hours", mode="before")(lambda cls, v: time_ranges(v))

    def title(self, lang: str = "vi") -> str:
        """The centre's name in ``lang``: the English name when there is one, else the Vietnamese."""
        return self.name_en or self.name if lang == "en" else self.name

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'must be an IANA time zone such as "Asia/Ho_Chi_Minh", got "{v}"') from None
        return v

    @field_validator("status_url")
    @classmethod
    def _status_url(cls, v: str | None) -> str | None:
        if v and "{id}" not in v:
            raise ValueError(f'must contain "{{id}}" where the ticket id goes, got "{v}"')
        return v or None


class ServiceConfig(Strict):
    code: str
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    prefix: str
    number_format: str = "{prefix}{n:03d}"
    first_number: int = Field(default=1, ge=0, le=9999)
    daily_limit: int | None = Field(default=None, ge=1, le=9999)
    hours: list[TimeRange] = Field(default_factory=list)
    days: list[Weekday] | None = None
    target_wait_min: int = Field(default=15, ge=1, le=480)
    default_service_min: float = Field(default=8.0, gt=0, le=480)

    _v_hours = field_validator("hours", mode="before")(lambda cls, v: time_ranges(v))

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not SERVICE_CODE.fullmatch(v):
            raise ValueError(f'must be capital letters, digits or _ starting with a letter (e.g. "DKKD"), got "{v}"')
        return v

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{1,3}", v):
            raise ValueError(f'must be 1 to 3 capital letters, got "{v}"')
        return v

    @field_validator("number_format")
    @classmethod
    def _format(cls, v: str) -> str:
        try:
            sample = v.format(prefix="A", n=7)
        except Exception as exc:  # noqa: BLE001 - any formatting failure is a config problem
            raise ValueError(
                f'must use only {{prefix}} and {{n}}, e.g. "{{prefix}}{{n:03d}}", got "{v}" ({exc})') from None
        if "7" not in sample:
            raise ValueError(f'must contain the number {{n}}, got "{v}"')
        return v

    def format_number(self, n: int) -> str:
        return self.number_format.format(prefix=self.prefix, n=n)

    def name(self, lang: str = "vi") -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


class CounterConfig(Strict):
    number: int = Field(ge=1, le=999)
    name: str = ""
    name_en: str = ""
    services: list[str] = Field(min_length=1)

    def label(self, lang: str = "vi") -> str:
        """The name shown on screens in ``lang`` ("Quầy số 4" / "Counter 4" when none is configured)."""
        if lang == "en":
            return self.name_en or (self.name if self.name else f"Counter {self.number}")
        return self.name or f"Quầy số {self.number}"


class PriorityGroupConfig(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = ""
    needs_pin: bool = False
    # false: never offered on the kiosk's priority screen, only given by a rule (a late result, lobby.dossiers)
    offered_at_kiosk: bool = True

    def name(self, lang: str = "vi") -> str:
        return self.name_en or self.name_vi if lang == "en" else self.name_vi


class PriorityPolicy(Strict):
    max_consecutive: int = Field(
        default=3, ge=1, le=100,
        description="priority calls in a row at one counter while an older ordinary ticket waits")


class PrinterConfig(Strict):
    url: str = "png://var/tickets"
    profile: str | None = None
    paper_mm: Literal[58, 80] = 80
    force_raster: bool = False
    timeout_s: float = Field(default=5.0, gt=0, le=60)


class DisplayConfig(Strict):
    template: str = "Mời công dân có số thứ tự {number} đến quầy số {counter}"
    template_en: str = "Ticket {number}, please go to counter {counter}"
    region: Literal["north", "south"] = "north"
    voice_pack: str | None = None
    stale_after_s: int = Field(default=120, ge=5, le=3600)
    highlight_s: int = Field(default=8, ge=1, le=60)
    ticker: str = ""
    ticker_en: str = ""
    show_waiting: bool = True
    chime: bool = True
    repeat: int = Field(default=2, ge=1, le=3)  # how many times each call is spoken
    repeat_pause_ms: int = Field(default=1000, ge=200, le=5000)  # silence between the repeats

    @field_validator("template", "template_en")
    @classmethod
    def _template(cls, v: str) -> str:
        for key in ("{number}", "{counter}"):
            if key not in v:
                raise ValueError(f'must contain {key}, got "{v}"')
        try:
            v.format(number="A001", counter=1)
        except Exception:  # noqa: BLE001 - any formatting failure is a config problem
            raise ValueError(f'may use only {{number}} and {{counter}} in braces, got "{v}"') from None
        return v


class KioskConfig(Strict):
    language: Literal["vi", "en"] = "vi"
    idle_home_s: int = Field(default=8, ge=2, le=120)
    attract_after_s: int = Field(default=180, ge=10, le=3600)
    guard_timeout_s: int = Field(default=60, ge=10, le=600)
    name: str = "kiosk-1"


class CounterAppConfig(Strict):
    counter: int | None = Field(default=None, ge=1, le=999)
    idle_signout_min: int = Field(default=30, ge=1, le=720)
    rating_timeout_s: int = Field(default=30, ge=5, le=600)


class SecurityConfig(Strict):
    pin_max_attempts: int = Field(default=5, ge=3, le=10)
    lockout_minutes: int = Field(default=15, ge=5, le=1440)


class DatabaseConfig(Strict):
    url: str | None = None
