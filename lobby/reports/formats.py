"""Reports as text: a table for the terminal, CSV for spreadsheets, JSON for other programs.

The columns (their headers in Vietnamese and English, and how each is shown) are
defined once here and used by the XLSX writer too. Times are shown in minutes;
JSON keeps the seconds the report computed.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from lobby.i18n import pick
from lobby.reports.results import Figures, Grouping, Report

Kind = Literal["count", "minutes", "share"]


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    short_vi: str
    short_en: str
    kind: Kind
    value: Callable[[Figures], Any]

    def header(self, lang: str = "vi", short: bool = False) -> str:
        if short:
            return self.short_en if lang == "en" else self.short_vi
        return self.en if lang == "en" else self.vi


def _attr(name: str) -> Callable[[Figures], Any]:
    return lambda f: getattr(f, name)


def _mins(name: str) -> Callable[[Figures], Any]:
    def get(f: Figures) -> float | None:
        v = getattr(f, name)
        return None if v is None else v / 60.0
    return get


COLUMNS: tuple[Column, ...] = (
    Column("issued", "Số đã cấp", "Issued", "Cấp", "Issued", "count", _attr("issued")),
    Column("served", "Đã phục vụ", "Served", "Xong", "Served", "count", _attr("served")),
    Column("no_show", "Vắng mặt", "No-show", "Vắng", "No-show", "count", _attr("no_show")),
    Column("transferred", "Chuyển đi", "Transferred", "Chuyển", "Transf.", "count", _attr("transferred")),
    Column("cancelled", "Đã hủy", "Cancelled", "Hủy", "Canc.", "count", _attr("cancelled")),
    Column("expired", "Hết hạn", "Expired", "Hết hạn", "Expired", "count", _attr("expired")),
    Column("open", "Chưa xong", "Still open", "Chưa xong", "Open", "count", _attr("open")),
    Column("wait_mean", "Chờ trung bình (phút)", "Wait mean (min)", "Chờ TB", "Wait avg", "minutes",
           _mins("wait_mean_s")),
    Column("wait_median", "Chờ trung vị (phút)", "Wait median (min)", "Chờ TV", "Wait med", "minutes",
           _mins("wait_median_s")),
    Column("wait_p90", "Chờ P90 (phút)", "Wait p90 (min)", "Chờ P90", "Wait p90", "minutes", _mins("wait_p90_s")),
    Column("wait_max", "Chờ lâu nhất (phút)", "Wait max (min)", "Chờ max", "Wait max", "minutes",
           _mins("wait_max_s")),
    Column("service_mean", "Phục vụ trung bình (phút)", "Service mean (min)", "PV TB", "Svc avg", "minutes",
           _mins("service_mean_s")),
    Column("service_median", "Phục vụ trung vị (phút)", "Service median (min)", "PV TV", "Svc med", "minutes",
           _mins("service_median_s")),
    Column("service_p90", "Phục vụ P90 (phút)", "Service p90 (min)", "PV P90", "Svc p90", "minutes",
           _mins("service_p90_s")),
    Column("within_target", "Đạt thời gian chờ mục tiêu", "Served within target wait", "Đạt hạn", "In target",
           "share", _attr("within_target_share")),
    Column("very_satisfied", "Rất hài lòng", "Very satisfied", "Rất HL", "V.sat", "count", _attr("very_satisfied")),
    Column("satisfied", "Hài lòng", "Satisfied", "HL", "Sat", "count", _attr("satisfied")),
    Column("not_satisfied", "Không hài lòng", "Not satisfied", "Không HL", "Not sat", "count",
           _attr("not_satisfied")),
    Column("satisfied_share", "Tỷ lệ hài lòng", "Satisfied share", "% HL", "% sat", "share",
           _attr("satisfied_share")),
    Column("rated_share", "Tỷ lệ có đánh giá", "Share rated", "% ĐG", "% rated", "share", _attr("rated_share")),
    Column("priority", "Số ưu tiên", "Priority tickets", "ƯT", "Prio", "count", _attr("priority")),
    Column("priority_granted", "Ưu tiên do cán bộ xác nhận", "Priority granted by staff", "ƯT x.nhận", "Granted",
           "count", _attr("priority_granted")),
)

GROUP_HEADERS: dict[str, tuple[str, str]] = {
    "day": ("Ngày", "Day"),
    "service": ("Dịch vụ", "Service"),
    "counter": ("Quầy", "Counter"),
    "staff": ("Cán bộ", "Official"),
    "hour": ("Giờ (giờ địa phương)", "Hour (local)"),
}
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "day": ("Theo ngày", "By day"),
    "service": ("Theo dịch vụ", "By service"),
    "counter": ("Theo quầy", "By counter"),
    "staff": ("Theo cán bộ", "By official"),
    "hour": ("Theo giờ", "By hour"),
}


def group_header(by: Grouping, lang: str = "vi") -> str:
    vi, en = GROUP_HEADERS[by]
    return pick(lang, vi, en)


def title(report: Report, lang: str = "vi") -> str:
    q = report.query
    period = pick(lang, f"từ {q.start:%d/%m/%Y} đến {q.end:%d/%m/%Y}", f"{q.start.isoformat()} to {q.end.isoformat()}")
    return pick(lang, f"Báo cáo {period} — lọc: {q.filters_text(lang)}",
                f"Report {period} — filter: {q.filters_text(lang)}")


def shown(col: Column, value: Any, lang: str = "vi") -> str:
    """A value as text: counts whole, minutes to one decimal, shares as percent; an empty figure as "–"."""
    if value is None:
        return "–"
    if col.kind == "count":
        return f"{value:,}".replace(",", "." if lang == "vi" else ",")
    if col.kind == "share":
        return percent(value, lang)
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "vi" else text


def percent(share: float | None, lang: str = "vi") -> str:
    """A share as a percentage to one decimal (a decimal comma in Vietnamese); none as "–"."""
    if share is None:
        return "–"
    text = f"{share * 100:.1f}%"
    return text.replace(".", ",") if lang == "vi" else text


# ---------------------------------------------------------------- table


def grid(header: list[str], rows: list[list[str]], total: bool = False) -> list[str]:
    """Columns aligned for a terminal, the first to the left and the others to the right, with a rule under
    the header (and with ``total``, one above the last row). The dossier and feedback tables use it too."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells)).rstrip()

    rule = line(["-" * w for w in widths])
    body = [line(r) for r in rows]
    if total and body:
        body.insert(len(body) - 1, rule)
    return [line(header), rule, *body]


