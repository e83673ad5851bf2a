"""The sync adapters against a fake CSV drop folder and a fake HTTP server on 127.0.0.1 (both stores):
good data marks, partial data marks only its good records, malformed or unreachable marks nothing."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from dossier_support import VN, dossier_config, vn

from lobby import dossiers
from lobby.config import CentreConfig
from lobby.dossiers.model import DossierState
from lobby.dossiers.sync import sync_once
from lobby.store.engine import Store
from support import SETTLE_S

T0 = vn(2026, 11, 30, 8)
NOW = vn(2026, 12, 1, 10)
CODES = ("000.00.19.H61-231128-0001", "000.00.19.H61-231128-0002", "000.00.19.H61-231128-0003")


def _receive_all(store: Store, cfg: CentreConfig) -> None:
    for code in CODES:
        with store.session() as s:
            dossiers.receive(s, cfg, code, "DKKD", now=T0)


def _states(store: Store, cfg: CentreConfig) -> list[str]:
    with store.session() as s:
        return [str(dossiers.find(s, cfg, c, now=NOW).state) for c in CODES]


def _csv_cfg(folder: Path) -> CentreConfig:
    return dossier_config(sync="csv", sync_folder=str(folder), sync_code_field="ma_ho_so",
                          sync_state_field="trang_thai", sync_ready_values=["DA_CO_KET_QUA"],
                          sync_ready_at_field="ngay_co_ket_qua")


def test_csv_good_and_partial_files(store: Store, tmp_path: Path) -> None:
    cfg = _csv_cfg(tmp_path)
    _receive_all(store, cfg)
    (tmp_path / "a.csv").write_text(
        "ma_ho_so,trang_thai,ngay_co_ket_qua\n"
        f"{CODES[0].lower()},DA_CO_KET_QUA,01/12/2026 09:30\n"
        f"{CODES[1]},DANG_XU_LY,\n"
        "999.UNKNOWN-1,DA_CO_KET_QUA,\n", encoding="utf-8")
    (tmp_path / "b.tmp").write_text("ma_ho_so,trang_thai\nX,DA_CO_KET_QUA\n", encoding="utf-8")  # not yet renamed
    report = sync_once(store, cfg, now=NOW)
    assert (report.marked, report.unknown, report.not_ready, report.errors) == ([CODES[0]], ["999.UNKNOWN-1"], 1, [])
    assert _states(store, cfg) == ["ready", "received", "received"]
    with store.session() as s:
        assert dossiers.find(s, cfg, CODES[0]).ready_at == vn(2026, 12, 1, 9, 30)
    assert (tmp_path / "processed" / "a.csv").exists() and (tmp_path / "b.tmp").exists()

    # Partial: a truncated last line and a bad date are skipped and reported; the good record is marked.
    (tmp_path / "c.csv").write_text(
        "ma_ho_so,trang_thai,ngay_co_ket_qua\n"
        f"{CODES[1]},DA_CO_KET_QUA,2026-12-01T09:45\n"
        f"{CODES[2]},DA_CO_KET_QUA,32/13/2026\n"
        f"{CODES[0]},DA_CO_KET_QUA,\n"
        f"{CODES[2]},DA_CO", encoding="utf-8")
    report = sync_once(store, cfg, now=NOW)
    assert report.marked == [CODES[1]] and report.already == [CODES[0]] and len(report.problems) == 1
    assert "32/13/2026" in report.problems[0]
    assert report.not_ready == 1  # the truncated "DA_CO" is not a ready value
    assert _states(store, cfg) == ["ready", "ready", "received"]
    assert (tmp_path / "processed" / "c.csv.problems.txt").read_text(encoding="utf-8").count("skipped") == 1


def test_csv_malformed_files_mark_nothing_and_are_kept(store: Store, tmp_path: Path) -> None:
    cfg = _csv_cfg(tmp_path)
    _receive_all(store, cfg)
    (tmp_path / "1-columns.csv").write_text(f"code;state\n{CODES[0]};DA_CO_KET_QUA\n", encoding="utf-8")
    (tmp_path / "2-latin1.csv").write_bytes(
        f"ma_ho_so,trang_thai,ngay_co_ket_qua\n{CODES[1]},DA_CO_KET_QUA,\nx,\xe9\n".encode("latin-1"))
    (tmp_path / "3-quote.csv").write_text(
        f'ma_ho_so,trang_thai,ngay_co_ket_qua\n{CODES[2]},DA_CO_KET_QUA,\n"unclosed,DA_CO_KET_QUA,\n', encoding="utf-8")
    report = sync_once(store, cfg, now=NOW)
    assert report.marked == [] and len(report.errors) == 3
    assert "no column ma_ho_so, trang_thai" in report.errors[0] and "not UTF-8" in report.errors[1]
    assert _states(store, cfg) == ["received"] * 3
    rejected = sorted(p.name for p in (tmp_path / "rejected").iterdir())
    assert rejected == ["1-columns.csv", "1-columns.csv.error.txt", "2-latin1.csv", "2-latin1.csv.error.txt",
                        "3-quote.csv", "3-quote.csv.error.txt"]


def test_csv_missing_folder_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    cfg = _csv_cfg(tmp_path / "nope")
    report = sync_once(store, cfg, now=NOW)
    assert report.marked == [] and "does not exist" in report.errors[0]


class _Fake(BaseHTTPRequestHandler):
    """Answers what the test put in ``server.answer``: (status, body bytes); records the headers it got."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        status, body = self.server.answer  # type: ignore[attr-defined]
        self.server.seen.append(dict(self.headers))  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the http.server signature
        pass


