"""Dossier figures for ``lobby report``: received, returned, share returned on time, overdue now, visits saved.

"On time" is the one-stop sense: a returned dossier counts as on time when its result
was ready on or before the promise on the receipt (``first_promised_at``); a citizen who
comes a week after the promised day does not make the centre late. "Visits saved" counts
the kiosk checks answered "not ready yet": people who did not queue for nothing.
Groups: by service, by the official who received the dossier, and by month (of the
receipt, the return or the check that each figure counts). Every format of ``lobby
report`` gets the same figures (``add_to_text``, ``add_to_workbook``, ``write_chart``).
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.dossiers.model import NOT_READY, DossierState
from lobby.i18n import pick
from lobby.reports.formats import grid, percent
from lobby.reports.sql import utc_bounds
from lobby.store.engine import Store
from lobby.store.models import Dossier, Event, Service, Staff
from lobby.vocabulary import EventKind

if TYPE_CHECKING:
    from openpyxl import Workbook

DossierGrouping = Literal["service", "staff", "month"]
GROUPINGS: tuple[DossierGrouping, ...] = ("service", "staff", "month")
HEADERS = {"service": ("Dịch vụ", "Service"), "staff": ("Cán bộ tiếp nhận", "Received by"), "month": ("Tháng", "Month")}
COLUMNS = (("received", "Đã tiếp nhận", "Received"), ("returned", "Đã trả", "Returned"),
           ("on_time", "Trả đúng hẹn", "On time"), ("on_time_share", "Tỷ lệ đúng hẹn", "On-time share"),
           ("overdue_now", "Đang trễ hẹn", "Overdue now"), ("visits_saved", "Lượt đi lại tiết kiệm", "Visits saved"))


@dataclass
class DossierFigures:
    key: str
    name_vi: str
    name_en: str
    received: int = 0
    returned: int = 0
    on_time: int = 0
    overdue_now: int = 0
    visits_saved: int = 0

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.returned if self.returned else None

    def name(self, lang: str = "vi") -> str:
        return (self.name_en or self.name_vi) if lang == "en" else self.name_vi

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "on_time_share": self.on_time_share}


@dataclass(frozen=True)
class OverdueDossier:
    code: str
    service: str
    staff: str | None
    first_promised_at: datetime
    promised_at: datetime
    age_days: float
    reschedules: int

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "first_promised_at": self.first_promised_at.isoformat(),
                "promised_at": self.promised_at.isoformat(), "age_days": round(self.age_days, 2)}


@dataclass
class DossierReport:
    start: date
    end: date
    at: datetime
    timezone: str = "Asia/Ho_Chi_Minh"
    groups: dict[str, list[DossierFigures]] = field(default_factory=dict)
    total: DossierFigures = field(default_factory=lambda: DossierFigures("TOTAL", "Tổng cộng", "Total"))
    overdue: list[OverdueDossier] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to show: the centre records no dossiers (its reports then keep their old shape)."""
        t = self.total
        return not (t.received or t.returned or t.overdue_now or t.visits_saved)

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "at": self.at.isoformat(),
                "total": self.total.to_json(), "by": {k: [f.to_json() for f in v] for k, v in self.groups.items()},
                "overdue": [o.to_json() for o in self.overdue]}


class _Tally:
    def __init__(self, services: dict[str, tuple[str, str]], staff: dict[str, str]) -> None:
        self.services, self.staff = services, staff
        self.rows: dict[str, dict[str, DossierFigures]] = {g: {} for g in GROUPINGS}
        self.total = DossierFigures("TOTAL", "Tổng cộng", "Total")

    def _row(self, by: str, key: str) -> DossierFigures:
        found = self.rows[by].get(key)
        if found is None:
            if by == "service":
                vi, en = self.services.get(key, (key, key))
            elif by == "staff":
                vi = en = self.staff.get(key, key) if key != "-" else "—"
            else:
                y, m = key.split("-")
                vi, en = f"{int(m):02d}/{y}", key
            found = self.rows[by][key] = DossierFigures(key, vi, en)
        return found

    def add(self, what: str, service: str, staff: str | None, month: str) -> None:
        for f in (self._row("service", service), self._row("staff", staff or "-"), self._row("month", month),
                  self.total):
            setattr(f, what, getattr(f, what) + 1)


