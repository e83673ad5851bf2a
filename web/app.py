"""The web app's factory: config and store in, a FastAPI app out (nothing is built at import time).

    app = create_app(cfg, store)          # uvicorn.run(app, ...) in web.__main__; TestClient(app) in tests

Areas are routers under ``web/routers/``, each included here once. The feed hub (one
change-feed waiter for the whole process) starts and stops with the app's lifespan.
"""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lobby.access.limiter import GuessLimiter
from lobby.access.ticket_page import PageBoard
from lobby.config import CentreConfig
from lobby.store.engine import Store
from web import errors
from web.hub import FeedHub
from web.routers import api, citizen, docs, feedback, health, manager
from web.routers import dossiers as dossier_api
from web.texts import t

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def create_app(cfg: CentreConfig, store: Store, *, hub: FeedHub | None = None,
               limiter: GuessLimiter | None = None) -> FastAPI:
    """The whole web app over one store. ``hub``/``limiter``: tests may pass their own."""
    board = PageBoard(store, cfg)
    feed = hub or FeedHub(store, on_batch=board.refresh)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        feed.start()
        try:
            yield
        finally:
            feed.stop()

    app = FastAPI(
        title="Lobby Queue API", version="1",
        description="Hàng đợi cấp số — API cho các hệ thống của tỉnh. / Queue ticketing: the API for the "
                    "province's systems. Authenticate with `Authorization: Bearer <secret>` "
                    "(made by `lobby token add NAME --scope issue,read,report`).",
        lifespan=lifespan, openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.globals["t"] = t
    app.state.cfg = cfg
    app.state.store = store
    app.state.hub = feed
    app.state.templates = templates
    app.state.limiter = limiter or GuessLimiter()
    errors.install(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.include_router(health.router)
    app.include_router(citizen.router)
    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(dossier_api.router)  # GET /api/v1/dossiers/{code} (web/routers/dossiers.py)
    # Other areas include their router here, one line each (the manager's pages: issue 13).
    manager.install(app)
    feedback.install(app)  # rating from the phone, remarks, the inbox (web/routers/feedback.py; issue 15)
    return app