@pytest.fixture
def fake_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Fake)
    server.answer = (200, b"[]")  # type: ignore[attr-defined]
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _http_cfg(server: HTTPServer) -> CentreConfig:
    host, port = server.server_address[:2]
    return dossier_config(sync="http", sync_url=f"http://{host!s}:{port}/api/ho-so", sync_records_path="data.items",
                          sync_code_field="maHoSo", sync_state_field="trangThai", sync_ready_values=["4", "5"],
                          sync_token_env="LOBBY_TEST_ONE_STOP_TOKEN", sync_timeout_s=SETTLE_S)


def test_http_good_partial_malformed(store: Store, fake_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOBBY_TEST_ONE_STOP_TOKEN", "s3cret")
    cfg = _http_cfg(fake_server)
    _receive_all(store, cfg)
    bad_bodies = [
        (200, b"<html>Bao tri he thong</html>"),  # maintenance page
        (200, json.dumps({"data": {"total": 2}}).encode()),  # no items
        (200, json.dumps({"data": {"items": {"maHoSo": CODES[0]}}}).encode()),  # not a list
        (500, json.dumps({"data": {"items": [{"maHoSo": CODES[0], "trangThai": 4}]}}).encode()),
        (200, b'{"data": {"items": [{"maHoSo": "' + CODES[0].encode() + b'", "trangThai": 4}'),  # cut off
    ]
    for answer in bad_bodies:
        fake_server.answer = answer  # type: ignore[attr-defined]
        report = sync_once(store, cfg, now=NOW)
        assert report.marked == [] and len(report.errors) == 1, answer
    assert _states(store, cfg) == ["received"] * 3
    assert fake_server.seen[0]["Authorization"] == "Bearer s3cret"  # type: ignore[attr-defined]

    items = [{"maHoSo": CODES[0], "trangThai": 4}, {"maHoSo": CODES[1], "trangThai": 2},
             {"trangThai": 4}, "not an object", {"maHoSo": CODES[2], "trangThai": None}]
    fake_server.answer = (200, json.dumps({"data": {"items": items}}).encode())  # type: ignore[attr-defined]
    report = sync_once(store, cfg, now=NOW)
    assert (report.marked, report.not_ready, len(report.problems), report.errors) == ([CODES[0]], 1, 3, [])
    assert _states(store, cfg) == ["ready", "received", "received"]


def test_http_unreachable_marks_nothing(store: Store, fake_server: HTTPServer) -> None:
    cfg = _http_cfg(fake_server)
    _receive_all(store, cfg)
    host, port = fake_server.server_address[:2]
    fake_server.shutdown()
    fake_server.server_close()  # nobody listens on that port any more
    report = sync_once(store, cfg.model_copy(update={"dossiers": cfg.dossiers.model_copy(
        update={"sync_token_env": ""})}), now=NOW)
    assert report.marked == [] and "unreachable" in report.errors[0] and f"{port}" in report.errors[0]
    assert _states(store, cfg) == ["received"] * 3


def test_sync_records_the_overdue(store: Store, tmp_path: Path) -> None:
    cfg = _csv_cfg(tmp_path)
    _receive_all(store, cfg)  # promised 3 working days after Monday 30/11: Thursday 3/12 at 16:00
    report = sync_once(store, cfg, now=vn(2026, 12, 3, 16, 0, 1))
    assert report.overdue == list(CODES)
    with store.session() as s:
        d = dossiers.find(s, cfg, CODES[0], now=vn(2026, 12, 3, 16, 1))
    assert d.state == DossierState.OVERDUE and d.promised_at.astimezone(VN).hour == 16
    assert vn(2026, 12, 3, 16, 0, 1) - d.promised_at == timedelta(seconds=1)
