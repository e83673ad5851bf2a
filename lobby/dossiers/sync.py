"""Applying what the one-stop system says is ready, once or on a schedule (``lobby dossier sync [--watch]``).

Only dossiers Lobby Queue received and still waits for (received or overdue) become ready;
codes it does not know are listed, not an error (the other system has more dossiers than
were received here); dossiers already ready or returned are left as they are. One batch
is one transaction with one ``dossier_ready`` event per dossier (actor ``sync:csv`` or
``sync:http``).
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from lobby.clock import at_or_now
from lobby.config import CentreConfig
from lobby.dossiers import records
from lobby.dossiers.model import NOT_READY, DossierState
from lobby.dossiers.sync_sources import Batch, CsvDrop, HttpJson, SyncError
from lobby.i18n import pick
from lobby.store.engine import Store, transaction
from lobby.store.models import Dossier, Service
from lobby.vocabulary import EventKind


@dataclass
class SyncReport:
    source: str
    marked: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    not_ready: int = 0
    problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def apply_batch(session: Session, cfg: CentreConfig, batch: Batch, actor: str, report: SyncReport,
                now: datetime | None = None) -> None:
    at = at_or_now(now)
    report.not_ready += batch.not_ready
    report.problems += batch.problems
    with transaction(session):
        for rec in batch.ready:
            row = session.scalar(select(Dossier).where(Dossier.code == rec.code).with_for_update())
            if row is None:
                report.unknown.append(rec.code)
                continue
            if DossierState(row.state) not in NOT_READY:
                report.already.append(rec.code)
                continue
            ready_at = max(rec.ready_at, row.received_at) if rec.ready_at else at
            row.state, row.ready_at, row.ready_by = DossierState.READY, ready_at, actor
            svc_code = session.get(Service, row.service_id).code  # type: ignore[union-attr]
            records._event(session, EventKind.DOSSIER_READY, row, svc_code, at=at, actor=actor,
                           on_time=ready_at <= row.first_promised_at, origin=batch.origin)
            report.marked.append(rec.code)


def sync_once(store: Store, cfg: CentreConfig, *, now: datetime | None = None) -> SyncReport:
    """One poll of the configured source; errors of the source are in ``report.errors`` (nothing marked from it)."""
    at = at_or_now(now)
    src = cfg.dossiers.source()
    report = SyncReport(src.kind)
    actor = f"sync:{src.kind}"
    try:
        if src.kind == "csv":
            drop = CsvDrop(src)
            for path in drop.pending():
                try:
                    batch = drop.read(path, cfg.tz, at)
                except SyncError as exc:
                    report.errors.append(exc.en)
                    _file_away(drop, path, False, [exc.vi, exc.en], report)
                    continue
                with store.session() as s:
                    apply_batch(s, cfg, batch, actor, report, at)
                _file_away(drop, path, True, batch.problems, report)
        elif src.kind == "http":
            batch = HttpJson(src).fetch(cfg.tz, at)
            with store.session() as s:
                apply_batch(s, cfg, batch, actor, report, at)
    except SyncError as exc:
        report.errors.append(exc.en)
    with store.session() as s:
        report.overdue = records.record_overdue(s, cfg, now=at, actor=actor)
    return report


def _file_away(drop: CsvDrop, path: Path, ok: bool, note: list[str], report: SyncReport) -> None:
    """Out of the drop folder; a file that cannot be moved is read again next time (harmless: what it
    marked is "already" marked then)."""
    try:
        drop.file_away(path, ok=ok, note=note)
    except OSError as exc:
        report.errors.append(f"{path.name}: cannot be moved out of the drop folder ({exc.strerror}); "
                             "check the folder's permissions")


def _summary(r: SyncReport, lang: str) -> str:
    lines = [pick(lang,
                  f"Đồng bộ ({r.source}): {len(r.marked)} hồ sơ có kết quả; {len(r.unknown)} mã không có ở đây; "
                  f"{len(r.already)} đã đánh dấu trước; {r.not_ready} chưa có kết quả; {len(r.problems)} bản ghi lỗi "
                  f"(bỏ qua); {len(r.overdue)} hồ sơ mới trễ hẹn.",
                  f"Sync ({r.source}): {len(r.marked)} results ready; {len(r.unknown)} codes not received here; "
                  f"{len(r.already)} marked before; {r.not_ready} not ready; {len(r.problems)} bad records (skipped); "
                  f"{len(r.overdue)} newly overdue.")]
    lines += [f"  ! {p}" for p in r.problems]
    lines += [f"  ✗ {e}" for e in r.errors]
    return "\n".join(lines)


def run_sync(store: Store, cfg: CentreConfig, *, watch: bool, as_json: bool, lang: str, out: TextIO,
             stop: threading.Event | None = None) -> int:
    """Exit status 0 when the source was read, 2 when it could not be (unreachable, malformed). With
    ``sync = "none"`` only the dossiers that became overdue are recorded (their events)."""
    stop = stop or threading.Event()
    while True:
        report = sync_once(store, cfg)
        print(json.dumps(report.to_json(), ensure_ascii=False) if as_json else _summary(report, lang), file=out,
              flush=True)
        if not watch:
            return 2 if report.errors else 0
        try:
            if stop.wait(cfg.dossiers.sync_interval_s):
                return 0
        except KeyboardInterrupt:
            return 0
