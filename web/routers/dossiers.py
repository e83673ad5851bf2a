"""Dossiers on the web: ``GET /api/v1/dossiers/{code}`` (a dossier's state and promised date, for the
province's systems, scope ``read``) and the block of the citizen's ticket page that lists the dossiers
received in that visit. The same words in both (``lobby.dossiers.citizen``)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from lobby.config import CentreConfig
from lobby.dossiers.citizen import citizen_view, for_ticket
from lobby.dossiers.model import BadDossierCode, DossierNotFound
from lobby.dossiers.records import find
from lobby.i18n import pick
from lobby.store.engine import Store
from web.deps import Cfg, StoreDep
from web.errors import ApiError
from web.routers.api import ERRORS, ErrorOut, Reader

router = APIRouter(prefix="/api/v1", tags=["api"])


@router.get("/dossiers/{code}", summary="Một hồ sơ / one dossier",
            responses={**ERRORS, 404: {"model": ErrorOut}})
def dossier(code: str, client: Reader, cfg: Cfg, store: StoreDep,
            lang: str = Query("vi", pattern="^(vi|en)$", description="language of the *_text fields"),
            ) -> dict[str, Any]:
    try:
        with store.read_session() as session:
            info = find(session, cfg, code)
    except (DossierNotFound, BadDossierCode) as exc:
        raise ApiError(404, "dossier_not_found", exc.vi, exc.en) from None
    return citizen_view(info, cfg, lang)


async def page_block(store: Store, cfg: CentreConfig, ticket_id: int, lang: str) -> dict[str, Any] | None:
    """The ticket page's dossier block (``templates/dossiers_block.html``): the dossiers received in that
    visit, their state and promised date; None when the visit left none."""
    def read() -> list[dict[str, Any]]:
        with store.read_session() as session:
            return for_ticket(session, cfg, ticket_id, lang)

    items = await run_in_threadpool(read)
    if not items:
        return None
    return {
        "title": pick(lang, "Hồ sơ của ông/bà", "Your dossiers"),
        "code": pick(lang, "Mã hồ sơ", "Dossier"),
        "state": pick(lang, "Trạng thái", "State"),
        "promised": pick(lang, "Hẹn trả kết quả", "Promised for"),
        "items": items,
    }
