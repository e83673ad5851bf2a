"""Dependencies point inward: the shared core loads neither Qt nor the printer library, not even
while it works, and the printer drivers load no store while they build a ticket."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from support import PROCESS_S, SETTLE_S

ROOT = Path(__file__).resolve().parents[2]
APPS_AND_PRINTING = ("PySide6", "shiboken6", "escpos", "lobby_qt", "printer_drivers", "kiosk", "display", "counter",
                     "web", "fastapi", "starlette", "uvicorn", "jinja2")

IMPORT_ALL = """
import importlib, json, pkgutil, sys
import lobby
names = sorted(m.name for m in pkgutil.walk_packages(lobby.__path__, "lobby."))
for name in names:
    if ".migrations" in name:
        continue  # Alembic scripts, imported by Alembic only
    importlib.import_module(name)
print(json.dumps({"count": len(names), "modules": sorted(sys.modules)}))
"""

DRAW_CHARTS = """
import json, sys, tempfile
from datetime import date
from pathlib import Path
from lobby.reports.charts import write_charts
from lobby.reports.results import Figures, Heatmap, Report, ReportQuery

q = ReportQuery(date(2026, 3, 2), date(2026, 3, 6))
groups = [Figures(key="DKKD", label="Đăng ký kinh doanh", label_en="Business", issued=40, served=35, called=38,
                  wait_median_s=420.0, wait_p90_s=1100.0, very_satisfied=10, satisfied=12, not_satisfied=2)]
total = Figures(key=None, label="Tổng cộng", label_en="Total", issued=40, served=35)
report = Report(query=q, by="service", centre="Trung tâm", groups=groups, total=total)
heat = Heatmap(counts={(1, 8): 12, (1, 9): 20, (2, 9): 7}, days={1: 1, 2: 1})
with tempfile.TemporaryDirectory() as tmp:
    paths = write_charts(Path(tmp), report, report, heat)
    drawn = [p.stat().st_size > 0 for p in paths]
print(json.dumps({"drawn": drawn, "modules": sorted(sys.modules)}))
"""

BUILD_TICKET = """
import json, sys
from printer_drivers import ticket_bytes
from printer_drivers.demo import DEMO_RECEIPT
from printer_drivers.render import render_bytes
data = ticket_bytes(DEMO_RECEIPT, paper_mm=58)
pages = render_bytes(data, 384)
print(json.dumps({"bytes": len(data), "pages": len(pages), "modules": sorted(sys.modules)}))
"""


def _run(script: str) -> dict[str, object]:
    # a fresh interpreter, outside the tests folder (whose folders shadow the package names); the charts'
    # script also imports matplotlib and draws, hence a SETTLE_S more than a process
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=PROCESS_S + SETTLE_S,
                          cwd="/", env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "MPLCONFIGDIR": "/tmp"})
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _loaded(result: dict[str, object], roots: tuple[str, ...]) -> list[str]:
    modules = result["modules"]
    assert isinstance(modules, list)
    return [m for m in modules if m.split(".")[0] in roots]


def test_importing_every_lobby_module_pulls_in_no_qt_and_no_escpos() -> None:
    result = _run(IMPORT_ALL)
    assert isinstance(result["count"], int) and result["count"] >= 40
    assert _loaded(result, APPS_AND_PRINTING) == []


def test_drawing_a_chart_loads_no_qt_and_no_printer_code() -> None:
    result = _run(DRAW_CHARTS)
    assert result["drawn"] == [True, True, True]
    assert _loaded(result, APPS_AND_PRINTING) == []


def test_building_a_ticket_loads_no_store_and_no_qt() -> None:
    result = _run(BUILD_TICKET)
    assert isinstance(result["bytes"], int) and result["bytes"] > 1000 and result["pages"] == 1
    modules = result["modules"]
    assert isinstance(modules, list)
    assert [m for m in modules if m.startswith(("lobby.store", "lobby.queue", "lobby.config"))] == []
    assert _loaded(result, ("sqlalchemy", "PySide6", "shiboken6", "lobby_qt", "kiosk", "display", "counter")) == []


def _imports_of(path: Path) -> set[str]:
    """Every lobby module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lobby"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lobby"))
    return found


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_store_does_not_import_its_migrations() -> None:
    """The engine checks the schema through ``lobby.store.revision``, which imports no store: no circle."""
    graph = {_module_name(p): _imports_of(p) for p in (ROOT / "lobby" / "store").glob("*.py")}
    assert "lobby.store.migrate" not in graph["lobby.store.engine"]
    assert "lobby.store.engine" in graph["lobby.store.migrate"]
    assert not {"lobby.store.engine", "lobby.store.migrate"} & graph["lobby.store.revision"]


def test_no_module_over_400_lines() -> None:
    sizes = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for folder in ("lobby", "printer_drivers") for p in (ROOT / folder).rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
