"""The whole centre's configuration: one field per section.

To add a section, write its model in a module of its own (``lobby/config/web.py``), import it
here and add one field with a default, e.g. ``web: WebConfig = WebConfig()``.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from pydantic import Field, PrivateAttr, model_validator

from lobby.config.base import Strict
from lobby.config.checks import JOIN, cross_check
from lobby.config.dossiers import DossiersConfig
from lobby.config.feedback import FeedbackConfig
from lobby.config.monitor import MonitorConfig
from lobby.config.sections import (
    CentreInfo,
    CounterAppConfig,
    CounterConfig,
    DatabaseConfig,
    DisplayConfig,
    KioskConfig,
    PrinterConfig,
    PriorityGroupConfig,
    PriorityPolicy,
    SecurityConfig,
    ServiceConfig,
)
from lobby.config.web import WebConfig
from lobby.errors import UnknownCounter, UnknownPriorityGroup, UnknownService


class CentreConfig(Strict):
    centre: CentreInfo
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    priority_groups: list[PriorityGroupConfig] = Field(default_factory=list)
    priority_policy: PriorityPolicy = PriorityPolicy()
    printer: PrinterConfig = PrinterConfig()
    display: DisplayConfig = DisplayConfig()
    kiosk: KioskConfig = KioskConfig()
    counter_app: CounterAppConfig = CounterAppConfig()
    security: SecurityConfig = SecurityConfig()
    database: DatabaseConfig = DatabaseConfig()
    monitor: MonitorConfig = MonitorConfig()
    web: WebConfig = WebConfig()
    dossiers: DossiersConfig = DossiersConfig()
    feedback: FeedbackConfig = FeedbackConfig()
    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """The file this config was read from ("" when built in code)."""
        return self._source

    @model_validator(mode="after")
    def _cross_checks(self) -> CentreConfig:
        problems = cross_check(self.model_dump(mode="python"))
        if problems:
            raise ValueError(JOIN.join(problems))
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.centre.timezone)

    def service(self, code: str) -> ServiceConfig:
        for s in self.services:
            if s.code == code.upper() or s.prefix == code.upper():
                return s
        raise UnknownService(code, [s.code for s in self.services])

    def counter(self, number: int) -> CounterConfig:
        for c in self.counters:
            if c.number == number:
                return c
        raise UnknownCounter(number, [c.number for c in self.counters])

    def priority_group(self, code: str) -> PriorityGroupConfig:
        for g in self.priority_groups:
            if g.code == code:
                return g
        raise UnknownPriorityGroup(code, [g.code for g in self.priority_groups])
