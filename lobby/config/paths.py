"""Where the centre's files are: the project root, the default config file, the machine's var/ directory."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "demo.toml"


def var_dir() -> Path:
    """Where the machine keeps its own files (SQLite store, logs, voice cache, tickets): LOBBY_VAR,
    else var/ beside the project. Set LOBBY_VAR when the code is installed read-only (site-packages)."""
    env = os.environ.get("LOBBY_VAR")
    return Path(env) if env else PROJECT_ROOT / "var"


def default_config_path() -> Path:
    """LOBBY_CONFIG, else the demo centre's file."""
    env = os.environ.get("LOBBY_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG
