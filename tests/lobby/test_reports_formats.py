"""Each output format of the hand-built history (see test_reports.py), on both stores, through the CLI."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from test_reports import EXPECTED, TOTAL, build_history

from lobby import cli
from lobby.config import CentreConfig
from lobby.reports.charts import SIZE_PX
from lobby.store.engine import Store

RANGE = ["--from", "2025-03-03", "--to", "2025-03-04"]


@pytest.fixture
def history_url(store_url: str, cfg: CentreConfig) -> str:
    store = Store(store_url)
    try:
        build_history(store, cfg)
    finally:
        store.dispose()
    return store_url


def run(url: str, *argv: str, lang: str = "vi") -> int:
    return cli.main(["--db", url, "--lang", lang, *argv])


def test_table(history_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(history_url, "report", *RANGE, "--by", "service") == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1] == "Báo cáo từ 03/03/2025 đến 04/03/2025 — lọc: tất cả"
    dkkd = next(line for line in lines if line.startswith("Đăng ký kinh doanh"))
    # issued 5, served 4, no-show 1; waits 11,0 / 10,0 / 19,8 / 23,0 min; within 75,0%; satisfied 66,7%
    assert dkkd.split()[4:20] == ["5", "4", "1", "0", "0", "0", "0", "11,0", "10,0", "19,8", "23,0", "10,5", "9,0",
                                  "17,0", "75,0%", "1"]
    total = next(line for line in lines if line.startswith("Tổng cộng"))
    assert total.split()[2:9] == ["10", "6", "1", "1", "1", "1", "1"]
    assert "Người có công với cách mạng — Lê Văn Cường: 1" in out


def test_table_in_english(history_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(history_url, "report", *RANGE, "--by", "hour", lang="en") == 0
    out = capsys.readouterr().out
    assert "Report 2025-03-03 to 2025-03-04 — filter: all" in out
    row = next(line for line in out.splitlines() if line.startswith("08:00–09:00"))
    assert row.split()[1:3] == ["5", "5"]


@pytest.mark.parametrize("by", ["day", "service", "counter", "staff", "hour"])
def test_csv(history_url: str, tmp_path: Path, by: str) -> None:
    out = tmp_path / "r.csv"
    assert run(history_url, "report", *RANGE, "--by", by, "--format", "csv", "--out", str(out)) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["Mã"] for r in rows] == [k or "" for k in EXPECTED[by]] + ["TOTAL"]
    for r in rows[:-1]:
        want = EXPECTED[by][r["Mã"] or None]
        assert int(r["Số đã cấp"]) == want["issued"]
        assert int(r["Chuyển đi"]) == want["transferred"]
        median = want["wait_median_s"]
        assert r["Chờ trung vị (phút)"] == ("" if median is None else f"{median / 60:.2f}")
    assert rows[-1]["Chờ P90 (phút)"] == f"{1416 / 60:.2f}"
    assert rows[-1]["Đạt thời gian chờ mục tiêu (%)"] == "66.7"


@pytest.mark.parametrize("by", ["day", "service", "counter", "staff", "hour"])
def test_json(history_url: str, capsys: pytest.CaptureFixture[str], by: str) -> None:
    assert run(history_url, "report", *RANGE, "--by", by, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == by and data["from"] == "2025-03-03" and data["units"]["times"] == "seconds"
    assert [g["key"] for g in data["groups"]] == list(EXPECTED[by])
    for g in data["groups"]:
        for name, want in EXPECTED[by][g["key"]].items():
            assert g[name] == pytest.approx(want), (g["key"], name)
    for name, want in TOTAL.items():
        assert data["total"][name] == pytest.approx(want), name
    assert data["total"]["satisfied_share"] == pytest.approx(0.8)


def test_xlsx(history_url: str, tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    assert run(history_url, "report", *RANGE, "--format", "xlsx", "--out", str(out)) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Theo ngày", "Theo dịch vụ", "Theo quầy", "Theo cán bộ", "Theo giờ",
                             "Lượt đến theo giờ"]
    summary = wb["Tổng hợp"]
    values = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=2) for r in range(6, 30)}
    assert values["Số đã cấp"].value == 10
    assert values["Chờ P90 (phút)"].value == pytest.approx(1416 / 60)
    assert values["Chờ P90 (phút)"].number_format == "0.0"
    assert values["Tỷ lệ hài lòng"].value == pytest.approx(0.8)
    assert values["Tỷ lệ hài lòng"].number_format == "0.0%"
    grants = [(summary.cell(row=r, column=1).value, summary.cell(row=r, column=2).value,
               summary.cell(row=r, column=3).value) for r in range(30, 33)]
    assert ("Người có công với cách mạng", "Lê Văn Cường", 1) in grants

    for sheet, by in (("Theo ngày", "day"), ("Theo dịch vụ", "service"), ("Theo quầy", "counter"),
                      ("Theo cán bộ", "staff"), ("Theo giờ", "hour")):
        ws = wb[sheet]
        assert ws.freeze_panes == "B2"
        headers = [c.value for c in ws[1]]
        assert headers[1:4] == ["Số đã cấp", "Đã phục vụ", "Vắng mặt"]
        col = {h: i for i, h in enumerate(headers)}
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(EXPECTED[by]) + 1
        for row, want in zip(rows, EXPECTED[by].values(), strict=False):
            assert row[col["Số đã cấp"]] == want["issued"]
            median = want["wait_median_s"]
            assert row[col["Chờ trung vị (phút)"]] == (None if median is None else pytest.approx(median / 60))
        assert rows[-1][0] == "Tổng cộng" and rows[-1][col["Số đã cấp"]] == 10
        assert ws.cell(row=2, column=col["Đạt thời gian chờ mục tiêu"] + 1).number_format == "0.0%"
    day = wb["Theo ngày"]
    assert day["A2"].number_format == "dd/mm/yyyy" and day["A2"].value.date().isoformat() == "2025-03-03"
    heat = wb["Lượt đến theo giờ"]
    assert [c.value for c in heat[2]][:3] == ["Thứ", "08:00", "09:00"]
    assert [c.value for c in heat[3]][:4] == ["Thứ Hai", 3, 2, 1]


def test_png(history_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(history_url, "report", *RANGE, "--format", "png", "--out", str(tmp_path / "charts")) == 0
    paths = [Path(p) for p in capsys.readouterr().out.split()]
    assert [p.name for p in paths] == ["arrivals-heatmap.png", "wait-by-service.png", "satisfaction-by-official.png"]
    for p in paths:
        with Image.open(p) as im:
            assert im.size == SIZE_PX
            assert len(im.getcolors(1 << 16) or []) > 20  # drawn, not blank
    assert run(history_url, "report", *RANGE, "--format", "png", "--out", str(tmp_path / "x.png"), lang="en") == 0
    assert (tmp_path / "x-wait-by-service.png").exists()


def test_png_of_an_empty_range(history_url: str, tmp_path: Path) -> None:
    assert run(history_url, "report", "--from", "2024-01-01", "--to", "2024-01-31", "--format", "png",
               "--out", str(tmp_path)) == 0
    with Image.open(tmp_path / "arrivals-heatmap.png") as im:
        assert im.size == SIZE_PX


def test_cli_errors(history_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run(history_url, "report", "--from", "03/03/2025", "--to", "2025-03-04")
    assert exc.value.code == 2
    assert "argument --from" in capsys.readouterr().err
    assert run(history_url, "report", "--from", "2025-03-04", "--to", "2025-03-03") == 2
    assert "--from (04/03/2025) phải trước hoặc bằng --to (03/03/2025)" in capsys.readouterr().err
    assert run(history_url, "report", *RANGE, "--service", "XYZ") == 2
    assert "XYZ" in capsys.readouterr().err
    assert run(history_url, "report", *RANGE, "--staff", "nobody") == 2
    assert "nobody" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(history_url, "report", *RANGE, "--counter", "abc")
    assert "argument --counter" in capsys.readouterr().err


def test_no_qt() -> None:
    code = ("import sys, lobby.reports.figures, lobby.reports.formats, lobby.reports.xlsx, lobby.reports.charts, "
            "lobby.reports.command, lobby.reports.demo_history; assert 'PySide6' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
