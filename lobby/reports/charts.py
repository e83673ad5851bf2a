"""Charts of a report as PNG (matplotlib, Agg): busy hours, waits per service, satisfaction per official.

Every text is drawn with the DejaVu fonts bundled in ``lobby.fonts`` (read
through importlib.resources, never a system font), so the Vietnamese diacritics
come out the same on every machine. Each chart is ``SIZE_PX`` pixels.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

from lobby.fonts import BOLD, REGULAR, font_path  # noqa: E402
from lobby.i18n import (
    pick,  # noqa: E402
    weekday_name,  # noqa: E402
)
from lobby.reports.results import Heatmap, Report  # noqa: E402

SIZE_PX = (1200, 700)
DPI = 100
CHART_NAMES = ("arrivals-heatmap", "wait-by-service", "satisfaction-by-official")
COLOURS = {"very_satisfied": "#2e7d32", "satisfied": "#8bc34a", "not_satisfied": "#e53935",
           "median": "#1f77b4", "p90": "#9ecae1", "target": "#d62728"}


@dataclass(frozen=True)
class Fonts:
    regular: FontProperties
    bold: FontProperties

    def sized(self, size: float, bold: bool = False) -> FontProperties:
        fp = (self.bold if bold else self.regular).copy()
        fp.set_size(size)
        return fp


@contextmanager
def bundled_fonts() -> Iterator[Fonts]:
    with font_path(REGULAR) as regular, font_path(BOLD) as bold:
        yield Fonts(FontProperties(fname=str(regular)), FontProperties(fname=str(bold)))


def _figure() -> Figure:
    fig = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _period(report: Report, lang: str) -> str:
    q = report.query
    text = pick(lang, f"{report.centre} · từ {q.start:%d/%m/%Y} đến {q.end:%d/%m/%Y}",
                f"{report.centre} · {q.start.isoformat()} to {q.end.isoformat()}")
    if q.service or q.counter is not None or q.staff:
        text += f" · {q.filters_text(lang)}"
    return text


def _titles(fig: Figure, fonts: Fonts, main: str, sub: str) -> None:
    fig.text(0.02, 0.965, main, fontproperties=fonts.sized(17, bold=True), va="top")
    fig.text(0.02, 0.915, sub, fontproperties=fonts.sized(10.5), va="top", color="#555555")


def _ticks(ax: Axes, fonts: Fonts, size: float = 10) -> None:
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontproperties(fonts.sized(size))


def _empty(ax: Axes, fonts: Fonts, lang: str) -> None:
    ax.text(0.5, 0.5, pick(lang, "Không có dữ liệu trong khoảng này", "No data in this range"),
            ha="center", va="center", fontproperties=fonts.sized(14), transform=ax.transAxes)
    ax.set_axis_off()


def arrivals_heatmap_png(path: Path, report: Report, h: Heatmap, fonts: Fonts, lang: str = "vi") -> Path:
    fig = _figure()
    _titles(fig, fonts, pick(lang, "Lượt đến theo giờ và thứ trong tuần", "Arrivals by hour and weekday"),
            _period(report, lang) + pick(lang, " · trung bình mỗi ngày, giờ địa phương", " · mean per day, local time"))
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.72))
    if not h.counts:
        _empty(ax, fonts, lang)
    else:
        hours, days = h.hours, h.weekdays
        grid = [[h.mean(d, hr) for hr in hours] for d in days]
        peak = max(max(row) for row in grid) or 1.0
        image = ax.imshow(grid, aspect="auto", cmap="YlOrRd", vmin=0, vmax=peak)
        ax.set_xticks(range(len(hours)), [f"{hr:02d}h" for hr in hours])
        ax.set_yticks(range(len(days)), [weekday_name(d, lang) for d in days])
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v:
                    ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontproperties=fonts.sized(10),
                            color="white" if v > peak * 0.6 else "#222222")
        ax.set_xlabel(pick(lang, "Giờ trong ngày", "Hour of the day"), fontproperties=fonts.sized(11))
        _ticks(ax, fonts, 10.5)
        cax = fig.add_axes((0.915, 0.1, 0.018, 0.72))
        bar = fig.colorbar(image, cax=cax)
        bar.set_label(pick(lang, "Số lượt đến trung bình", "Mean arrivals"), fontproperties=fonts.sized(10.5))
        for label in bar.ax.get_yticklabels():
            label.set_fontproperties(fonts.sized(9.5))
    fig.savefig(path, dpi=DPI)
    return path


def wait_by_service_png(path: Path, report: Report, fonts: Fonts, lang: str = "vi",
                        targets: dict[str, int] | None = None) -> Path:
    """Median and 90th-percentile wait per service, with each service's target wait marked."""
    fig = _figure()
    _titles(fig, fonts, pick(lang, "Thời gian chờ theo dịch vụ", "Waiting time per service"),
            _period(report, lang) + pick(lang, " · từ lúc lấy số đến lần gọi đầu, phút",
                                         " · from issue to first call, minutes"))
    ax = fig.add_axes((0.3, 0.11, 0.66, 0.72))
    groups = [g for g in report.groups if g.wait_median_s is not None]
    if not groups:
        _empty(ax, fonts, lang)
    else:
        groups = groups[::-1]
        ys = list(range(len(groups)))
        p90 = [(g.wait_p90_s or 0) / 60 for g in groups]
        med = [(g.wait_median_s or 0) / 60 for g in groups]
        ax.barh(ys, p90, height=0.7, color=COLOURS["p90"],
                label=pick(lang, "9 trên 10 số được gọi trong vòng", "9 in 10 numbers called within"))
        ax.barh(ys, med, height=0.42, color=COLOURS["median"],
                label=pick(lang, "Một nửa số được gọi trong vòng", "Half the numbers called within"))
        for y, m, p in zip(ys, med, p90, strict=True):
            ax.text(p + 0.6, y, f"{m:.0f} / {p:.0f}", va="center", fontproperties=fonts.sized(11.5, bold=True),
                    color="#222222")
        if targets:
            xs = [targets.get(g.key or "", 0) for g in groups]
            ax.scatter(xs, ys, marker="|", s=900, linewidths=2.5, color=COLOURS["target"], zorder=3,
                       label=pick(lang, "Thời gian chờ mục tiêu", "Target wait"))
        ax.set_yticks(ys, [_short(g.name(lang), 44) for g in groups])
        ax.set_xlabel(pick(lang, "Phút (số bên phải mỗi thanh: một nửa / 9 trên 10 số được gọi trong vòng … phút)",
                           "Minutes (right of each bar: half / 9 in 10 numbers called within … min)"),
                      fontproperties=fonts.sized(11))
        ax.set_xlim(0, max(p90 + list((targets or {}).values()) + [1]) * 1.18)
        ax.grid(axis="x", color="#dddddd")
        ax.set_axisbelow(True)
        ax.legend(prop=fonts.sized(10), loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3, frameon=False)
        ax.set_position((0.3, 0.17, 0.66, 0.66))
        _ticks(ax, fonts, 10.5)
    fig.savefig(path, dpi=DPI)
    return path


