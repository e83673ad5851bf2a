"""``GET /api/v1/dossiers/{code}``: a dossier's state and promised date, for the province's systems
(scope ``read``). The same words as the citizen's page (``lobby.dossiers.citizen``)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from lobby.dossiers.citizen import citizen_view
from lobby.dossiers.model import BadDossierCode, DossierNotFound
from lobby.dossiers.records import find
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
