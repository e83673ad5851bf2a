"""A long working day with faults: 4 kiosks, 20 counters and 2 displays (real app processes,
offscreen) work through 2,000 tickets on a private PostgreSQL server while connections are
killed server-side, the server restarts, the printer runs out of paper and a kiosk, a counter
and a display are killed and restarted, over and over until every ticket is issued.

    .venv/bin/python bench/soak.py [--tickets 2000] [--kiosks 4] [--counters 20] [--displays 2] [--keep DIR]

Prints the counts the centre must be able to trust and exits non-zero if any check fails.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "e2e"), str(ROOT / "tests"), str(ROOT)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from faultday import FaultDay, Plan  # noqa: E402


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tickets", type=int, default=2000)
    p.add_argument("--kiosks", type=int, default=4)
    p.add_argument("--counters", type=int, default=20)
    p.add_argument("--displays", type=int, default=2)
    p.add_argument("--deadline", type=float, default=3600.0, help="give up after this many seconds")
    p.add_argument("--seed", type=int, default=20261128)
    p.add_argument("--keep", metavar="DIR", type=Path, default=None,
                   help="work in DIR and keep it (the apps' logs, the printed tickets) instead of a temporary folder")
    args = p.parse_args()
    plan = Plan(kiosks=args.kiosks, counters=args.counters, displays=args.displays, tickets=args.tickets,
                fault_rounds=0, deadline_s=args.deadline, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="lobby-soak-") as scratch:
        work = args.keep or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        print(f"soak: {plan}; load average at start: {load()}", flush=True)
        day = FaultDay(plan, work, log=lambda line: print(line, flush=True))
        report = day.run()
    print("\n".join(report.lines()))
    for note in day.notes:
        print(note)
    if day.issuing_seconds:
        print(f"issuing: {report.issued} tickets in {day.issuing_seconds:.0f} s, "
              f"{60 * report.issued / day.issuing_seconds:.1f} tickets per minute from {plan.kiosks} kiosks")
    print(f"load average at the end: {load()} ({os.cpu_count()} cores)")
    for problem in report.driver_errors[:5]:
        print(problem)
    print("RESULT:", "all checks passed" if report.ok else "FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
