"""The ``[feedback]`` section: why a citizen is unhappy, rating from the phone, remarks, the hall's figures.

    [feedback]
    reasons_after = ["not_satisfied"]  # after which ratings the panel asks why ("satisfied" may be added)
    reasons_timeout_s = 20             # the reasons step closes itself after this (the rating is kept)
    max_reasons = 3                    # how many reasons one citizen may pick
    phone_rating_hours = 24            # a served citizen may rate from the phone this long after service
    remark_max_chars = 2000            # a remark longer than this is refused (never cut), the text kept
    contact_max_chars = 120
    answer_max_chars = 4000
    answer_working_days = 5            # a remark's answer is due this many working days after it arrives
    remarks_per_hour = 5               # remarks one address may send per hour
    display_panel = false              # the hallway display shows this month's figures between calls
    display_panel_interval_s = 45      # … every this many seconds while nobody is being called
    display_panel_seconds = 12         # … for this long
    general_qr = true                  # a QR code to {web.public_url}/gop-y on the kiosk's home and the ticket's foot

    [[feedback.reasons]]
    code = "long_wait"
    vi = "Chờ lâu"
    en = "Long wait"
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from lobby.config.base import Strict

AfterRating = Literal["satisfied", "not_satisfied"]
_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")


class ReasonConfig(Strict):
    """One tap-able reason: a stable code (stored and counted) and its words in both languages."""

    code: str
    vi: str = Field(min_length=1, max_length=60)
    en: str = Field(min_length=1, max_length=60)

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not _CODE.fullmatch(v):
            raise ValueError(f'must be 1 to 32 lower-case letters, digits or _ starting with a letter, got "{v}"')
        return v

    def label(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


def _default_reasons() -> list[ReasonConfig]:
    return [
        ReasonConfig(code="long_wait", vi="Chờ lâu", en="Long wait"),
        ReasonConfig(code="attitude", vi="Thái độ chưa tốt", en="Unfriendly attitude"),
        ReasonConfig(code="unclear_guidance", vi="Hướng dẫn chưa rõ", en="Unclear guidance"),
        ReasonConfig(code="late_result", vi="Hẹn trả kết quả chưa đúng", en="Result not on the promised date"),
        ReasonConfig(code="complex_procedure", vi="Thủ tục phức tạp", en="Complicated procedure"),
        ReasonConfig(code="other", vi="Khác", en="Other"),
    ]


class FeedbackConfig(Strict):
    reasons: list[ReasonConfig] = Field(default_factory=_default_reasons, min_length=1, max_length=12)
    reasons_after: list[AfterRating] = Field(default_factory=lambda: list[AfterRating](["not_satisfied"]))
    reasons_timeout_s: int = Field(default=20, ge=5, le=120)
    max_reasons: int = Field(default=3, ge=1, le=12)
    phone_rating_hours: int = Field(default=24, ge=0, le=24 * 30)
    remark_max_chars: int = Field(default=2000, ge=50, le=20_000)
    contact_max_chars: int = Field(default=120, ge=20, le=500)
    answer_max_chars: int = Field(default=4000, ge=50, le=20_000)
    answer_working_days: int = Field(default=5, ge=1, le=60)
    remarks_per_hour: int = Field(default=5, ge=1, le=1000)
    display_panel: bool = False
    display_panel_interval_s: int = Field(default=45, ge=10, le=3600)
    display_panel_seconds: int = Field(default=12, ge=3, le=120)
    general_qr: bool = True

    @model_validator(mode="after")
    def _unique(self) -> FeedbackConfig:
        codes = [r.code for r in self.reasons]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"feedback.reasons: each code once; repeated: {', '.join(twice)}")
        return self

    def reason(self, code: str) -> ReasonConfig | None:
        return next((r for r in self.reasons if r.code == code), None)

    def asks_reasons(self, rating: str) -> bool:
        return rating in self.reasons_after
