"""What a route needs, taken from the app that ``create_app`` built (no globals, nothing at import time)."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from lobby.access.limiter import GuessLimiter
from lobby.config import CentreConfig
from lobby.store.engine import Store
from web.hub import FeedHub


def get_cfg(request: Request) -> CentreConfig:
    cfg: CentreConfig = request.app.state.cfg
    return cfg


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_hub(request: Request) -> FeedHub:
    hub: FeedHub = request.app.state.hub
    return hub


def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def get_limiter(request: Request) -> GuessLimiter:
    limiter: GuessLimiter = request.app.state.limiter
    return limiter


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def page_lang(request: Request) -> str:
    """``?lang=en`` or the ``lang`` cookie; Vietnamese otherwise."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "vi"
    return "en" if lang == "en" else "vi"


# Route parameters, declared once: ``def route(cfg: Cfg, store: StoreDep) -> ...``
Cfg = Annotated[CentreConfig, Depends(get_cfg)]
StoreDep = Annotated[Store, Depends(get_store)]
Hub = Annotated[FeedHub, Depends(get_hub)]
Limiter = Annotated[GuessLimiter, Depends(get_limiter)]
