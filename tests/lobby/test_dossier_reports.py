"""Dossier figures (both stores): received, returned, on time, overdue now, visits saved; in every report format."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from dossier_support import dossier_config, vn
from openpyxl import load_workbook

from lobby import cli, dossiers
from lobby.config import CentreConfig
from lobby.dossiers.kiosk_check import check_results
from lobby.reports.dossiers import dossier_report
from lobby.staffing import staff
from lobby.store.engine import Store
from support import DEMO_CONFIG

NOW = vn(2026, 12, 10, 12)


def _history(store: Store, cfg: CentreConfig) -> None:
    with store.session() as s:
        staff.add_staff(s, "an", "Nguyễn Văn An", "official", "135790")
    with store.session() as s:
        an = staff.list_staff(s)[0].id
    # November: HS-1 ready on time and returned; HS-2 ready late and returned; HS-3 returned in December.
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-1", "HT", staff_id=an, now=vn(2026, 11, 2, 9))  # promised 4/11 16:00
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-2", "HT", staff_id=an, now=vn(2026, 11, 2, 10))
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-3", "DKKD", now=vn(2026, 11, 30, 9))  # promised 3/12 16:00
    with store.session() as s:
        check_results(s, cfg, "HS-1", now=vn(2026, 11, 3, 8))  # not ready: a visit saved
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-1"], now=vn(2026, 11, 4, 16))  # exactly at the promise: on time
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-2"], now=vn(2026, 11, 4, 16, 1))
    with store.session() as s:
        dossiers.mark_returned(s, cfg, "HS-1", now=vn(2026, 11, 5, 9))
    with store.session() as s:
        dossiers.mark_returned(s, cfg, "HS-2", now=vn(2026, 11, 6, 9))
    with store.session() as s:
        dossiers.mark_ready(s, cfg, ["HS-3"], now=vn(2026, 12, 1, 9))
    with store.session() as s:
        dossiers.mark_returned(s, cfg, "HS-3", now=vn(2026, 12, 2, 9))
    # December: HS-4 still not ready past its promise (overdue now), HS-5 in time.
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-4", "DKKD", staff_id=an, now=vn(2026, 12, 1, 9))  # promised 4/12 16:00
    with store.session() as s:
        dossiers.receive(s, cfg, "HS-5", "DD", now=vn(2026, 12, 1, 9))


def test_figures_by_service_official_and_month(store: Store) -> None:
    cfg = dossier_config()
    _history(store, cfg)
    r = dossier_report(store, cfg, date(2026, 11, 1), date(2026, 12, 31), now=NOW)
    t = r.total
    assert (t.received, t.returned, t.on_time, t.overdue_now, t.visits_saved) == (5, 3, 2, 1, 1)
    assert t.on_time_share == pytest.approx(2 / 3)
    service = {f.key: (f.received, f.returned, f.on_time, f.overdue_now, f.visits_saved) for f in r.groups["service"]}
    assert service == {"DKKD": (2, 1, 1, 1, 0), "DD": (1, 0, 0, 0, 0), "HT": (2, 2, 1, 0, 1)}
    official = {f.key: (f.name_vi, f.received, f.on_time) for f in r.groups["staff"]}
    assert official == {"an": ("Nguyễn Văn An", 3, 1), "-": ("—", 2, 1)}
    month = {f.key: (f.received, f.returned, f.overdue_now, f.visits_saved) for f in r.groups["month"]}
    assert month == {"2026-11": (3, 2, 0, 1), "2026-12": (2, 1, 1, 0)}
    [late] = r.overdue
    assert (late.code, late.service, late.staff) == ("HS-4", "DKKD", "an")
    assert late.age_days == pytest.approx(5 + 20 / 24)  # from 4/12 16:00 to 10/12 12:00

    november = dossier_report(store, cfg, date(2026, 11, 1), date(2026, 11, 30), service="HT", now=NOW)
    assert (november.total.received, november.total.returned, november.total.overdue_now) == (2, 2, 0)


def test_in_every_format_of_lobby_report(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(store_url)
    try:
        _history(store, dossier_config())
    finally:
        store.dispose()
    base = ["--db", store_url, "--config", str(DEMO_CONFIG), "--lang", "en", "report", "--from", "2026-11-01",
            "--to", "2026-12-31"]
    assert cli.main([*base, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["dossiers"]
    assert data["total"]["received"] == 5 and data["total"]["returned"] == 3
    assert [g["key"] for g in data["by"]["month"]] == ["2026-11", "2026-12"]
    assert cli.main([*base, "--by", "staff"]) == 0
    table = capsys.readouterr().out
    assert "Dossiers and promised results" in table and "Nguyễn Văn An" in table
    assert cli.main([*base, "--format", "csv"]) == 0
    assert "Key,Service,Received,Returned,On time,On-time share (%),Overdue now,Visits saved" in capsys.readouterr().out
    out = tmp_path / "r.xlsx"
    assert cli.main([*base, "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert {"Dossiers by service", "Dossiers by staff", "Dossiers by month", "Dossiers overdue"} <= set(wb.sheetnames)
    by_service = wb["Dossiers by service"]
    assert [c.value for c in by_service[1]][:3] == ["Service", "Received", "Returned"]
    assert by_service.cell(row=by_service.max_row, column=2).value == 5
    assert cli.main([*base, "--format", "png", "--out", str(tmp_path / "charts")]) == 0
    assert (tmp_path / "charts" / "dossiers.png").stat().st_size > 10_000
