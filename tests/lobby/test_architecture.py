"""The shared core imports neither Qt nor the printer library: dependencies point inward."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


CHECK = """
import importlib, pkgutil, sys
import lobby
names = sorted(m.name for m in pkgutil.walk_packages(lobby.__path__, "lobby."))
for name in names:
    if ".migrations" in name:
        continue  # Alembic scripts, imported by Alembic only
    importlib.import_module(name)
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "escpos", "lobby_qt", "printer_drivers", "kiosk", "display", "counter"))
print(len(names), bad)
"""


def test_importing_every_lobby_module_pulls_in_no_qt_and_no_escpos() -> None:
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    count, bad = out.stdout.split(" ", 1)
    assert int(count) >= 15
    assert bad.strip() == "[]"
