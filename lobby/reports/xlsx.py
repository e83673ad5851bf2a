"""The report as an Excel workbook (openpyxl): a summary sheet, one sheet per grouping, the busy hours.

Headers are frozen and filterable; counts, minutes and percentages carry number
formats, so the cells stay numbers a manager can sum and chart.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lobby.i18n import pick, weekday_name
from lobby.reports.formats import COLUMNS, SHEET_NAMES, Column, group_header, title
from lobby.reports.results import Figures, Grouping, Heatmap, Report

FORMATS = {"count": "#,##0", "minutes": "0.0", "share": "0.0%"}
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
HEAD_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="9BC2E6")


def write_xlsx(path: Path, reports: dict[Grouping, Report], heatmap: Heatmap | None = None, lang: str = "vi",
               more: Iterable[Callable[[Workbook], None]] = ()) -> Path:
    """Write the workbook: summary first, then each grouping's sheet, then arrivals per weekday and hour, then
    the sheets ``more`` adds (the dossier and feedback figures); saved once."""
    any_report = next(iter(reports.values()))
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = pick(lang, "Tổng hợp", "Summary")
    _summary(summary, any_report, lang)
    for by, report in reports.items():
        _grouping(wb.create_sheet(pick(lang, *SHEET_NAMES[by])), report, lang)
    if heatmap is not None:
        _heatmap(wb.create_sheet(pick(lang, "Lượt đến theo giờ", "Arrivals by hour")), heatmap, lang)
    for add in more:
        add(wb)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _value(col: Column, f: Figures) -> float | int | None:
    v = col.value(f)
    return None if v is None else v


def _summary(ws: Worksheet, report: Report, lang: str) -> None:
    ws["A1"] = report.centre
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = title(report, lang)
    ws["A3"] = pick(lang, "Lập lúc", "Made at")
    ws["B3"] = datetime.now().replace(microsecond=0)
    ws["B3"].number_format = "dd/mm/yyyy hh:mm"
    ws["B3"].alignment = Alignment(horizontal="left")
    row = 5
    for col_i, text in enumerate((pick(lang, "Chỉ số", "Figure"), pick(lang, "Giá trị", "Value")), start=1):
        _head(ws.cell(row=row, column=col_i, value=text))
    for col in COLUMNS:
        row += 1
        ws.cell(row=row, column=1, value=col.header(lang))
        cell = ws.cell(row=row, column=2, value=_value(col, report.total))
        cell.number_format = FORMATS[col.kind]
    row += 2
    heads = (pick(lang, "Nhóm ưu tiên", "Priority group"), pick(lang, "Người xác nhận", "Granted by"),
             pick(lang, "Số lượng", "Tickets"))
    for col_i, text in enumerate(heads, start=1):
        _head(ws.cell(row=row, column=col_i, value=text))
    for g in report.grants:
        row += 1
        ws.cell(row=row, column=1, value=pick(lang, g.group_name, g.group_name_en))
        ws.cell(row=row, column=2, value=g.granted_by_name or pick(lang, "Tự chọn tại kiosk", "Chosen at the kiosk"))
        ws.cell(row=row, column=3, value=g.count).number_format = FORMATS["count"]
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 12
    ws.freeze_panes = "A6"


def _head(cell: object) -> None:
    cell.font = HEAD_FONT  # type: ignore[attr-defined]
    cell.fill = HEAD_FILL  # type: ignore[attr-defined]
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")  # type: ignore[attr-defined]
    cell.border = Border(bottom=THIN)  # type: ignore[attr-defined]


def _grouping(ws: Worksheet, report: Report, lang: str) -> None:
    headers = [group_header(report.by, lang)] + [c.header(lang) for c in COLUMNS]
    for i, text in enumerate(headers, start=1):
        _head(ws.cell(row=1, column=i, value=text))
    ws.row_dimensions[1].height = 45
    for r, f in enumerate(report.groups, start=2):
        first = ws.cell(row=r, column=1)
        if report.by == "day" and f.key:
            first.value = date.fromisoformat(f.key)
            first.number_format = "dd/mm/yyyy"
            first.alignment = Alignment(horizontal="left")
        else:
            first.value = f.name(lang)
        for c, col in enumerate(COLUMNS, start=2):
            ws.cell(row=r, column=c, value=_value(col, f)).number_format = FORMATS[col.kind]
    total_row = len(report.groups) + 2
    ws.cell(row=total_row, column=1, value=report.total.name(lang))
    for c, col in enumerate(COLUMNS, start=2):
        ws.cell(row=total_row, column=c, value=_value(col, report.total)).number_format = FORMATS[col.kind]
    for c in range(1, len(headers) + 1):
        cell = ws.cell(row=total_row, column=c)
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(2, total_row - 1)}"
    widest = max([len(f.name(lang)) for f in report.groups] + [len(headers[0]), 12])
    ws.column_dimensions["A"].width = min(44, widest + 2)
    for c in range(2, len(headers) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13


def _heatmap(ws: Worksheet, h: Heatmap, lang: str) -> None:
    ws["A1"] = pick(lang, "Số lượt đến trung bình mỗi ngày, theo thứ và giờ (giờ địa phương)",
                    "Average arrivals per day, by weekday and local hour")
    ws["A1"].font = Font(bold=True)
    hours = h.hours
    _head(ws.cell(row=2, column=1, value=pick(lang, "Thứ", "Weekday")))
    for j, hour in enumerate(hours, start=2):
        _head(ws.cell(row=2, column=j, value=f"{hour:02d}:00"))
        ws.column_dimensions[get_column_letter(j)].width = 8
    for i, wd in enumerate(h.weekdays, start=3):
        ws.cell(row=i, column=1, value=weekday_name(wd, lang))
        for j, hour in enumerate(hours, start=2):
            ws.cell(row=i, column=j, value=round(h.mean(wd, hour), 2)).number_format = "0.0"
    ws.column_dimensions["A"].width = 14
    ws.freeze_panes = "B3"
    if hours and h.weekdays:
        ref = f"B3:{get_column_letter(len(hours) + 1)}{len(h.weekdays) + 2}"
        ws.conditional_formatting.add(ref, ColorScaleRule(start_type="min", start_color="FFFFFF",
                                                          end_type="max", end_color="C00000"))
