"""A long working day with faults: 4 kiosks, 20 counters and 2 displays (real app processes,
offscreen) work through 2,000 tickets on a private PostgreSQL server while connections are
killed server-side, the server restarts, the printer runs out of paper and a kiosk, a counter
and a display are killed and restarted, over and over until every ticket is issued.

    .venv/bin/python bench/soak.py [--tickets 2000] [--kiosks 4] [--counters 20] [--displays 2]

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


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tickets", type=int, default=2000)
    p.add_argument("--kiosks", type=int, default=4)
    p.add_argument("--counters", type=int, default=20)
    p.add_argument("--displays", type=int, default=2)
    p.add_argument("--deadline", type=float, default=3600.0, help="give up after this many seconds")
    p.add_argument("--seed", type=int, default=20261128)
    args = p.parse_args()
    plan = Plan(kiosks=args.kiosks, counters=args.counters, displays=args.displays, tickets=args.tickets,
                fault_rounds=0, deadline_s=args.deadline, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="lobby-soak-") as work:
        print(f"soak: {plan}", flush=True)
        report = FaultDay(plan, Path(work), log=lambda line: print(line, flush=True)).run()
    print("\n".join(report.lines()))
    for problem in report.driver_errors[:5]:
        print(problem)
    print("RESULT:", "all checks passed" if report.ok else "FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
