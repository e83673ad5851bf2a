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

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 8


def load_config(path: str | Path | None = None) -> CentreConfig:
    """Read and validate a centre's TOML file; raise ConfigError listing every problem."""
    p = Path(path) if path is not None else default_config_path()
    raw = _read_bounded(p)
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{p}: not valid TOML: {str(exc)[:200]}"]) from None
    except RecursionError:
        raise ConfigError([f"{p}: nested too deeply (tables or arrays inside one another); "
                           "a centre's config needs only a few levels"]) from None
    if _depth(data) > MAX_DEPTH:
        raise ConfigError([f"{p}: nested more than {MAX_DEPTH} levels deep; a centre's config needs only a few"])
    return parse_config(data, str(p))


def _read_bounded(p: Path) -> str:
    """The file's text: a regular file of at most MAX_BYTES (a device such as /dev/zero never ends)."""
    try:
        if not p.is_file():
            if not p.exists():
                raise ConfigError([f"{p}: file not found; pass --config PATH or set LOBBY_CONFIG"])
            raise ConfigError([f"{p}: not a regular file (a folder or a device); pass a .toml file"])
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ConfigError([f"{p}: larger than {MAX_BYTES // 1024} KiB; a centre's config is a few KiB"])
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConfigError([f"{p}: cannot read the file ({reason}); it must be UTF-8 text"]) from None


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


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
    if len(loc) > 80:  # a hostile key name is not echoed whole
        loc = loc[:80] + "…"
    msg: str = err["msg"]
    kind = err["type"]
    if kind == "extra_forbidden":
        msg = "unknown key; check the spelling against config/default.toml"
    elif kind == "missing":
        msg = "is required"
    elif msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    elif "input" in err and kind not in ("model_type",):
        got = repr(err["input"])
        msg = f"{msg}, got {got if len(got) <= 80 else got[:80] + '…'}"
    if kind == "value_error" and err["loc"] == ():
        return msg.split(JOIN)
    return [f"{loc or '(top level)'}: {msg}"]
