"""The ``[dossiers]`` section: how long each service takes, the holidays, and where "ready" comes from.

    [dossiers]
    results_service = "TKQ"             # the service whose tickets collect results ("" = no results check)
    default_processing_days = 5         # working days, for services not listed below
    processing_days = { DKKD = 3, DD = 10 }
    due_time = "16:00"                  # the time of day promised ("" = the time the dossier was received)
    holidays = ["2026-09-02", …]        # public holidays (no working day)
    extra_working_days = ["2026-05-09"] # make-up Saturdays (a working day all the same)
    reschedule_days = 2                 # a late result's new promise: working days from the visit
    overdue_priority = "late_result"    # the priority group of a late result's ticket ("" = ordinary ticket)

    sync = "csv"                        # where "ready" comes from besides the counters: "none", "csv" (a folder
    sync_folder = "var/dossier-drop"    # the one-stop system drops files in) or "http" (JSON); sync_* below
    …

The ``sync_*`` keys are flat (not a ``[dossiers.sync]`` table) so that every key of the
section can be shown, commented, in ``config/default.toml``.
"""
from __future__ import annotations

import re
from datetime import date, time
from typing import Any, Literal

from pydantic import Field, field_validator

from lobby.config.base import Strict
from lobby.config.sections import SERVICE_CODE

_FIELD = re.compile(r"[^\s]{1,64}")


def _field_name(v: str) -> str:
    if not _FIELD.fullmatch(v):
        raise ValueError(f'must be a field name of 1 to 64 characters without spaces, got "{v}"')
    return v


def _url(v: str) -> str:
    if v and not re.match(r"https?://", v):
        raise ValueError(f'must start with http:// or https://, got "{v}"')
    return v


def _env(v: str) -> str:
    if v and not re.fullmatch(r"[A-Z_][A-Z0-9_]*", v):
        raise ValueError(f'must be the NAME of an environment variable (capitals, digits, _), got "{v}"')
    return v


class DossierSyncConfig(Strict):
    """A source of "this result is ready": a CSV drop folder or an HTTP JSON endpoint, with the field names it uses."""

    kind: Literal["none", "csv", "http"] = "none"
    folder: str = "var/dossier-drop"
    url: str = ""
    token_env: str = ""
    records_path: str = ""
    code_field: str = "code"
    state_field: str = "state"
    ready_values: list[str] = Field(default_factory=lambda: ["ready"], min_length=1)
    ready_at_field: str = ""
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    interval_s: int = Field(default=300, ge=10, le=86_400)
    timeout_s: float = Field(default=10.0, gt=0, le=120)

    _v_field = field_validator("code_field", "state_field")(lambda cls, v: _field_name(v))
    _v_url = field_validator("url")(lambda cls, v: _url(v))
    _v_env = field_validator("token_env")(lambda cls, v: _env(v))


class DossiersConfig(Strict):
    results_service: str = ""
    default_processing_days: int = Field(default=5, ge=0, le=365)
    processing_days: dict[str, int] = Field(default_factory=dict)
    due_time: time | None = None
    holidays: list[date] = Field(default_factory=list)
    extra_working_days: list[date] = Field(default_factory=list)
    reschedule_days: int = Field(default=2, ge=1, le=60)
    overdue_priority: str = ""
    sync: Literal["none", "csv", "http"] = "none"
    sync_folder: str = "var/dossier-drop"
    sync_url: str = ""
    sync_token_env: str = ""
    sync_records_path: str = ""
    sync_code_field: str = "code"
    sync_state_field: str = "state"
    sync_ready_values: list[str] = Field(default_factory=lambda: ["ready"], min_length=1)
    sync_ready_at_field: str = ""
    sync_delimiter: str = Field(default=",", min_length=1, max_length=1)
    sync_interval_s: int = Field(default=300, ge=10, le=86_400)
    sync_timeout_s: float = Field(default=10.0, gt=0, le=120)

    def source(self) -> DossierSyncConfig:
        """The sync source, as one object (validated again, so its errors name the sync_ key)."""
        return DossierSyncConfig(
            kind=self.sync, folder=self.sync_folder, url=self.sync_url, token_env=self.sync_token_env,
            records_path=self.sync_records_path, code_field=self.sync_code_field, state_field=self.sync_state_field,
            ready_values=self.sync_ready_values, ready_at_field=self.sync_ready_at_field,
            delimiter=self.sync_delimiter, interval_s=self.sync_interval_s, timeout_s=self.sync_timeout_s)

    # The same checks as DossierSyncConfig's, so that an error names the sync_ key of the file.
    _v_field = field_validator("sync_code_field", "sync_state_field")(lambda cls, v: _field_name(v))
    _v_url = field_validator("sync_url")(lambda cls, v: _url(v))
    _v_env = field_validator("sync_token_env")(lambda cls, v: _env(v))

    @field_validator("due_time", mode="before")
    @classmethod
    def _due(cls, v: Any) -> Any:
        if v == "":
            return None
        if isinstance(v, str) and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v.strip()):
            raise ValueError(f'must be a time of day such as "16:00" (or "" for the time received), got "{v}"')
        return v

    @field_validator("processing_days")
    @classmethod
    def _days(cls, v: dict[str, int]) -> dict[str, int]:
        for code, days in v.items():
            if not SERVICE_CODE.fullmatch(code):
                raise ValueError(f'keys must be service codes such as DKKD, got "{code}"')
            if not 0 <= days <= 365:
                raise ValueError(f"{code}: must be 0 to 365 working days, got {days}")
        return v

    def days_for(self, service_code: str) -> int:
        return self.processing_days.get(service_code, self.default_processing_days)


def check_dossiers(data: dict[str, Any]) -> list[str]:
    """Cross-checks against the rest of the file: the services and priority group it names must exist."""
    section = data.get("dossiers")
    if not isinstance(section, dict):
        return []
    codes = {s.get("code") for s in data.get("services", []) if isinstance(s, dict)}
    groups = {g.get("code") for g in data.get("priority_groups", []) if isinstance(g, dict)}
    known = ", ".join(sorted(str(c) for c in codes if c))
    problems: list[str] = []
    results = section.get("results_service")
    if isinstance(results, str) and results and results not in codes:
        problems.append(f'dossiers.results_service: unknown service code "{results}"; known: {known}')
    days = section.get("processing_days")
    if isinstance(days, dict):
        for code in days:
            if code not in codes:
                problems.append(f'dossiers.processing_days.{code}: unknown service code "{code}"; known: {known}')
    group = section.get("overdue_priority")
    if isinstance(group, str) and group and group not in groups:
        names = ", ".join(sorted(str(g) for g in groups if g)) or "(none configured)"
        problems.append(f'dossiers.overdue_priority: unknown priority group "{group}"; known: {names}')
    return problems
