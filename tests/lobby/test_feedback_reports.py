"""Feedback figures worked out by hand, in every format of ``lobby report``, and the hall's published figures
equal to the report's, on both stores.

Monday 07/12/2026 (demo centre, reasons asked after "satisfied" too):
  An at counter 1 (DKKD)   T1 not satisfied at the counter: long wait, attitude
                           T2 satisfied at the counter: unclear guidance
                           T3 not satisfied by phone: long wait
  Bình at counter 3 (DD)   T4 very satisfied at the counter (no reason)
                           T5 not satisfied by phone: complicated procedure, long wait
                           T6 not rated
Remarks (5 working days): R1 from T1 with a contact, answered 08/12 (on time); R2 anonymous 07/12, never
answered (overdue on 20/12); R3 anonymous 18/12 (still in time on 20/12); R4 from T4, answered 16/12 (due 14/12).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from feedback_support import add_officials, feedback_config, serve, sign_in, vn
from openpyxl import load_workbook

from lobby import cli, queue
from lobby.config import CentreConfig
from lobby.feedback.phone import rate_from_phone
from lobby.feedback.published import published_figures
from lobby.feedback.reasons import add_reasons
from lobby.feedback.remarks import answer_remark, submit_remark
from lobby.reports.feedback import feedback_report
from lobby.reports.figures import ReportQuery, build_report
from lobby.store.engine import Store
from support import DEMO_CONFIG

DAY = vn(2026, 12, 7, 8, 0)
NOW = vn(2026, 12, 20, 12, 0)


def _history(store: Store, cfg: CentreConfig) -> None:
    ids = add_officials(store)
    sign_in(store, cfg, 1, "an", DAY)
    sign_in(store, cfg, 3, "binh", DAY)
    t = {}
    for i, name in enumerate(("T1", "T2", "T3")):
        t[name] = serve(store, cfg, DAY + timedelta(minutes=20 * i))
    for i, name in enumerate(("T4", "T5", "T6")):
        t[name] = serve(store, cfg, DAY + timedelta(minutes=20 * i), service="DD", counter=3)
    after = DAY + timedelta(hours=2)

    def panel(name: str, value: str, reasons: list[str]) -> None:
        with store.session() as s:
            queue.rate(s, cfg, t[name], value, now=after)
        with store.session() as s:
            add_reasons(s, cfg, t[name], reasons, now=after)

    panel("T1", "not_satisfied", ["long_wait", "attitude"])
    panel("T2", "satisfied", ["unclear_guidance"])
    panel("T4", "very_satisfied", [])
    for name, reasons in (("T3", ["long_wait"]), ("T5", ["complex_procedure", "long_wait"])):
        with store.session() as s:
            rate_from_phone(s, cfg, t[name], "not_satisfied", reasons, now=after + timedelta(hours=3))
    remarks = {}
    for name, ticket, at, contact in (("R1", t["T1"], DAY + timedelta(hours=2), "an@example.vn"),
                                      ("R2", None, DAY + timedelta(hours=3), ""),
                                      ("R3", None, vn(2026, 12, 18, 9), ""),
                                      ("R4", t["T4"], DAY + timedelta(hours=4), "")):
        with store.session() as s:
            remarks[name] = submit_remark(s, cfg, f"Góp ý {name}", contact=contact, ticket_id=ticket, now=at).id
    with store.session() as s:
        answer_remark(s, cfg, remarks["R1"], "Cảm ơn ông/bà.", by=ids["an"], now=vn(2026, 12, 8, 9))
    with store.session() as s:
        answer_remark(s, cfg, remarks["R4"], "Cảm ơn ông/bà.", by=ids["an"], now=vn(2026, 12, 16, 9))


def test_reasons_channels_and_remarks_by_hand(store: Store) -> None:
    cfg = feedback_config(reasons_after=["not_satisfied", "satisfied"])
    _history(store, cfg)
    r = feedback_report(store, cfg, date(2026, 12, 1), date(2026, 12, 31), now=NOW)
    assert r.total.counts == {"long_wait": 3, "attitude": 1, "unclear_guidance": 1, "complex_procedure": 1}
    assert r.total.unhappy == {"long_wait": 3, "attitude": 1, "complex_procedure": 1}
    by_service = {g.key: g.counts for g in r.groups["service"]}
    assert by_service == {"DKKD": {"long_wait": 2, "attitude": 1, "unclear_guidance": 1},
                          "DD": {"complex_procedure": 1, "long_wait": 1}}
    assert [(g.key, g.label) for g in r.groups["staff"]] == [("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình")]
    assert [g.key for g in r.groups["counter"]] == ["1", "3"]
    assert r.channels["counter"] == {"very_satisfied": 1, "satisfied": 1, "not_satisfied": 1}
    assert r.channels["phone"] == {"very_satisfied": 0, "satisfied": 0, "not_satisfied": 2}
    m = r.remarks
    assert (m.received, m.anonymous, m.with_contact, m.handled, m.on_time, m.overdue_now, m.open_in_time) \
        == (4, 2, 1, 2, 1, 1, 1)
    only_dd = feedback_report(store, cfg, date(2026, 12, 1), date(2026, 12, 31), service="DD", now=NOW)
    assert only_dd.total.counts == {"complex_procedure": 1, "long_wait": 1} and only_dd.remarks.received == 1
    official = feedback_report(store, cfg, date(2026, 12, 1), date(2026, 12, 31), staff="an", now=NOW)
    assert official.rated("counter") + official.rated("phone") == 3


def test_the_published_figures_are_the_reports(store: Store) -> None:
    cfg = feedback_config(reasons_after=["not_satisfied", "satisfied"])
    _history(store, cfg)
    shown = published_figures(store, cfg, now=NOW)
    total = build_report(store, cfg, ReportQuery(date(2026, 12, 1), date(2026, 12, 20)), "service").total
    assert (shown.start, shown.end) == (date(2026, 12, 1), date(2026, 12, 20))
    assert shown.satisfied_share == total.satisfied_share == pytest.approx(2 / 5)
    assert shown.within_target_share == total.within_target_share and shown.served == total.served == 6
    assert shown.results_on_time_share is None  # no dossier this month: the panel leaves that figure out
    assert shown.percent(shown.satisfied_share) == "40%"
    january = published_figures(store, cfg, now=datetime(2027, 1, 2, 9, tzinfo=NOW.tzinfo))
    assert (january.rated, january.satisfied_share) == (0, None)


def test_in_every_format_of_lobby_report(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(store_url)
    try:
        _history(store, feedback_config(reasons_after=["not_satisfied", "satisfied"]))
    finally:
        store.dispose()
    base = ["--db", store_url, "--config", str(DEMO_CONFIG), "--lang", "en", "report", "--from", "2026-12-01",
            "--to", "2026-12-31"]
    assert cli.main([*base, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)["feedback"]
    assert data["total"]["counts"]["long_wait"] == 3 and data["channels"]["phone"]["not_satisfied"] == 2
    assert cli.main([*base, "--by", "staff"]) == 0
    table = capsys.readouterr().out
    assert "Ratings per channel" in table and "Trần Thị Bình" in table and "Remarks received" in table
    assert cli.main(["--db", store_url, "--config", str(DEMO_CONFIG), "report", "--from", "2026-12-01",
                     "--to", "2026-12-31", "--format", "csv"]) == 0
    assert "Mã,Dịch vụ,Chờ lâu,Thái độ chưa tốt" in capsys.readouterr().out
    out = tmp_path / "r.xlsx"
    assert cli.main([*base, "--format", "xlsx", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert {"Reasons by service", "Reasons by counter", "Reasons by staff", "Ratings per channel",
            "Remarks"} <= set(wb.sheetnames)
    sheet = wb["Reasons by service"]
    assert [c.value for c in sheet[1]][:2] == ["Service", "Long wait"]
    assert sheet.cell(row=sheet.max_row, column=2).value == 3
    assert cli.main([*base, "--format", "png", "--out", str(tmp_path / "charts")]) == 0
    assert (tmp_path / "charts" / "reasons.png").stat().st_size > 10_000


def test_the_reasons_chart_over_a_busy_fortnight(store: Store, tmp_path: Path) -> None:
    """Reasons added to a generated history's ratings (every third unhappy one: two reasons) are all counted,
    per service, and drawn. With ``LOBBY_SCREENSHOTS=DIR`` the chart is saved there as feedback-reasons-chart.png."""
    import os
    import shutil

    from sqlalchemy import select

    from lobby.reports.demo_history import generate_history
    from lobby.reports.feedback_formats import write_chart
    from lobby.store.models import Rating

    cfg = feedback_config(reasons_after=["not_satisfied", "satisfied"])
    generate_history(store, cfg, days=14, end=date(2026, 11, 27), per_day=150)
    with store.read_session() as s:
        unhappy = list(s.scalars(select(Rating.ticket_id).where(Rating.value == "not_satisfied")
                                 .order_by(Rating.ticket_id)))
    codes = [r.code for r in cfg.feedback.reasons]
    expected: dict[str, int] = {}
    for i, tid in enumerate(unhappy):
        chosen = [codes[i % 5]] + ([codes[(i + 2) % 6]] if i % 3 == 0 else [])
        with store.session() as s:
            stored = add_reasons(s, cfg, tid, chosen)
        for code in stored:
            expected[code] = expected.get(code, 0) + 1
    assert unhappy and sum(expected.values()) > len(unhappy)
    r = feedback_report(store, cfg, date(2026, 11, 14), date(2026, 11, 27))
    assert r.total.unhappy == expected
    per_service: dict[str, int] = {}
    for g in r.groups["service"]:
        for code, n in g.unhappy.items():
            per_service[code] = per_service.get(code, 0) + n
    assert per_service == expected
    [chart] = write_chart(tmp_path / "charts", r, "vi")
    assert chart.stat().st_size > 20_000
    if os.environ.get("LOBBY_SCREENSHOTS"):
        shutil.copy(chart, Path(os.environ["LOBBY_SCREENSHOTS"]) / "feedback-reasons-chart.png")
