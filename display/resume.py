"""Where a restarted display picks up: the last event id it processed, kept in a small file.

After a crash or a restart the display reads the calls it missed (shown in the rows,
not spoken when older than ``stale_after_s``) instead of starting blind from the newest
event. A file older than ``MAX_AGE_S`` or from another database is ignored: a board
that was off overnight starts from now.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

MAX_AGE_S = 3600.0


def load_last_id(path: Path, database: str, latest: int) -> int | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return None
    last = data.get("last_id")
    if data.get("database") != database or not isinstance(last, int) or age > MAX_AGE_S or last > latest:
        return None
    return last


def save_last_id(path: Path, database: str, last_id: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps({"database": database, "last_id": last_id}), encoding="utf-8")
    os.replace(tmp, path)