def dossier_report(store: Store, cfg: CentreConfig, start: date, end: date, *, service: str | None = None,
                   staff: str | None = None, counter: int | None = None, now: datetime | None = None) -> DossierReport:
    at = at_or_now(now)
    tz = cfg.tz
    lo, hi = utc_bounds(cfg, start, end)
    only_service = cfg.service(service).code if service else None

    def month(dt: datetime) -> str:
        return dt.astimezone(tz).strftime("%Y-%m")

    with store.read_session() as s:
        services = {row.id: row for row in s.scalars(select(Service))}
        people = {row.id: row for row in s.scalars(select(Staff))}
        rows = list(s.scalars(select(Dossier).where(or_(
            Dossier.received_at.between(lo, hi), Dossier.returned_at.between(lo, hi),
            Dossier.state.in_([str(x) for x in NOT_READY])))))
        checks = list(s.scalars(select(Event).where(Event.kind == EventKind.DOSSIER_CHECKED, Event.at >= lo,
                                                    Event.at < hi)))
        saved_codes = {(e.data or {}).get("code") for e in checks if (e.data or {}).get("outcome") == "not_ready"}
        known = {r.code for r in rows}
        extra = [c for c in saved_codes if isinstance(c, str) and c not in known]
        if extra:
            rows += list(s.scalars(select(Dossier).where(Dossier.code.in_(extra))))
    tally = _Tally({v.code: (v.name_vi, v.name_en) for v in services.values()},
                   {v.username: v.full_name for v in people.values()})
    by_code: dict[str, tuple[str, str | None]] = {}
    report = DossierReport(start, end, at, cfg.centre.timezone)
    for r in rows:
        svc = services[r.service_id].code
        who = people[r.staff_id].username if r.staff_id in people else None
        by_code[r.code] = (svc, who)
        if (only_service and svc != only_service) or (staff and who != staff) or (
                counter is not None and r.counter_number != counter):
            continue
        if lo <= r.received_at < hi:
            tally.add("received", svc, who, month(r.received_at))
        if r.returned_at is not None and lo <= r.returned_at < hi:
            tally.add("returned", svc, who, month(r.returned_at))
            if r.ready_at is not None and r.ready_at <= r.first_promised_at:
                tally.add("on_time", svc, who, month(r.returned_at))
        if DossierState(r.state) in NOT_READY and at > r.first_promised_at:
            tally.add("overdue_now", svc, who, month(r.first_promised_at))
            report.overdue.append(OverdueDossier(r.code, svc, who, r.first_promised_at, r.promised_at,
                                                 (at - r.first_promised_at) / timedelta(days=1), r.reschedules))
    for e in checks:
        data = e.data or {}
        code = data.get("code")
        if data.get("outcome") != "not_ready" or code not in by_code:
            continue
        svc, who = by_code[code]
        if (only_service and svc != only_service) or (staff and who != staff):
            continue
        tally.add("visits_saved", svc, who, month(e.at))
    order = {v.code: v.sort_order for v in services.values()}
    report.groups = {
        "service": sorted(tally.rows["service"].values(), key=lambda f: order.get(f.key, 999)),
        "staff": sorted(tally.rows["staff"].values(), key=lambda f: (f.key == "-", f.key)),
        "month": sorted(tally.rows["month"].values(), key=lambda f: f.key),
    }
    report.total = tally.total
    report.overdue.sort(key=lambda o: -o.age_days)
    return report


# ---------------------------------------------------------------- text, CSV, JSON


def _shown(key: str, f: DossierFigures, lang: str) -> str:
    return percent(f.on_time_share, lang) if key == "on_time_share" else str(getattr(f, key))


def _grid(r: DossierReport, lang: str, by: DossierGrouping) -> list[str]:
    header = [pick(lang, *HEADERS[by])] + [pick(lang, vi, en) for _, vi, en in COLUMNS]
    rows = [[f.name(lang)[:40]] + [_shown(k, f, lang) for k, _, _ in COLUMNS] for f in [*r.groups[by], r.total]]
    return grid(header, rows, total=True)


def to_table(r: DossierReport, lang: str = "vi", by: DossierGrouping = "service", shown_overdue: int = 15) -> str:
    """The chosen grouping and the months; the oldest overdue dossiers (all of them are in the workbook)."""
    out = [pick(lang, "Hồ sơ và hẹn trả kết quả", "Dossiers and promised results"), *_grid(r, lang, by)]
    if by != "month":
        out += ["", *_grid(r, lang, "month")]
    if r.overdue:
        out += ["", pick(lang, f"Hồ sơ đang trễ hẹn ({len(r.overdue)}):", f"Dossiers overdue now ({len(r.overdue)}):")]
        more = len(r.overdue) - shown_overdue
        for o in r.overdue[:shown_overdue]:
            age = f"{o.age_days:.1f}"
            out.append(pick(lang, f"  {o.code}  {o.service}  trễ {age.replace('.', ',')} ngày (hẹn "
                                  f"{o.first_promised_at.astimezone(ZoneInfo(r.timezone)):%d/%m/%Y})",
                            f"  {o.code}  {o.service}  {age} days late (promised "
                            f"{o.first_promised_at.astimezone(ZoneInfo(r.timezone)):%Y-%m-%d})"))
        if more > 0:
            out.append(pick(lang, f"  … và {more} hồ sơ khác (xem tệp Excel: --format xlsx)",
                            f"  … and {more} more (see the workbook: --format xlsx)"))
    out.append(pick(lang, "Đúng hẹn: kết quả có trước hoặc đúng thời điểm hẹn trên giấy tiếp nhận. "
                          "Lượt đi lại tiết kiệm: lần kiểm tra ở ki-ốt báo «chưa có kết quả».",
                    "On time: the result was ready on or before the promise on the receipt. "
                    "Visits saved: kiosk checks answered \"not ready yet\"."))
    return "\n".join(out) + "\n"


