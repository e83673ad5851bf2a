"""``GET /healthz``: is the store answering with the right schema, and is the feed hub listening."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from lobby.errors import LobbyError
from web.deps import Hub, StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Tình trạng / health")
def healthz(store: StoreDep, hub: Hub) -> JSONResponse:
    body: dict[str, Any] = {"status": "ok", "store": {"dialect": store.dialect, "url": store.safe_url, "ok": True},
                            "feed": {"listening": hub.available, "last_event_id": hub.last_id,
                                     "subscribers": hub.subscribers}}
    try:
        store.ping()
        store.check_schema()
    except LobbyError as exc:
        body["status"] = "unavailable"
        body["store"].update(ok=False, problem_vi=exc.vi, problem_en=exc.en)
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)
