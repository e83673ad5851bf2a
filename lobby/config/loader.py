"""Reading a centre's TOML file: one line per problem, naming the file, the key path and what is expected,
e.g. ``config/demo.toml: services[2].prefix: must be 1 to 3 capital letters, got "a1"``.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lobby.config.centre import CentreConfig
from lobby.config.checks import JOIN, cross_check
from lobby.config.paths import default_config_path
from lobby.errors import ConfigError


def load_config(path: str | Path | None = None) -> CentreConfig:
    """Read and validate a centre's TOML file; raise ConfigError listing every problem."""
    p = Path(path) if path is not None else default_config_path()
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{p}: file not found; pass --config PATH or set LOBBY_CONFIG"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{p}: cannot read the file ({exc}); it must be UTF-8 text"]) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{p}: not valid TOML: {exc}"]) from None
    return parse_config(data, str(p))


def parse_config(data: dict[str, Any], source: str = "<config>") -> CentreConfig:
    try:
        cfg = CentreConfig.model_validate(data)
    except ValidationError as exc:
        lines = [line for err in exc.errors() for line in _describe(err)]
        for extra in cross_check(data):  # the cross-checks also hold when some field is wrong
            if extra not in lines:
                lines.append(extra)
        raise ConfigError([f"{source}: {line}" for line in lines]) from None
    cfg._source = source
    return cfg


def _describe(err: Any) -> list[str]:
    loc = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(".")
    msg: str = err["msg"]
    kind = err["type"]
    if kind == "extra_forbidden":
        msg = "unknown key; check the spelling against config/default.toml"
    elif kind == "missing":
        msg = "is required"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif "input" in err and kind not in ("model_type",):
        msg = f"{msg}, got {err['input']!r}"
    if kind == "value_error" and err["loc"] == ():
        return msg.split(JOIN)
    return [f"{loc or '(top level)'}: {msg}"]