def to_csv(r: DossierReport, lang: str = "vi", by: DossierGrouping = "service") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([pick(lang, "Mã", "Key"), pick(lang, *HEADERS[by])]
               + [pick(lang, vi, en) + (" (%)" if k == "on_time_share" else "") for k, vi, en in COLUMNS])
    for f in [*r.groups[by], r.total]:
        share = f.on_time_share
        values = [f"{share * 100:.1f}" if k == "on_time_share" and share is not None else
                  ("" if k == "on_time_share" else getattr(f, k)) for k, _, _ in COLUMNS]
        w.writerow([f.key, f.name(lang), *values])
    return buf.getvalue()


def add_to_text(text: str, fmt: str, r: DossierReport, lang: str, by: str) -> str:
    """The ticket report's table or CSV with the dossier figures after it (JSON: ``formats.to_json``)."""
    grouping: DossierGrouping = by if by in GROUPINGS else "service"
    if r.empty:
        return text
    if fmt == "csv":
        return text + "\r\n" + to_csv(r, lang, grouping)
    return text + "\n" + to_table(r, lang, grouping)


# ---------------------------------------------------------------- workbook and chart


def add_to_workbook(wb: Workbook, r: DossierReport, lang: str = "vi") -> None:
    """Add the dossier sheets (by service, official, month; the overdue list) to the report's workbook."""
    if r.empty:
        return
    from lobby.reports.xlsx import HEAD_FILL, HEAD_FONT

    for by in GROUPINGS:
        ws = wb.create_sheet(pick(lang, f"Hồ sơ theo {pick('vi', *HEADERS[by]).lower()}", f"Dossiers by {by}")[:31])
        ws.append([pick(lang, *HEADERS[by])] + [pick(lang, vi, en) for _, vi, en in COLUMNS])
        for f in [*r.groups[by], r.total]:
            ws.append([f.name(lang)]
                      + [f.on_time_share if k == "on_time_share" else getattr(f, k) for k, _, _ in COLUMNS])
        for cell in ws[1]:
            cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
            row[0].number_format = "0.0%"
        ws.freeze_panes = "B2"
        ws.column_dimensions["A"].width = 42
    ws = wb.create_sheet(pick(lang, "Hồ sơ trễ hẹn", "Dossiers overdue"))
    ws.append([pick(lang, "Mã hồ sơ", "Dossier code"), pick(lang, "Dịch vụ", "Service"),
               pick(lang, "Cán bộ tiếp nhận", "Received by"), pick(lang, "Hẹn trả", "Promised"),
               pick(lang, "Hẹn lại", "New promise"), pick(lang, "Số ngày trễ", "Days late")])
    for cell in ws[1]:
        cell.fill, cell.font = HEAD_FILL, HEAD_FONT
    for o in r.overdue:
        ws.append([o.code, o.service, o.staff or "", o.first_promised_at.replace(tzinfo=None),
                   o.promised_at.replace(tzinfo=None) if o.reschedules else None, round(o.age_days, 1)])
    ws.column_dimensions["A"].width = 32


def write_chart(out: Path, r: DossierReport, lang: str = "vi") -> list[Path]:
    """One PNG (none when there are no dossiers): per service, returned on time and late, and overdue now."""
    if r.empty:
        return []
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lobby.reports.charts import bundled_fonts

    path = (out / "dossiers.png") if out.suffix.lower() != ".png" else out.with_name(out.stem + "-dossiers.png")
    rows = [f for f in r.groups["service"] if f.received or f.returned or f.overdue_now]
    with bundled_fonts() as fonts:
        fig = Figure(figsize=(11, 0.5 * max(len(rows), 3) + 2.2), dpi=110)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        names = [f.name(lang)[:34] for f in rows]
        on_time = [f.on_time for f in rows]
        late = [f.returned - f.on_time for f in rows]
        overdue = [f.overdue_now for f in rows]
        ys = list(range(len(rows)))
        ax.barh(ys, on_time, color="#2E7D32", label=pick(lang, "Trả đúng hẹn", "Returned on time"))
        ax.barh(ys, late, left=on_time, color="#F9A825", label=pick(lang, "Trả trễ hẹn", "Returned late"))
        ax.barh(ys, overdue, left=[a + b for a, b in zip(on_time, late, strict=False)], color="#C62828",
                label=pick(lang, "Đang trễ hẹn", "Overdue now"))
        ax.set_yticks(ys, names)
        ax.invert_yaxis()
        regular = fonts.regular
        for label in ax.get_yticklabels():
            label.set_fontproperties(regular)
        ax.legend(prop=regular, loc="lower right")
        ax.set_title(pick(lang, f"Hồ sơ theo dịch vụ {r.start:%d/%m/%Y}–{r.end:%d/%m/%Y}",
                          f"Dossiers by service {r.start.isoformat()} to {r.end.isoformat()}"),
                     fontproperties=fonts.sized(13, bold=True))
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
    return [path]


def for_query(store: Store, cfg: CentreConfig, q: Any) -> DossierReport:
    """The dossier figures for a ``lobby report`` query (its days, service, counter and official filters)."""
    return dossier_report(store, cfg, q.start, q.end, service=q.service, staff=q.staff, counter=q.counter)
