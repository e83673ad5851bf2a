"""A ticket as JSON for people and systems outside: ``lobby issue --json`` and the HTTP API agree."""
from __future__ import annotations

from typing import Any

from lobby.access.tokens import status_url
from lobby.config import CentreConfig
from lobby.queue.views import TicketInfo


def ticket_json(info: TicketInfo, cfg: CentreConfig) -> dict[str, Any]:
    """``TicketInfo.to_json()`` plus ``token`` and ``status_url`` (null when ``[web] public_url`` is unset)."""
    return {**info.to_json(), "token": info.public_token,
            "status_url": status_url(cfg.web.public_url, info.public_token)}
