"""A short working day with faults (the long one is bench/soak.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from faultday import FaultDay, Plan
from pgcluster import server_bin
from support import require_pg

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_day_with_faults(tmp_path: Path) -> None:
    require_pg()
    if server_bin() is None:
        pytest.fail("the PostgreSQL server binaries (initdb, pg_ctl) are needed for the fault day")
    report = FaultDay(Plan(kiosks=2, counters=4, displays=2, tickets=60, deadline_s=400), tmp_path).run()
    print("\n".join(report.lines()))
    assert not report.driver_errors, report.driver_errors
    assert not report.crashed, report.crashed
    assert report.issued >= 60
    assert not report.duplicate_numbers and not report.gaps
    assert set(report.by_status) == {"done"}, report.by_status
    assert report.calls >= report.issued
    assert all(not missing for missing in report.missing_by_display), report.missing_by_display
    # one round of every kind of fault; one that failed every attempt (a slow machine) is skipped and counted
    assert len(report.faults) + len(report.faults_skipped) == 7, report.faults_skipped
    assert len(report.faults) >= 5, report.faults_skipped
