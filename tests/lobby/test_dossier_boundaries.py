"""Where the dossier code may reach: the core has no Qt or web framework; the apology slip's layout no store."""
from __future__ import annotations

import subprocess
import sys

from support import ROOT


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return set(out.split())


def test_the_core_imports_no_qt_and_no_web_framework() -> None:
    loaded = _modules_after("import lobby.dossiers.command, lobby.dossiers.sync, lobby.dossiers.kiosk_check, "
                            "lobby.dossiers.citizen, lobby.dossiers.demo, lobby.reports.dossiers")
    assert not {m for m in loaded if m.split(".")[0] in ("PySide6", "fastapi", "starlette", "escpos")}


def test_the_apology_layout_knows_no_store() -> None:
    loaded = _modules_after("import printer_drivers.apology")
    assert "lobby.dossiers.slip" in loaded
    assert not {m for m in loaded if m.split(".")[0] == "sqlalchemy" or m.startswith("lobby.store")}
