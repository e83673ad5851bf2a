"""The feedback figures (``lobby.reports.feedback``) as text, CSV, JSON, workbook sheets and a chart of reasons."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from lobby.i18n import pick
from lobby.queue.views import RATINGS
from lobby.reports.feedback import GROUPINGS, HEADERS, FeedbackGrouping, FeedbackReport, ReasonRow
from lobby.reports.formats import grid, percent

if TYPE_CHECKING:
    from openpyxl import Workbook

RATING_NAMES = {"very_satisfied": ("Rất hài lòng", "Very satisfied"), "satisfied": ("Hài lòng", "Satisfied"),
                "not_satisfied": ("Không hài lòng", "Not satisfied")}
CHANNEL_NAMES = {"counter": ("Tại quầy", "At the counter"), "phone": ("Trên điện thoại", "On the phone")}
REMARK_ROWS = (("received", "Góp ý nhận được", "Remarks received"), ("anonymous", "Không ghi tên", "Anonymous"),
               ("with_contact", "Có để lại liên hệ", "With a contact"),
               ("handled", "Đã trả lời hoặc đóng", "Answered or closed"),
               ("on_time", "Xử lý đúng hạn", "Handled on time"), ("overdue_now", "Đang quá hạn", "Overdue now"),
               ("open_in_time", "Đang xử lý, còn hạn", "Open, still in time"))


def _reason_names(r: FeedbackReport, lang: str) -> list[str]:
    return [pick(lang, vi, en) for _, vi, en in r.reasons]


def _reason_cells(row: ReasonRow, r: FeedbackReport) -> list[str]:
    return [str(row.counts.get(code, 0)) for code, _, _ in r.reasons]


def to_table(r: FeedbackReport, lang: str = "vi", by: FeedbackGrouping = "service") -> str:
    out = [pick(lang, "Lý do đánh giá (mọi mức; trong ngoặc: số lần đi kèm «Không hài lòng»)",
                "Reasons given (every rating; in brackets: with \"Not satisfied\")")]
    header = [pick(lang, *HEADERS[by]), *_reason_names(r, lang)]
    rows = [[g.name(lang)[:40], *[f"{g.counts.get(c, 0)} ({g.unhappy.get(c, 0)})" for c, _, _ in r.reasons]]
            for g in [*r.groups.get(by, []), r.total]]
    out += grid(header, rows)
    out += ["", pick(lang, "Đánh giá theo kênh", "Ratings per channel")]
    header = [pick(lang, "Kênh", "Channel"), *[pick(lang, *RATING_NAMES[v]) for v in RATINGS]]
    out += grid(header, [[pick(lang, *CHANNEL_NAMES.get(ch, (ch, ch))), *[str(n.get(v, 0)) for v in RATINGS]]
                          for ch, n in r.channels.items()])
    out += ["", pick(lang, "Góp ý, phản ánh", "Remarks and complaints")]
    out += grid([pick(lang, "Chỉ tiêu", "Figure"), pick(lang, "Số lượng", "Count")],
                 [[pick(lang, vi, en), str(getattr(r.remarks, k))] for k, vi, en in REMARK_ROWS]
                 + [[pick(lang, "Tỷ lệ xử lý đúng hạn", "Handled on time (share)"),
                     percent(r.remarks.on_time_share, lang)]])
    return "\n".join(out) + "\n"


def to_csv(r: FeedbackReport, lang: str = "vi", by: FeedbackGrouping = "service") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([pick(lang, "Mã", "Key"), pick(lang, *HEADERS[by]), *_reason_names(r, lang)])
    for g in [*r.groups.get(by, []), r.total]:
        w.writerow([g.key, g.name(lang), *_reason_cells(g, r)])
    w.writerow([])
    w.writerow([pick(lang, "Kênh", "Channel"), *[pick(lang, *RATING_NAMES[v]) for v in RATINGS]])
    for ch, n in r.channels.items():
        w.writerow([ch, *[n.get(v, 0) for v in RATINGS]])
    w.writerow([])
    for k, vi, en in REMARK_ROWS:
        w.writerow([k, pick(lang, vi, en), getattr(r.remarks, k)])
    return buf.getvalue()


def add_to_text(text: str, fmt: str, r: FeedbackReport, lang: str, by: str) -> str:
    """The report's table or CSV with the feedback figures after it (JSON: ``formats.to_json``)."""
    if r.empty:
        return text
    grouping: FeedbackGrouping = by if by in GROUPINGS else "service"
    if fmt == "csv":
        return text + "\r\n" + to_csv(r, lang, grouping)
    return text + "\n" + to_table(r, lang, grouping)


