"""``lobby-web``: config → store → app → uvicorn. The same conventions as the other apps.

    lobby-web --config config/demo.toml --db sqlite:///var/lobby.sqlite3 --host 0.0.0.0 --port 8080

A store that does not answer yet is not fatal (pages say "Hệ thống tạm gián đoạn" and
the feed hub retries); one that needs ``lobby init`` is, with a message saying so.
"""
from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import NoReturn

from pydantic import ValidationError

from lobby.config import default_config_path, load_config, var_dir
from lobby.errors import ConfigError, LobbyError, StoreUnavailable
from lobby.store.engine import Store, resolve_db_url

APP = "lobby-web"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog=APP, description="The web app: the citizen's ticket page and the HTTP API.")
    p.add_argument("--config", default=None, help="centre config file (default: LOBBY_CONFIG or config/demo.toml)")
    p.add_argument("--db", default=None,
                   help="database URL (default: LOBBY_DB, the config file, then var/lobby.sqlite3)")
    p.add_argument("--host", default=None, help="listen address (default: [web] host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="listen port (default: [web] port, 8080)")
    p.add_argument("--public-url", default=None,
                   help="the address phones use, overriding [web] public_url (e.g. http://192.168.1.10:8080)")
    p.add_argument("--log-dir", default=str(var_dir() / "log"), help="where rotating log files go")
    return p.parse_args(argv)


def fail(message: str) -> NoReturn:
    print(f"{APP}: {message}", file=sys.stderr)
    raise SystemExit(2)


def setup_logging(log_dir: str) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            Path(log_dir) / "web.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"))
    except OSError as exc:
        print(f"{APP}: cannot write logs to {log_dir} ({exc}); logging to the terminal only", file=sys.stderr)
    logging.basicConfig(level=logging.INFO, handlers=handlers, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging(args.log_dir)
    try:
        cfg = load_config(args.config or default_config_path())
        if args.public_url is not None:
            web = cfg.web.model_validate({**cfg.web.model_dump(), "public_url": args.public_url})
            cfg = cfg.model_copy(update={"web": web})
    except ConfigError as exc:
        fail("\n".join(exc.problems))
    except ValidationError as exc:
        fail(f"--public-url: {exc.errors()[0]['msg'].removeprefix('Value error, ')}")
    try:
        store = Store(resolve_db_url(args.db, cfg))
        store.check_schema()
    except StoreUnavailable as exc:
        logging.getLogger(APP).warning("%s (serving anyway; retrying in the background)", exc.message("en"))
    except LobbyError as exc:
        fail(exc.message("en"))
    if args.port is not None and not 1 <= args.port <= 65535:
        fail(f"--port must be between 1 and 65535, got {args.port}")

    import uvicorn

    from web.app import create_app

    app = create_app(cfg, store)
    host = args.host or cfg.web.host
    port = args.port or cfg.web.port
    logging.getLogger(APP).info("serving on http://%s:%s (public URL: %s)", host, port, cfg.web.public_url or "none")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=3)
    finally:
        store.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