def satisfaction_by_official_png(path: Path, report: Report, fonts: Fonts, lang: str = "vi", limit: int = 20) -> Path:
    """Each official's ratings as shares of very satisfied, satisfied and not satisfied (most satisfied on top)."""
    fig = _figure()
    _titles(fig, fonts, pick(lang, "Mức độ hài lòng theo cán bộ", "Satisfaction per official"),
            _period(report, lang) + pick(lang, " · tỷ lệ trong các lượt đánh giá", " · share of ratings"))
    ax = fig.add_axes((0.25, 0.11, 0.66, 0.72))
    groups = [g for g in report.groups if g.key is not None and g.rated > 0]
    groups.sort(key=lambda g: (g.satisfied_share or 0, g.very_satisfied / g.rated))
    groups = groups[-limit:]
    if not groups:
        _empty(ax, fonts, lang)
    else:
        ys = list(range(len(groups)))
        left = [0.0] * len(groups)
        for key, vi, en in (("very_satisfied", "Rất hài lòng", "Very satisfied"),
                            ("satisfied", "Hài lòng", "Satisfied"),
                            ("not_satisfied", "Không hài lòng", "Not satisfied")):
            shares = [getattr(g, key) / g.rated * 100 for g in groups]
            ax.barh(ys, shares, left=left, height=0.7, color=COLOURS[key], label=pick(lang, vi, en))
            left = [a + b for a, b in zip(left, shares, strict=True)]
        for y, g in zip(ys, groups, strict=True):
            share = (g.satisfied_share or 0) * 100
            ax.text(101, y, f"{share:.0f}% · {g.rated}", va="center", fontproperties=fonts.sized(11, bold=True))
        ax.set_yticks(ys, [_short(g.name(lang), 28) for g in groups])
        ax.set_xlim(0, 100)
        ax.set_xlabel(pick(lang, "% lượt đánh giá (bên phải: % hài lòng và rất hài lòng · số lượt đánh giá)",
                           "% of ratings (right: % satisfied or very satisfied · number of ratings)"),
                      fontproperties=fonts.sized(11))
        ax.legend(prop=fonts.sized(10), loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3, frameon=False)
        fig.subplots_adjust(bottom=0.2)
        ax.set_position((0.25, 0.16, 0.62, 0.67))
        _ticks(ax, fonts, 10.5)
    fig.savefig(path, dpi=DPI)
    return path


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def chart_paths(out: Path) -> list[Path]:
    """Where the three charts go: ``out`` is a directory, or a ``.png`` name whose stem prefixes each chart."""
    if out.suffix.lower() == ".png":
        return [out.with_name(f"{out.stem}-{name}.png") for name in CHART_NAMES]
    return [out / f"{name}.png" for name in CHART_NAMES]


def write_charts(out: Path, by_service: Report, by_staff: Report, heatmap: Heatmap, lang: str = "vi",
                 targets: dict[str, int] | None = None) -> list[Path]:
    paths = chart_paths(out)
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    with bundled_fonts() as fonts:
        arrivals_heatmap_png(paths[0], by_service, heatmap, fonts, lang)
        wait_by_service_png(paths[1], by_service, fonts, lang, targets)
        satisfaction_by_official_png(paths[2], by_staff, fonts, lang)
    return paths
