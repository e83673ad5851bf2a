"""What every config section is built from: strict frozen models, clock-time ranges, weekdays.

A new section (e.g. ``lobby/config/web.py``) subclasses :class:`Strict`, so unknown keys
are reported and text is NFC-normalised like everywhere else.
"""
from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lobby.i18n import nfc

_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


class TimeRange(BaseModel):
    """A range of local clock time such as 07:30-11:30 (start included, end excluded)."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        m = _RANGE.match(text.strip())
        if not m:
            raise ValueError(f'must look like "07:30-11:30", got "{text}"')
        start = time(int(m[1]), int(m[2]))
        end = time(int(m[3]), int(m[4]))
        if end <= start:
            raise ValueError(f'end must be after start, got "{text}"')
        return cls(start=start, end=end)

    def contains(self, t: time) -> bool:
        return self.start <= t < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def time_ranges(value: Any) -> list[TimeRange]:
    if not isinstance(value, list):
        raise ValueError("must be a list of ranges such as [\"07:30-11:30\", \"13:30-17:00\"]")
    return [v if isinstance(v, TimeRange) else TimeRange.parse(str(v)) for v in value]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: nfc(v) if isinstance(v, str) else v for k, v in data.items()}
        return data


Weekday = Annotated[int, Field(ge=1, le=7)]
