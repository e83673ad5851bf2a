"""`make screenshots`: render every screen of the three apps offscreen into one folder."""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

APPS = ("kiosk", "display", "counter")


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else "docs/screenshots")
    only = set(args[1:]) or set(APPS)
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for app in APPS:
        if app not in only:
            continue
        try:
            module = importlib.import_module(f"{app}.screenshots")
        except ImportError as exc:
            print(f"{app}: no screenshots module ({exc})", file=sys.stderr)
            failures += 1
            continue
        paths = module.render_all(out)
        for p in paths:
            print(p)
        print(f"{app}: {len(paths)} screenshots")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
