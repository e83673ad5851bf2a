"""The figures the hall shows between calls: this month's share of satisfied citizens, of citizens served
within the target wait and (when the centre records dossiers) of results returned on time.

Computed by the reports' own code (``lobby.reports.figures.build_report`` and
``lobby.reports.dossiers.dossier_report``) over the same range, so the wall and ``lobby report``
can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lobby.clock import at_or_now, local_day
from lobby.config import CentreConfig
from lobby.reports.dossiers import dossier_report
from lobby.reports.figures import ReportQuery, build_report
from lobby.store.engine import Store


@dataclass(frozen=True)
class PublishedFigures:
    start: date
    end: date
    rated: int
    satisfied_share: float | None
    served: int
    within_target_share: float | None
    returned: int
    results_on_time_share: float | None

    @staticmethod
    def percent(share: float | None) -> str:
        return "—" if share is None else f"{share * 100:.0f}%"


def month_range(cfg: CentreConfig, now: datetime | None = None) -> tuple[date, date]:
    """From the first of this local month to today (the centre's days, not UTC's)."""
    today = local_day(at_or_now(now), cfg.tz)
    return today.replace(day=1), today


def published_figures(store: Store, cfg: CentreConfig, *, now: datetime | None = None) -> PublishedFigures:
    start, end = month_range(cfg, now)
    total = build_report(store, cfg, ReportQuery(start=start, end=end), "day").total
    dossiers = dossier_report(store, cfg, start, end, now=now).total
    return PublishedFigures(
        start=start, end=end, rated=total.rated, satisfied_share=total.satisfied_share, served=total.served,
        within_target_share=total.within_target_share, returned=dossiers.returned,
        results_on_time_share=dossiers.on_time_share if dossiers.returned else None)
