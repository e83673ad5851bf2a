"""What a report is made of: the figures of a group, priority grants, the arrivals heatmap, the query.

How each figure is counted is told in ``lobby.reports.figures``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

from lobby.errors import LobbyError
from lobby.i18n import pick

Grouping = Literal["day", "service", "counter", "staff", "hour"]
GROUPINGS: tuple[Grouping, ...] = ("day", "service", "counter", "staff", "hour")
MAX_DAYS = 3660


class ReportRangeError(LobbyError):
    def __init__(self, start: date, end: date) -> None:
        super().__init__(
            f"--from ({start:%d/%m/%Y}) phải trước hoặc bằng --to ({end:%d/%m/%Y}).",
            f"--from ({start.isoformat()}) must be on or before --to ({end.isoformat()}).",
        )


@dataclass(frozen=True)
class Figures:
    """The figures of one group (or of the whole report). Times are in seconds."""

    key: str | None
    label: str
    label_en: str
    issued: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    open: int = 0
    transferred: int = 0
    called: int = 0
    wait_mean_s: float | None = None
    wait_median_s: float | None = None
    wait_p90_s: float | None = None
    wait_max_s: float | None = None
    service_mean_s: float | None = None
    service_median_s: float | None = None
    service_p90_s: float | None = None
    within_target: int = 0
    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    priority: int = 0
    priority_granted: int = 0

    @property
    def rated(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.served if self.served else None

    @property
    def satisfied_share(self) -> float | None:
        return (self.very_satisfied + self.satisfied) / self.rated if self.rated else None

    @property
    def rated_share(self) -> float | None:
        return self.rated / self.served if self.served else None

    def name(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(rated=self.rated, within_target_share=self.within_target_share,
                   satisfied_share=self.satisfied_share, rated_share=self.rated_share)
        return out


@dataclass(frozen=True)
class Grant:
    """Priority tickets of one group (elderly, merit, …) and who allowed them (None: chosen at the kiosk)."""

    group: str | None
    group_name: str
    group_name_en: str
    granted_by: str | None
    granted_by_name: str | None
    count: int


@dataclass(frozen=True)
class Heatmap:
    """Average arrivals per weekday (ISO 1–7) and local hour of the day, over the days that had tickets."""

    counts: dict[tuple[int, int], int]
    days: dict[int, int]

    def mean(self, weekday: int, hour: int) -> float:
        n = self.days.get(weekday, 0)
        return self.counts.get((weekday, hour), 0) / n if n else 0.0

    @property
    def weekdays(self) -> list[int]:
        return sorted(self.days)

    @property
    def hours(self) -> list[int]:
        present = [h for (_, h) in self.counts]
        return list(range(min(present), max(present) + 1)) if present else []


@dataclass(frozen=True)
class ReportQuery:
    start: date
    end: date
    service: str | None = None
    counter: int | None = None
    staff: str | None = None

    def filters_text(self, lang: str = "vi") -> str:
        parts = []
        if self.service:
            parts.append(f"{pick(lang, 'dịch vụ', 'service')} {self.service}")
        if self.counter is not None:
            parts.append(f"{pick(lang, 'quầy', 'counter')} {self.counter}")
        if self.staff:
            parts.append(f"{pick(lang, 'cán bộ', 'official')} {self.staff}")
        return ", ".join(parts) or pick(lang, "tất cả", "all")


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    by: Grouping
    centre: str
    groups: list[Figures]
    total: Figures
    grants: list[Grant] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "centre": self.centre,
            "from": self.query.start.isoformat(),
            "to": self.query.end.isoformat(),
            "by": self.by,
            "filters": {"service": self.query.service, "counter": self.query.counter, "staff": self.query.staff},
            "groups": [g.to_json() for g in self.groups],
            "total": self.total.to_json(),
            "grants": [asdict(g) for g in self.grants],
        }


def check_range(q: ReportQuery) -> None:
    if q.start > q.end:
        raise ReportRangeError(q.start, q.end)
    if (q.end - q.start).days > MAX_DAYS:
        raise LobbyError(f"Khoảng thời gian quá dài: tối đa {MAX_DAYS} ngày.",
                         f"The range is too long: at most {MAX_DAYS} days.")