def add_to_workbook(wb: Workbook, r: FeedbackReport, lang: str = "vi") -> None:
    """Add the sheets to the report's workbook: reasons by service, counter and official; ratings per channel;
    remarks."""
    if r.empty:
        return
    from lobby.reports.xlsx import HEAD_FILL, HEAD_FONT

    def sheet(title: str, header: list[str], rows: list[list[object]]) -> None:
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        ws.freeze_panes = "B2"
        ws.column_dimensions["A"].width = 40

    names = _reason_names(r, lang)
    for by in GROUPINGS:
        sheet(pick(lang, f"Lý do theo {HEADERS[by][0].lower()}", f"Reasons by {by}"), [pick(lang, *HEADERS[by]),
              *names, *[pick(lang, "Không hài lòng: ", "Not satisfied: ") + n for n in names]],
              [[g.name(lang), *[g.counts.get(c, 0) for c, _, _ in r.reasons],
                *[g.unhappy.get(c, 0) for c, _, _ in r.reasons]] for g in [*r.groups[by], r.total]])
    sheet(pick(lang, "Đánh giá theo kênh", "Ratings per channel"),
          [pick(lang, "Kênh", "Channel"), *[pick(lang, *RATING_NAMES[v]) for v in RATINGS]],
          [[pick(lang, *CHANNEL_NAMES.get(ch, (ch, ch))), *[n.get(v, 0) for v in RATINGS]]
           for ch, n in r.channels.items()])
    sheet(pick(lang, "Góp ý, phản ánh", "Remarks"), [pick(lang, "Chỉ tiêu", "Figure"), pick(lang, "Số lượng", "Count")],
          [[pick(lang, vi, en), getattr(r.remarks, k)] for k, vi, en in REMARK_ROWS]
          + [[pick(lang, "Tỷ lệ xử lý đúng hạn", "Handled on time (share)"), r.remarks.on_time_share]])


def write_chart(out: Path, r: FeedbackReport, lang: str = "vi") -> list[Path]:
    """One PNG (none without reasons): how often each reason came with "Not satisfied", per service."""
    if not r.total.unhappy:
        return []
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from lobby.reports.charts import bundled_fonts

    path = (out / "reasons.png") if out.suffix.lower() != ".png" else out.with_name(out.stem + "-reasons.png")
    codes = [c for c, _, _ in r.reasons]
    labels = _reason_names(r, lang)
    services = [g for g in r.groups["service"] if g.unhappy]
    colours = ["#1F4E79", "#C62828", "#F9A825", "#2E7D32", "#6A1B9A", "#00838F", "#8D6E63", "#5C6BC0"]
    with bundled_fonts() as fonts:
        fig = Figure(figsize=(13, 0.55 * max(len(codes), 4) + 2.4), dpi=110)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        ys = list(range(len(codes)))
        left = [0] * len(codes)
        for i, g in enumerate(services):
            values = [g.unhappy.get(c, 0) for c in codes]
            ax.barh(ys, values, left=left, color=colours[i % len(colours)], label=g.name(lang)[:30])
            left = [a + b for a, b in zip(left, values, strict=True)]
        for y, total in zip(ys, left, strict=True):
            if total:
                ax.text(total, y, f" {total}", va="center", fontproperties=fonts.sized(10, bold=True))
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        for label in ax.get_yticklabels():
            label.set_fontproperties(fonts.sized(11))
        ax.set_xlabel(pick(lang, "Số lần được chọn cùng «Không hài lòng»", "Times chosen with \"Not satisfied\""),
                      fontproperties=fonts.regular)
        ax.set_xlim(0, max(left) * 1.08 + 0.5)
        ax.legend(prop=fonts.sized(9), loc="upper left", bbox_to_anchor=(1.01, 1.0),
                  title=pick(lang, "Dịch vụ", "Service"), title_fontproperties=fonts.sized(9, bold=True))
        ax.set_title(pick(lang, f"Lý do chưa hài lòng {r.start:%d/%m/%Y}–{r.end:%d/%m/%Y}",
                          f"Reasons for dissatisfaction {r.start.isoformat()} to {r.end.isoformat()}"),
                     fontproperties=fonts.sized(13, bold=True))
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
    return [path]