def to_table(report: Report, lang: str = "vi", label_width: int = 30) -> str:
    rows = [[_cut(f.name(lang), label_width)] + [shown(c, c.value(f), lang) for c in COLUMNS]
            for f in [*report.groups, report.total]]
    header = [group_header(report.by, lang)] + [c.header(lang, short=True) for c in COLUMNS]
    out = [report.centre, title(report, lang), "", *grid(header, rows, total=True), "", _legend(lang)]
    if report.grants:
        out += ["", pick(lang, "Số ưu tiên theo nhóm và người xác nhận:",
                         "Priority tickets by group and who granted them:")]
        for g in report.grants:
            who = g.granted_by_name or pick(lang, "tự chọn tại kiosk", "chosen at the kiosk")
            out.append(f"  {pick(lang, g.group_name, g.group_name_en)} — {who}: {g.count}")
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend(lang: str) -> str:
    pairs = [f"{c.header(lang, short=True)} = {c.header(lang)}" for c in COLUMNS
             if c.header(lang, short=True) != c.header(lang)]
    return pick(lang, "Chú thích: ", "Legend: ") + "; ".join(pairs) + "."


# ---------------------------------------------------------------- CSV


def csv_value(col: Column, value: Any) -> Any:
    if value is None:
        return ""
    if col.kind == "minutes":
        return f"{value:.2f}"
    if col.kind == "share":
        return f"{value * 100:.1f}"
    return value


def to_csv(report: Report, lang: str = "vi") -> str:
    """One row per group and a total row; minutes with a decimal point, shares in percent."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    headers = [pick(lang, "Mã", "Key"), group_header(report.by, lang)]
    headers += [c.header(lang) + (" (%)" if c.kind == "share" else "") for c in COLUMNS]
    w.writerow(headers)
    for f in [*report.groups, report.total]:
        key = "TOTAL" if f is report.total else ("" if f.key is None else f.key)
        w.writerow([key, f.name(lang)] + [csv_value(c, c.value(f)) for c in COLUMNS])
    return buf.getvalue()


# ---------------------------------------------------------------- JSON


def to_json(report: Report, more: dict[str, Any] | None = None) -> str:
    """The report as JSON; ``more``: other figures under their own keys (``dossiers``, ``feedback``)."""
    data = report.to_json()
    data["units"] = {"times": "seconds", "shares": "fraction 0–1"}
    data.update(more or {})
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
